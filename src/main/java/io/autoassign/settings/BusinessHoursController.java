package io.autoassign.settings;

import java.time.Clock;
import java.time.Instant;

import io.autoassign.domain.Identifiers;
import io.autoassign.hours.OpeningHours;
import io.autoassign.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Whether the team works now, and when that changes: what the host platform tells a customer
 * ("we are back on Monday at 09:00").
 */
@RestController
@RequestMapping("/api/v1/companies/{companyId}/business-hours")
@Tag(name = "Configuration", description = "A company's auto-assign configuration")
class BusinessHoursController {

	/**
	 * The answer: {@code open} now; {@code opensAt} the next opening when closed, {@code closesAt}
	 * the next closing when open (each {@code null} otherwise, and when it does not happen within
	 * a year); without business hours the team is always open.
	 */
	record BusinessHoursState(boolean businessHoursEnabled, String timeZone, boolean open, Instant opensAt,
			Instant closesAt) {
	}

	private final SettingsService settings;

	private final Clock clock;

	BusinessHoursController(SettingsService settings, Clock clock) {
		this.settings = settings;
		this.clock = clock;
	}

	@GetMapping
	@Operation(operationId = "getBusinessHours",
			summary = "Whether the team works now (chats are assigned), and when it next opens or closes")
	BusinessHoursState get(@AuthenticationPrincipal Caller caller, @PathVariable String companyId) {
		caller.requireMemberOf(Identifiers.company(companyId));
		AutoAssignConfig config = this.settings.get(companyId);
		if (!config.businessHoursEnabled()) {
			return new BusinessHoursState(false, config.timeZone(), true, null, null);
		}
		Instant now = this.clock.instant();
		OpeningHours hours = config.openingHours();
		boolean open = hours.isOpen(now);
		return new BusinessHoursState(true, config.timeZone(), open, open ? null : hours.opensAt(now),
				open ? hours.closesAt(now) : null);
	}

}
