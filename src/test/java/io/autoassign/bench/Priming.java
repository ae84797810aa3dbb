package io.autoassign.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * Drives a system at its maximum rate in windows until it has stopped getting faster: after
 * {@code minWindows} at least, once the least-squares slope over the last {@link #TREND} windows
 * is below 1% of their mean per window (a warming JVM climbs by more than that for minutes; a
 * single lucky or unlucky window does not end the priming as a "no better than the best" rule
 * did), or when the time limit has passed. Used for the service's nodes ({@link Bench}) and for
 * the engine-only baseline ({@link EngineBaseline}) alike.
 *
 * @param window the length of one window
 * @param limit the longest priming
 * @param minWindows the fewest windows
 */
record Priming(Duration window, Duration limit, int minWindows) {

	/** Windows the trend is taken over. */
	static final int TREND = 4;

	/** Largest rise per window, as a share of the mean, that counts as flat. */
	static final double FLAT = 0.01;

	static Priming of(boolean smoke) {
		return smoke ? new Priming(Duration.ofSeconds(1), Duration.ofSeconds(2), 1)
				: new Priming(Duration.ofSeconds(10), Duration.ofSeconds(300), 6);
	}

	/** Runs windows (each answers its rate) until steady; answers the rates of the windows. */
	List<Double> untilSteady(DoubleSupplier runWindow) {
		List<Double> rates = new ArrayList<>();
		long deadline = System.nanoTime() + this.limit.toNanos();
		while (true) {
			rates.add(runWindow.getAsDouble());
			// (a priming shorter than the trend, the smoke run's, stops at its fewest windows)
			boolean steady = rates.size() >= this.minWindows && (rates.size() < TREND || flat(rates));
			if (steady || System.nanoTime() > deadline) {
				return rates;
			}
		}
	}

	/** Whether the last {@link #TREND} rates rise by less than {@link #FLAT} of their mean per window. */
	static boolean flat(List<Double> rates) {
		List<Double> last = rates.subList(rates.size() - TREND, rates.size());
		double meanX = (TREND - 1) / 2.0;
		double meanY = last.stream().mapToDouble(Double::doubleValue).average().orElse(0);
		double covariance = 0;
		double variance = 0;
		for (int i = 0; i < TREND; i++) {
			covariance += (i - meanX) * (last.get(i) - meanY);
			variance += (i - meanX) * (i - meanX);
		}
		return meanY <= 0 || covariance / variance <= FLAT * meanY;
	}

}
