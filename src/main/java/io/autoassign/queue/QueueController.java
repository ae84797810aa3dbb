package io.autoassign.queue;

import java.util.List;

import io.autoassign.chat.ChatStore;
import io.autoassign.chat.WaitEstimates;
import io.autoassign.domain.Identifiers;
import io.autoassign.domain.InvalidInputException;
import io.autoassign.domain.NotFoundException;
import io.autoassign.events.AutoAssignEvent.QueueEntry;
import io.autoassign.events.QueueEntries;
import io.autoassign.security.Caller;
import io.autoassign.settings.SettingsService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Queue", description = "Chats waiting for an agent")
class QueueController {

	private final ChatStore chats;

	private final SettingsService settings;

	private final WaitEstimates estimates;

	QueueController(ChatStore chats, SettingsService settings, WaitEstimates estimates) {
		this.estimates = estimates;
		this.chats = chats;
		this.settings = settings;
	}

	@GetMapping("/api/v1/companies/{companyId}/queue")
	@Operation(operationId = "getQueue", summary = "Queued chats, oldest first, positions 1-based (at most limit, default 1000)")
	List<QueueEntry> queue(@AuthenticationPrincipal Caller caller, @PathVariable String companyId,
			@RequestParam(defaultValue = "1000") String limit) {
		caller.requireAdminOf(Identifiers.company(companyId));
		int max = limit(limit);
		if (!this.settings.exists(companyId)) {
			throw NotFoundException.company(companyId);
		}
		return QueueEntries.of(companyId, this.chats.queued(companyId, max), this.estimates);
	}

	/**
	 * {@code limit} in decimal digits only: Spring's own conversion would also take {@code 0x10}
	 * or {@code #10} as 16.
	 */
	private static int limit(String limit) {
		if (!limit.matches("[0-9]{1,5}") || Integer.parseInt(limit) < 1 || Integer.parseInt(limit) > 10_000) {
			throw new InvalidInputException("limit", "must be an integer between 1 and 10000");
		}
		return Integer.parseInt(limit);
	}

}
