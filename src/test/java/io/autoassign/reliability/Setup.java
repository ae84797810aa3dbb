package io.autoassign.reliability;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Runs a set-up step for each item on a few threads, at the server's pace; unlike the
 * benchmark's helper it stops at and rethrows the first failure, since a run must not go on
 * with half its agents missing.
 */
final class Setup {

	private Setup() {
	}

	static <T> void forEach(List<T> items, int threads, Consumer<T> step) {
		ConcurrentLinkedQueue<T> queue = new ConcurrentLinkedQueue<>(items);
		AtomicReference<RuntimeException> failure = new AtomicReference<>();
		List<Thread> workers = new ArrayList<>();
		for (int i = 0; i < threads; i++) {
			Thread worker = new Thread(() -> {
				for (T item = queue.poll(); item != null && failure.get() == null; item = queue.poll()) {
					try {
						step.accept(item);
					}
					catch (RuntimeException ex) {
						failure.compareAndSet(null, ex);
					}
				}
			}, "setup-" + i);
			worker.start();
			workers.add(worker);
		}
		for (Thread worker : workers) {
			try {
				worker.join();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
		if (failure.get() != null) {
			throw failure.get();
		}
	}

}
