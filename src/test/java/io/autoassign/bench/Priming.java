package io.autoassign.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * Drives a system at its maximum rate in windows until it stops getting faster: after
 * {@code minWindows} at least, at the first window no more than 3% above the best before it, or
 * when the time limit has passed. Used for the service's nodes ({@link Bench}) and for the
 * engine-only baseline ({@link EngineBaseline}) alike.
 *
 * @param window the length of one window
 * @param limit the longest priming
 * @param minWindows the fewest windows
 */
record Priming(Duration window, Duration limit, int minWindows) {

	static Priming of(boolean smoke) {
		return smoke ? new Priming(Duration.ofSeconds(1), Duration.ofSeconds(2), 1)
				: new Priming(Duration.ofSeconds(10), Duration.ofSeconds(180), 4);
	}

	/** Runs windows (each answers its rate) until steady; answers the rates of the windows. */
	List<Double> untilSteady(DoubleSupplier runWindow) {
		List<Double> rates = new ArrayList<>();
		long deadline = System.nanoTime() + this.limit.toNanos();
		double best = 0;
		while (true) {
			double rate = runWindow.getAsDouble();
			rates.add(rate);
			if ((rates.size() >= this.minWindows && rate <= 1.03 * best) || System.nanoTime() > deadline) {
				return rates;
			}
			best = Math.max(best, rate);
		}
	}

}
