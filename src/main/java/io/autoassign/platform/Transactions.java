package io.autoassign.platform;

import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.ProcessEngineException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs work in a transaction and runs it again when it lost a race: an engine
 * {@link OptimisticLockingException} (two events for one chat at once), a database deadlock or
 * lock timeout, a duplicate insert of the same id, or a {@link RetryableFailure}.
 * <p>
 * Retrying must happen outside any transaction: inside one, the failed attempt's work would
 * still be part of the transaction that is retried. Each attempt runs in an
 * {@link AfterTransaction} scope, so the work it hands over runs after it, on its own connection.
 */
@Component
public class Transactions {

	private static final Logger log = LoggerFactory.getLogger(Transactions.class);

	static final int MAX_ATTEMPTS = 10;

	/** PostgreSQL's SQLStates of a transaction aborted to break a deadlock, or to serialize. */
	private static final String DEADLOCK_DETECTED = "40P01";

	private static final String SERIALIZATION_FAILURE = "40001";

	private static final String FOREIGN_KEY_VIOLATION = "23503";

	private final TransactionTemplate template;

	private final TransactionTemplate newTransaction;

	Transactions(PlatformTransactionManager transactionManager) {
		this.template = new TransactionTemplate(transactionManager);
		this.newTransaction = new TransactionTemplate(transactionManager);
		this.newTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
	}

	/**
	 * Runs {@code work} in a new transaction, again after a lost race, up to
	 * {@value #MAX_ATTEMPTS} times.
	 */
	public <T> T retrying(Supplier<T> work) {
		if (TransactionSynchronizationManager.isActualTransactionActive()) {
			throw new IllegalStateException("Retrying work must start outside a transaction");
		}
		for (int attempt = 1;; attempt++) {
			try {
				return scoped(this.template, work);
			}
			catch (RuntimeException ex) {
				if (attempt >= MAX_ATTEMPTS || !isRetryable(ex)) {
					throw ex;
				}
				log.debug("Attempt {} lost a race, running again: {}", attempt, ex.toString());
				backOff(attempt);
			}
		}
	}

	/**
	 * Runs {@code work} in a transaction of its own, again after a lost race, even where a
	 * transaction is (still) bound to the thread, e.g. in an after-completion callback.
	 */
	public <T> T retryingInNewTransaction(Supplier<T> work) {
		for (int attempt = 1;; attempt++) {
			try {
				return scoped(this.newTransaction, work);
			}
			catch (RuntimeException ex) {
				if (attempt >= MAX_ATTEMPTS || !isRetryable(ex)) {
					throw ex;
				}
				backOff(attempt);
			}
		}
	}

	/** Runs {@code work} in a new transaction, again after a lost race. */
	public void retrying(Runnable work) {
		retrying(() -> {
			work.run();
			return null;
		});
	}

	/** Runs {@code work} in the current transaction or a new one, once. */
	public <T> T inTransaction(Supplier<T> work) {
		if (TransactionSynchronizationManager.isActualTransactionActive()) {
			return this.template.execute((status) -> work.get());
		}
		return scoped(this.template, work);
	}

	/**
	 * Runs the transaction in an {@link AfterTransaction} scope: what it hands over to run after
	 * it completes runs once its connection is back in the pool, before this returns.
	 */
	private static <T> T scoped(TransactionTemplate template, Supplier<T> work) {
		try (AfterTransaction.Scope scope = AfterTransaction.open()) {
			return template.execute((status) -> work.get());
		}
	}

	/** Whether running the failed transaction again may succeed (a lost race, not a bug). */
	public static boolean isRetryable(Throwable ex) {
		if (LockTimeouts.isLockTimeout(ex)) {
			// it already waited its lock_timeout: answered 503 rather than waiting again
			return false;
		}
		// Engine expressions wrap what a delegate throws, so look along the cause chain.
		boolean engineWrites = false;
		Throwable t = ex;
		for (int depth = 0; t != null && depth < 16; depth++, t = t.getCause()) {
			if (t instanceof OptimisticLockingException || t instanceof PessimisticLockingFailureException
					|| t instanceof DuplicateKeyException || t instanceof TransientDataAccessException
					|| t instanceof RetryableFailure || sqlState(t, DEADLOCK_DETECTED, SERIALIZATION_FAILURE)) {
				return true;
			}
			engineWrites |= t instanceof ProcessEngineException;
			// The engine's flush deleting a process's executions while another transaction added
			// one to it (committed after this one read the process): the engine reports the
			// foreign key, not an optimistic-lock failure; read afresh, the process is whole.
			if (engineWrites && sqlState(t, FOREIGN_KEY_VIOLATION)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether {@code t} is a driver exception with one of the SQLStates: e.g. a deadlock the
	 * database reported on the engine's own writes, which the engine wraps in a
	 * {@link ProcessEngineException} that Spring's translation never sees (our own statements
	 * arrive as a {@link PessimisticLockingFailureException}).
	 */
	private static boolean sqlState(Throwable t, String... states) {
		// a batch's failure carries the failed statement's exception as its next exception
		SQLException sql = t instanceof SQLException e ? e : null;
		for (int depth = 0; sql != null && depth < 16; depth++, sql = sql.getNextException()) {
			if (java.util.Arrays.asList(states).contains(sql.getSQLState())) {
				return true;
			}
		}
		return false;
	}

	private static void backOff(int attempt) {
		long millis = ThreadLocalRandom.current().nextLong(1, 5L * Math.min(attempt, 6) + 2);
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while retrying", ex);
		}
	}

}
