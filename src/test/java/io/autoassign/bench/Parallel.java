package io.autoassign.bench;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Runs a step for each item on a few threads: set-up and clean-up at the server's pace. */
final class Parallel {

	private Parallel() {
	}

	static <T> void forEach(List<T> items, int threads, Consumer<T> step) {
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		try {
			for (T item : items) {
				pool.execute(() -> step.accept(item));
			}
		}
		finally {
			pool.shutdown();
			try {
				if (!pool.awaitTermination(1, TimeUnit.HOURS)) {
					throw new IllegalStateException("Parallel step did not finish");
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
	}

}
