package io.autoassign.webhooks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.autoassign.domain.FieldError;
import io.autoassign.domain.Identifiers;
import io.autoassign.domain.InvalidInputException;
import io.autoassign.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/companies/{companyId}/webhooks")
@Tag(name = "Webhooks", description = "Signed HTTP callbacks of every event, delivered at least once, and their deliveries")
class WebhookController {

	private static final Set<String> DELIVERY_PARAMETERS = Set.of("status", "limit", "cursor");

	private final WebhookService webhooks;

	WebhookController(WebhookService webhooks) {
		this.webhooks = webhooks;
	}

	/**
	 * @param secret the HMAC key of the signatures (16-256 characters; required on creation, kept
	 * when omitted later)
	 * @param events the event types to receive; omitted or null: every type
	 * @param enabled whether events are recorded and sent (default true)
	 */
	record WebhookRequest(@NotBlank @Size(max = 2048) String url, @Size(min = 16, max = 256) String secret,
			@Size(max = 20) List<@NotNull String> events, Boolean enabled) {
	}

	@PutMapping("/{webhookId}")
	@Operation(operationId = "putWebhook", summary = "Create (201) or replace (200) a webhook (the platform, or an admin of the company)")
	ResponseEntity<WebhookView> put(@AuthenticationPrincipal Caller caller, @PathVariable String companyId,
			@PathVariable String webhookId, @Valid @RequestBody WebhookRequest request) {
		caller.requireAdminOf(Identifiers.company(companyId));
		Identifiers.webhook(webhookId);
		WebhookService.Saved saved = this.webhooks.save(companyId, webhookId, request.url(), request.secret(),
				request.events(), request.enabled());
		return ResponseEntity.status(saved.created() ? HttpStatus.CREATED : HttpStatus.OK).body(saved.webhook());
	}

	@GetMapping
	@Operation(operationId = "listWebhooks", summary = "The company's webhooks (never their secrets)")
	List<WebhookView> list(@AuthenticationPrincipal Caller caller, @PathVariable String companyId) {
		caller.requireAdminOf(Identifiers.company(companyId));
		return this.webhooks.list(companyId);
	}

	@GetMapping("/{webhookId}")
	@Operation(operationId = "getWebhook", summary = "One webhook (never its secret)")
	WebhookView get(@AuthenticationPrincipal Caller caller, @PathVariable String companyId,
			@PathVariable String webhookId) {
		caller.requireAdminOf(Identifiers.company(companyId));
		return this.webhooks.get(companyId, Identifiers.webhook(webhookId));
	}

	@DeleteMapping("/{webhookId}")
	@Operation(operationId = "deleteWebhook", summary = "Delete a webhook and its deliveries")
	ResponseEntity<Void> delete(@AuthenticationPrincipal Caller caller, @PathVariable String companyId,
			@PathVariable String webhookId) {
		caller.requireAdminOf(Identifiers.company(companyId));
		this.webhooks.delete(companyId, Identifiers.webhook(webhookId));
		return ResponseEntity.noContent().build();
	}

	@GetMapping("/{webhookId}/deliveries")
	@Operation(operationId = "listDeliveries", summary = "The webhook's deliveries, newest first: status (PENDING, DELIVERED, FAILED), attempts, "
			+ "last error, next attempt; a page of at most limit (1..1000, default 100) and the next page's cursor")
	WebhookService.DeliveryPage deliveries(@AuthenticationPrincipal Caller caller, @PathVariable String companyId,
			@PathVariable String webhookId, @RequestParam Map<String, String> parameters) {
		caller.requireAdminOf(Identifiers.company(companyId));
		Identifiers.webhook(webhookId);
		List<FieldError> errors = new ArrayList<>();
		for (String name : new TreeSet<>(parameters.keySet())) {
			if (!DELIVERY_PARAMETERS.contains(name)) {
				errors.add(new FieldError(name, "is not a parameter of this listing"));
			}
		}
		DeliveryStatus status = null;
		if (parameters.get("status") != null) {
			try {
				status = DeliveryStatus.valueOf(parameters.get("status"));
			}
			catch (IllegalArgumentException ex) {
				errors.add(new FieldError("status", "must be one of " + List.of(DeliveryStatus.values())));
			}
		}
		String limit = parameters.getOrDefault("limit", "100");
		if (!limit.matches("[0-9]{1,4}") || Integer.parseInt(limit) < 1
				|| Integer.parseInt(limit) > WebhookService.MAX_LIMIT) {
			errors.add(new FieldError("limit", "must be an integer between 1 and " + WebhookService.MAX_LIMIT));
		}
		if (!errors.isEmpty()) {
			throw new InvalidInputException(errors);
		}
		return this.webhooks.deliveries(companyId, webhookId, status, parameters.get("cursor"),
				Integer.parseInt(limit));
	}

	@GetMapping("/{webhookId}/deliveries/{deliveryId}")
	@Operation(operationId = "getDelivery", summary = "One delivery")
	DeliveryView delivery(@AuthenticationPrincipal Caller caller, @PathVariable String companyId,
			@PathVariable String webhookId, @PathVariable String deliveryId) {
		caller.requireAdminOf(Identifiers.company(companyId));
		return this.webhooks.delivery(companyId, Identifiers.webhook(webhookId), deliveryId(deliveryId));
	}

	@PostMapping("/{webhookId}/deliveries/{deliveryId}/redeliver")
	@Operation(operationId = "redeliver", summary = "Send a delivery again as soon as possible (202), whatever its status, for another 24 hours")
	ResponseEntity<DeliveryView> redeliver(@AuthenticationPrincipal Caller caller, @PathVariable String companyId,
			@PathVariable String webhookId, @PathVariable String deliveryId) {
		caller.requireAdminOf(Identifiers.company(companyId));
		return ResponseEntity.accepted()
			.body(this.webhooks.redeliver(companyId, Identifiers.webhook(webhookId), deliveryId(deliveryId)));
	}

	private static long deliveryId(String deliveryId) {
		if (!deliveryId.matches("[0-9]{1,18}")) {
			throw new InvalidInputException("deliveryId", "must be a delivery's id (a positive integer)");
		}
		return Long.parseLong(deliveryId);
	}

}
