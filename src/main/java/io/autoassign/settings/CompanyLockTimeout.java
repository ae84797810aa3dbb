package io.autoassign.settings;

import java.time.Duration;

import io.autoassign.domain.ServiceUnavailableException;

/**
 * A company's lock could not be had in time: another transaction of that company (a rebuild, a
 * configuration change) holds it. Not retried at once, since it already waited; a request is
 * answered 503 with Retry-After, a job runs again later.
 */
public class CompanyLockTimeout extends ServiceUnavailableException {

	CompanyLockTimeout(String companyId, Duration waited) {
		super("Company " + companyId + " is busy (waited " + waited.toMillis() + " ms for its lock); retry shortly",
				null);
	}

}
