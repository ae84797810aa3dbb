package io.autoassign.platform;

import java.sql.SQLException;

import org.springframework.dao.CannotAcquireLockException;

/**
 * Recognizes a lock wait that ran out of time (PostgreSQL's {@code lock_timeout}, SQLState
 * 55P03, which Spring's default translator leaves uncategorized). Such a transaction already
 * waited as long as it should: it is not run again at once, a request is answered 503.
 */
public final class LockTimeouts {

	/** PostgreSQL's "lock not available". */
	public static final String SQL_STATE = "55P03";

	private LockTimeouts() {
	}

	public static boolean isLockTimeout(Throwable ex) {
		Throwable t = ex;
		for (int depth = 0; t != null && depth < 16; depth++, t = t.getCause()) {
			if (t instanceof CannotAcquireLockException) {
				return true;
			}
			if (t instanceof SQLException sql && SQL_STATE.equals(sql.getSQLState())) {
				return true;
			}
		}
		return false;
	}

}
