package io.autoassign.platform;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;

import redis.clients.jedis.exceptions.JedisClusterOperationException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * Tells a failure of the infrastructure (PostgreSQL or Redis unreachable, restarting, out of
 * connections, a lock or statement that timed out) from a failure of the code. The first kind
 * passes when the server answers again, so work that met it is retried later; the second does
 * not, so it is reported at once (a job raises an incident).
 */
final class Outages {

	/**
	 * PostgreSQL's SQLState classes and codes of a server that cannot serve now: connection
	 * exceptions (08), insufficient resources (53), shutdown or start-up (57P01-57P03), a
	 * cancelled statement (57014), serialization failure and deadlock (40001, 40P01); a lock
	 * that timed out is {@link LockTimeouts}'.
	 */
	private static final Set<String> TRANSIENT_SQL_STATES = Set.of("57P01", "57P02", "57P03", "57014", "40001",
			"40P01");

	/** Redis replies of a server that cannot serve now (loading its data, failing over). */
	private static final Set<String> TRANSIENT_REDIS_REPLIES = Set.of("LOADING", "BUSY", "TRYAGAIN", "CLUSTERDOWN",
			"MASTERDOWN", "READONLY");

	private Outages() {
	}

	/** Whether the failure, or any of its causes, is one the infrastructure recovers from. */
	public static boolean infrastructure(Throwable failure) {
		if (LockTimeouts.isLockTimeout(failure)) {
			return true;
		}
		Throwable t = failure;
		for (int depth = 0; t != null && depth < 32; depth++, t = t.getCause() == t ? null : t.getCause()) {
			if (t instanceof DataAccessResourceFailureException || t instanceof TransientDataAccessException
					|| t instanceof CannotCreateTransactionException || t instanceof TransactionSystemException
					|| t instanceof SQLTransientException || t instanceof SQLRecoverableException
					|| t instanceof SQLNonTransientConnectionException || t instanceof JedisConnectionException
					|| t instanceof JedisClusterOperationException || t instanceof IOException
					|| t instanceof RetryableFailure) {
				return true;
			}
			if (t instanceof SQLException sql && sql.getSQLState() != null
					&& (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("53")
							|| TRANSIENT_SQL_STATES.contains(sql.getSQLState()))) {
				return true;
			}
			if (t instanceof JedisDataException && t.getMessage() != null
					&& TRANSIENT_REDIS_REPLIES.contains(t.getMessage().split(" ", 2)[0])) {
				return true;
			}
		}
		return false;
	}

}
