package io.autoassign.assignment;

import io.autoassign.platform.RetryableFailure;

/**
 * Redis holds no routing state for the company (it restarted empty or was flushed). The state
 * is rebuilt from the database once the failing transaction has rolled back; the transaction
 * can then simply run again.
 */
class RoutingStateMissing extends RuntimeException implements RetryableFailure {

	private final String companyId;

	RoutingStateMissing(String companyId) {
		super("Routing state of company " + companyId + " is not in Redis; it is being rebuilt");
		this.companyId = companyId;
	}

	public String companyId() {
		return this.companyId;
	}

}
