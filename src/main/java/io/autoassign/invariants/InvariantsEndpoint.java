package io.autoassign.invariants;

import java.time.Duration;
import java.util.List;

import io.autoassign.settings.SettingsService;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.lang.Nullable;
import org.springframework.stereotype.Component;

/**
 * {@code GET /actuator/invariants} (every company) and {@code /actuator/invariants/{companyId}}
 * (one company; 404 for an unknown one): runs the {@link InvariantChecker} on the live
 * deployment, for operators (HTTP Basic with a Cockpit login, like every actuator endpoint but
 * health).
 * <p>
 * A company that shows violations is checked again, up to {@code attempts} times (default 5,
 * 1 s apart), and is reported only when no check was clean, so the answer on a system under
 * load names persistent inconsistencies, not transactions that were in flight.
 * {@code ?attempts=1} gives the raw single check.
 */
@Component
@Endpoint(id = "invariants")
class InvariantsEndpoint {

	static final int DEFAULT_ATTEMPTS = 5;

	static final int MAX_ATTEMPTS = 30;

	private static final Duration PAUSE = Duration.ofSeconds(1);

	private final InvariantChecker checker;

	private final SettingsService settings;

	InvariantsEndpoint(InvariantChecker checker, SettingsService settings) {
		this.checker = checker;
		this.settings = settings;
	}

	/** The answer for a set of companies: {@code ok} when every one of them is consistent. */
	record Result(boolean ok, int companies, List<CompanyResult> results) {

	}

	/** One company's answer. */
	record CompanyResult(String companyId, boolean ok, int openChats, int closedChats, int checks,
			List<String> violations) {

		static CompanyResult of(InvariantChecker.Settled settled) {
			InvariantChecker.Report report = settled.report();
			return new CompanyResult(report.companyId(), report.consistent(), report.openChats(),
					report.closedChats(), settled.checks(), report.violations());
		}

	}

	@ReadOperation
	Result all(@Nullable Integer attempts) {
		int tries = attempts(attempts);
		List<CompanyResult> results = this.settings.companyIds()
			.stream()
			.map((companyId) -> CompanyResult.of(this.checker.checkSettled(companyId, tries, PAUSE)))
			.toList();
		return new Result(results.stream().allMatch(CompanyResult::ok), results.size(), results);
	}

	@ReadOperation
	@Nullable
	CompanyResult company(@Selector String companyId, @Nullable Integer attempts) {
		if (!this.settings.exists(companyId)) {
			return null;
		}
		return CompanyResult.of(this.checker.checkSettled(companyId, attempts(attempts), PAUSE));
	}

	/** Out-of-range values are clamped: an operator's typo must not hold a request for minutes. */
	private static int attempts(@Nullable Integer attempts) {
		if (attempts == null) {
			return DEFAULT_ATTEMPTS;
		}
		return Math.max(1, Math.min(MAX_ATTEMPTS, attempts));
	}

}
