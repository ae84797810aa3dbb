package io.autoassign.platform;

import java.util.function.Supplier;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * State that belongs to the current transaction, kept in a {@link TransactionSynchronization}
 * of its own. Unlike a bound resource, a synchronization is suspended with its transaction, so
 * a transaction started with REQUIRES_NEW (e.g. from an after-completion callback) gets fresh
 * state instead of seeing the outer transaction's.
 */
public final class TransactionScoped {

	private TransactionScoped() {
	}

	/** The current transaction's instance of {@code type} if it has one (null outside a transaction). */
	public static <T extends TransactionSynchronization> T find(Class<T> type) {
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			return null;
		}
		for (TransactionSynchronization synchronization : TransactionSynchronizationManager.getSynchronizations()) {
			if (type.isInstance(synchronization)) {
				return type.cast(synchronization);
			}
		}
		return null;
	}

	/** The current transaction's instance of {@code type}, registered by {@code create} on first use. */
	public static <T extends TransactionSynchronization> T get(Class<T> type, Supplier<T> create) {
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			throw new IllegalStateException(type.getSimpleName() + " needs a transaction");
		}
		for (TransactionSynchronization synchronization : TransactionSynchronizationManager.getSynchronizations()) {
			if (type.isInstance(synchronization)) {
				return type.cast(synchronization);
			}
		}
		T created = create.get();
		TransactionSynchronizationManager.registerSynchronization(created);
		return created;
	}

}
