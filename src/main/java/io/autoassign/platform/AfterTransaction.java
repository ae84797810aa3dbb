package io.autoassign.platform;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

/**
 * Work that must run once the current transaction is over <em>and its connection is back in
 * the pool</em>: e.g. draining the queue after a commit freed a slot, or repairing Redis after a
 * rollback. Such work needs a database connection of its own; run from a transaction
 * synchronization it would take a second connection while the first is still held, and with
 * every request thread doing so at once the pool runs dry and the work fails.
 * <p>
 * Whoever starts a top-level transaction opens a {@link Scope} around it ({@link Transactions},
 * and for engine commands {@link EngineTransactionScopes}); work handed over from inside runs
 * when the scope closes, on the same thread, after the transaction's connection was returned.
 * A caller therefore sees the effects before its call returns (a close answers with the queue
 * already drained). Work handed over outside any scope runs on a small pool of threads of its
 * own. The work itself decides how to retry and what to leave for later: a failure that
 * escapes it is logged.
 */
@Component
public class AfterTransaction implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(AfterTransaction.class);

	private static final ThreadLocal<Deque<Scope>> SCOPES = ThreadLocal.withInitial(ArrayDeque::new);

	private final ThreadPoolExecutor unscoped = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS,
			new LinkedBlockingQueue<>(), new CustomizableThreadFactory("after-transaction-"));

	AfterTransaction() {
		this.unscoped.allowCoreThreadTimeOut(true);
	}

	/**
	 * Runs {@code work} when the innermost open scope of this thread closes, or on a thread of
	 * its own when none is open.
	 */
	public void run(String what, Runnable work) {
		Scope scope = SCOPES.get().peek();
		if (scope != null) {
			scope.work.add(new Work(what, work));
			return;
		}
		this.unscoped.execute(() -> {
			try (Scope own = open()) {
				runSafely(new Work(what, work));
			}
		});
	}

	/** Opens a scope on this thread; its work runs when it is closed. */
	public static Scope open() {
		Scope scope = new Scope();
		SCOPES.get().push(scope);
		return scope;
	}

	/** Whether a scope is open on this thread. */
	public static boolean inScope() {
		return !SCOPES.get().isEmpty();
	}

	private static void runSafely(Work work) {
		try {
			work.runnable().run();
		}
		catch (RuntimeException ex) {
			log.warn("Work after a transaction failed ({}): {}", work.what(), ex.toString());
		}
	}

	@Override
	public void destroy() {
		this.unscoped.shutdown();
	}

	private record Work(String what, Runnable runnable) {
	}

	/** Work collected while a top-level transaction runs; closing runs it, in order. */
	public static final class Scope implements AutoCloseable {

		private final List<Work> work = new ArrayList<>();

		private Scope() {
		}

		@Override
		public void close() {
			Deque<Scope> scopes = SCOPES.get();
			if (scopes.peek() != this) {
				throw new IllegalStateException("Scopes closed out of order");
			}
			// Work handed over while this runs (by the transactions it starts) goes to scopes of
			// its own, opened by those transactions; anything added here meanwhile runs too.
			try {
				for (int i = 0; i < this.work.size(); i++) {
					runSafely(this.work.get(i));
				}
			}
			finally {
				scopes.pop();
				if (scopes.isEmpty()) {
					SCOPES.remove();
				}
			}
		}

	}

}
