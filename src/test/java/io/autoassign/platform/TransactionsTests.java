package io.autoassign.platform;

import java.sql.BatchUpdateException;
import java.sql.SQLException;

import org.apache.ibatis.exceptions.PersistenceException;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.ProcessEnginePersistenceException;
import org.junit.jupiter.api.Test;

import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataIntegrityViolationException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which failures are lost races that running the transaction again may win, with the exception
 * chains the engine and the driver really produce (as logged in the failures that led here: a
 * batch of the engine's flush aborted by PostgreSQL).
 */
class TransactionsTests {

	@Test
	void aDeadlockOnTheEnginesWritesIsALostRace() {
		assertThat(Transactions.isRetryable(engineFlushFailure("40P01", "deadlock detected"))).isTrue();
		assertThat(Transactions.isRetryable(engineFlushFailure("40001", "could not serialize access"))).isTrue();
	}

	@Test
	void theEnginesFlushMeetingAnExecutionAnotherTransactionAddedIsALostRace() {
		assertThat(Transactions.isRetryable(engineFlushFailure("23503",
				"update or delete on table \"act_ru_execution\" violates foreign key constraint \"act_fk_exe_procinst\"")))
			.isTrue();
	}

	@Test
	void aForeignKeyViolationOfOurOwnStatementsIsNotRetried() {
		// a bug of ours would only fail ten times instead of once
		assertThat(Transactions.isRetryable(new DataIntegrityViolationException("insert failed",
				new SQLException("violates foreign key constraint", "23503"))))
			.isFalse();
	}

	@Test
	void aLockTimeoutAndAnyOtherFailureAreNotRetried() {
		assertThat(Transactions.isRetryable(new CannotAcquireLockException("lock timeout",
				new SQLException("canceling statement due to lock timeout", "55P03"))))
			.isFalse();
		assertThat(Transactions.isRetryable(engineFlushFailure("23505", "duplicate key value"))).isFalse();
		assertThat(Transactions.isRetryable(new IllegalStateException("a bug"))).isFalse();
	}

	/** What the engine throws when a batch of its flush fails with {@code sqlState}. */
	private static RuntimeException engineFlushFailure(String sqlState, String message) {
		SQLException statement = new SQLException("ERROR: " + message, sqlState);
		BatchUpdateException batch = new BatchUpdateException("Batch entry 6 delete from ACT_RU_EXECUTION was aborted: "
				+ message + "  Call getNextException to see other errors in the batch.", sqlState, 0, new int[0]);
		batch.setNextException(statement);
		return new ProcessEnginePersistenceException("An exception occurred in the persistence layer.",
				new ProcessEngineException("ENGINE-03004 Exception while executing Database Operation",
						new PersistenceException("Error flushing statements", batch)));
	}

}
