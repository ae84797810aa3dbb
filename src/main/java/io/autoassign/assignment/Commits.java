package io.autoassign.assignment;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** Bookkeeping that only a commit makes true (metrics, drain samples): never after a rollback. */
final class Commits {

	private Commits() {
	}

	/** Runs {@code work} after the current transaction commits, or now outside a transaction. */
	static void afterCommit(Runnable work) {
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			work.run();
			return;
		}
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

			@Override
			public void afterCommit() {
				work.run();
			}

		});
	}

}
