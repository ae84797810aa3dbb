package io.autoassign.settings;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.Map;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import io.autoassign.platform.Database;
import io.autoassign.platform.LockTimeouts;
import io.autoassign.platform.TransactionScoped;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * A per-company read/write lock held until the current transaction ends.
 * <p>
 * Routing work (assigning, queueing, releasing) holds it shared, so it runs concurrently;
 * changing the configuration and rebuilding the Redis routing state hold it exclusively. That
 * way a configuration change or a rebuild never interleaves with an assignment that has
 * reserved capacity in Redis but not yet committed to the database, which would otherwise be
 * lost from the rebuilt state or decided under a half-applied configuration.
 * <p>
 * On PostgreSQL these are transaction-scoped advisory locks, so they hold across every node of
 * a cluster and are part of the database's deadlock detection. On the embedded H2 run (one
 * node) they are JVM locks. Take the lock before any row lock of the same transaction.
 * <p>
 * No wait is unbounded: a transaction that cannot get the lock within
 * {@code auto-assign.lock-timeout} (10 s by default; on PostgreSQL the transaction's
 * {@code lock_timeout}, which then bounds its row-lock waits too) fails with
 * {@link CompanyLockTimeout}, answered 503 with Retry-After. Otherwise a company that holds its
 * lock long (a large rebuild) would let every request of that company sit on a pool connection.
 */
@Component
public class CompanyLocks {

	private final JdbcTemplate jdbc;

	private final boolean postgres;

	private final Map<String, ReentrantReadWriteLock> jvmLocks = new ConcurrentHashMap<>();

	private final Duration timeout;

	CompanyLocks(JdbcTemplate jdbc, Database database,
			@Value("${auto-assign.lock-timeout:10s}") Duration timeout) {
		this.jdbc = jdbc;
		this.postgres = database.isPostgres();
		this.timeout = timeout;
	}

	/** Holds the company's lock shared until the current transaction ends. */
	public void shared(String companyId) {
		acquire(companyId, false, this.timeout);
	}

	/** Holds the company's lock exclusively until the current transaction ends. */
	public void exclusive(String companyId) {
		acquire(companyId, true, this.timeout);
	}

	/**
	 * Holds the company's lock exclusively, waiting at most {@code timeout} (for background work
	 * that should rather come back later than hold up the company's requests behind it).
	 */
	public void exclusive(String companyId, Duration timeout) {
		acquire(companyId, true, timeout);
	}

	private void acquire(String companyId, boolean exclusive, Duration timeout) {
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			throw new IllegalStateException("A company lock needs a transaction");
		}
		Set<String> held = heldInThisTransaction();
		String token = (exclusive ? "x:" : "s:") + companyId;
		if (held.contains(token) || (!exclusive && held.contains("x:" + companyId))) {
			return;
		}
		if (this.postgres) {
			String function = exclusive ? "pg_advisory_xact_lock" : "pg_advisory_xact_lock_shared";
			try {
				// One round trip: the transaction's lock_timeout is set (for the rest of the
				// transaction) before the lock is asked for; the select list runs left to right.
				this.jdbc.query("select set_config('lock_timeout', ?, true), " + function + "(?)", (rs) -> null,
						timeout.toMillis() + "ms", key(companyId));
			}
			catch (DataAccessException ex) {
				if (LockTimeouts.isLockTimeout(ex)) {
					throw new CompanyLockTimeout(companyId, timeout);
				}
				throw ex;
			}
		}
		else {
			ReentrantReadWriteLock rw = this.jvmLocks.computeIfAbsent(companyId, (id) -> new ReentrantReadWriteLock());
			Lock lock = exclusive ? rw.writeLock() : rw.readLock();
			try {
				if (!lock.tryLock(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
					throw new CompanyLockTimeout(companyId, timeout);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new CompanyLockTimeout(companyId, timeout);
			}
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCompletion(int status) {
					lock.unlock();
				}
			});
		}
		held.add(token);
	}

	private static Set<String> heldInThisTransaction() {
		return TransactionScoped.get(Held.class, Held::new).locks;
	}

	/** The locks the current transaction holds. */
	private static final class Held implements TransactionSynchronization {

		final Set<String> locks = new HashSet<>();

	}

	/** A stable 64-bit advisory-lock key per company (collisions only cost extra waiting). */
	static long key(String companyId) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256")
				.digest(("auto-assign/company/" + companyId).getBytes(StandardCharsets.UTF_8));
			long key = 0;
			for (int i = 0; i < 8; i++) {
				key = (key << 8) | (digest[i] & 0xff);
			}
			return key;
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
