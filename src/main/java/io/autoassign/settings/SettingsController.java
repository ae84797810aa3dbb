package io.autoassign.settings;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoassign.domain.Identifiers;
import io.autoassign.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/companies/{companyId}/auto-assign")
@Tag(name = "Configuration", description = "A company's auto-assign configuration")
class SettingsController {

	private final SettingsService settings;

	SettingsController(SettingsService settings) {
		this.settings = settings;
	}

	@GetMapping
	@Operation(operationId = "getConfiguration", summary = "The configuration; the defaults until the company writes one")
	AutoAssignConfig get(@AuthenticationPrincipal Caller caller, @PathVariable String companyId) {
		caller.requireAdminOf(Identifiers.company(companyId));
		return this.settings.get(companyId);
	}

	@PutMapping
	@Operation(operationId = "putConfiguration", summary = "Replace the configuration; omitted fields take their defaults")
	AutoAssignConfig put(@AuthenticationPrincipal Caller caller, @PathVariable String companyId,
			@RequestBody JsonNode document) {
		caller.requireAdminOf(Identifiers.company(companyId));
		return this.settings.replace(companyId, document);
	}

	@PatchMapping
	@Operation(operationId = "patchConfiguration", summary = "Merge into the configuration; omitted fields keep their values")
	AutoAssignConfig patch(@AuthenticationPrincipal Caller caller, @PathVariable String companyId,
			@RequestBody JsonNode document) {
		caller.requireAdminOf(Identifiers.company(companyId));
		return this.settings.patch(companyId, document);
	}

}
