package io.autoassign.reliability;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Polling with a deadline: the runs wait for conditions, never for a fixed time. */
final class Waits {

	private Waits() {
	}

	/** Polls {@code condition} every half second until it holds or {@code timeout} passed; answers whether it held. */
	static boolean until(Duration timeout, BooleanSupplier condition) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			if (condition.getAsBoolean()) {
				return true;
			}
			if (System.nanoTime() >= deadline) {
				return false;
			}
			pause(Duration.ofMillis(500));
		}
	}

	/** The pause between two polls. */
	static void pause(Duration duration) {
		LockSupport.parkNanos(duration.toNanos());
		if (Thread.interrupted()) {
			throw new IllegalStateException("interrupted");
		}
	}

}
