package io.autoassign.support;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.autoassign.platform.PausePoints;
import io.autoassign.platform.PausePoints.Point;

/**
 * Forces interleavings through the service's {@link PausePoints}: a {@link Gate} holds the
 * threads that reach its point (for one company, and one chat when given) until the test opens
 * it, and may make them fail there. Install with {@link #install}, and {@link #close} after the
 * test (which opens every gate, so that no thread stays held).
 */
public final class Gates implements PausePoints.Hook, AutoCloseable {

	/** How long a held thread waits at most (a test that forgets to open a gate fails, not hangs). */
	private static final Duration MAX_HOLD = Duration.ofSeconds(60);

	private final PausePoints points;

	private final List<Gate> gates = new CopyOnWriteArrayList<>();

	private Gates(PausePoints points) {
		this.points = points;
	}

	public static Gates install(PausePoints points) {
		Gates gates = new Gates(points);
		points.install(gates);
		return gates;
	}

	/** Holds every thread reaching {@code point} for the company (any chat). */
	public Gate at(Point point, String companyId) {
		return at(point, companyId, null);
	}

	/** Holds every thread reaching {@code point}, whatever its company (e.g. the event stream's reader). */
	public Gate anywhere(Point point) {
		return at(point, null, null);
	}

	/** Holds every thread reaching {@code point} for the company's chat ({@code null}: any). */
	public Gate at(Point point, String companyId, String chatId) {
		Gate gate = new Gate(point, companyId, chatId);
		this.gates.add(gate);
		return gate;
	}

	@Override
	public void reached(Point point, String companyId, String chatId) {
		for (Gate gate : this.gates) {
			if (gate.matches(point, companyId, chatId)) {
				gate.pass();
			}
		}
	}

	@Override
	public void close() {
		this.points.install(null);
		this.gates.forEach(Gate::open);
	}

	/** One gate. Holds only the first {@code times} threads (once by default). */
	public static final class Gate {

		private final Point point;

		private final String companyId;

		private final String chatId;

		private final AtomicInteger arrived = new AtomicInteger();

		private final CountDownLatch open = new CountDownLatch(1);

		private volatile int times = 1;

		private volatile int skip;

		private volatile CountDownLatch reached = new CountDownLatch(1);

		private volatile Supplier<RuntimeException> failure;

		private volatile int failures;

		private Gate(Point point, String companyId, String chatId) {
			this.point = point;
			this.companyId = companyId;
			this.chatId = chatId;
		}

		/** Holds the first {@code count} threads that arrive (the others pass). */
		public Gate holding(int count) {
			this.times = count;
			this.reached = new CountDownLatch(count);
			return this;
		}

		/** Lets the first {@code count} arrivals pass unheld; the holding starts after them. */
		public Gate skipping(int count) {
			this.skip = count;
			return this;
		}

		/** Lets threads pass at once instead of holding them. */
		public Gate passing() {
			this.times = 0;
			this.reached = new CountDownLatch(0);
			this.open.countDown();
			return this;
		}

		/** The first {@code count} threads passing the gate throw {@code failure} there. */
		public Gate failing(int count, Supplier<RuntimeException> failure) {
			this.failures = count;
			this.failure = failure;
			return this;
		}

		/** Waits until the threads it holds have arrived. */
		public Gate awaitReached() {
			try {
				if (!this.reached.await(MAX_HOLD.toSeconds(), TimeUnit.SECONDS)) {
					throw new AssertionError("Nobody reached " + this.point + " for " + this.companyId + "/" + this.chatId);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError(ex);
			}
			return this;
		}

		/** How many threads have arrived so far. */
		public int arrivals() {
			return this.arrived.get();
		}

		/** Lets the held threads (and every later one) through. */
		public void open() {
			this.open.countDown();
		}

		boolean matches(Point point, String companyId, String chatId) {
			return this.point == point && (this.companyId == null || this.companyId.equals(companyId))
					&& (this.chatId == null || this.chatId.equals(chatId));
		}

		void pass() {
			int n = this.arrived.incrementAndGet() - this.skip;
			if (n > 0 && n <= this.times) {
				this.reached.countDown();
				try {
					if (!this.open.await(MAX_HOLD.toSeconds(), TimeUnit.SECONDS)) {
						throw new IllegalStateException("Gate at " + this.point + " was never opened");
					}
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new IllegalStateException(ex);
				}
			}
			Supplier<RuntimeException> fail = this.failure;
			if (fail != null && n > 0 && n <= this.failures) {
				throw fail.get();
			}
		}

	}

}
