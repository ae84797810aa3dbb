package io.autoassign.webhooks;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

import io.autoassign.domain.ConflictException;
import io.autoassign.domain.FieldError;
import io.autoassign.domain.InvalidInputException;
import io.autoassign.domain.NotFoundException;
import io.autoassign.events.AutoAssignEvent;
import io.autoassign.settings.SettingsService;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** A company's webhooks and their deliveries. */
@Service
public class WebhookService {

	/** Most deliveries one page holds. */
	public static final int MAX_LIMIT = 1000;

	private final WebhookStore store;

	private final WebhookTargets targets;

	private final WebhookProperties properties;

	private final WebhookSender sender;

	private final SettingsService settings;

	private final Clock clock;

	WebhookService(WebhookStore store, WebhookProperties properties, WebhookSender sender, SettingsService settings,
			Clock clock) {
		this.store = store;
		this.targets = new WebhookTargets(properties);
		this.properties = properties;
		this.sender = sender;
		this.settings = settings;
		this.clock = clock;
	}

	/** A webhook as saved, and whether the save created it. */
	public record Saved(WebhookView webhook, boolean created) {
	}

	/**
	 * Creates or replaces the webhook. {@code secret} may be omitted when it exists (the old one
	 * stays); {@code events} {@code null} receives every type; {@code enabled} {@code null} is true.
	 */
	@Transactional
	public Saved save(String companyId, String webhookId, String url, String secret, List<String> events,
			Boolean enabled) {
		this.targets.check(url);
		List<String> types = eventTypes(events);
		this.settings.ensureCompany(companyId);
		Webhook existing = this.store.find(companyId, webhookId).orElse(null);
		if (existing == null && secret == null) {
			throw new InvalidInputException("secret", "is required when the webhook is created (16-256 characters)");
		}
		if (existing == null && this.store.count(companyId) >= this.properties.maxPerCompany()) {
			throw new ConflictException("The company has " + this.properties.maxPerCompany()
					+ " webhooks already, the most it may have (auto-assign.webhooks.max-per-company)");
		}
		Instant now = this.clock.instant();
		Webhook webhook = new Webhook(companyId, webhookId, url, secret == null ? existing.secret() : secret, types,
				enabled == null || enabled, existing == null ? now : existing.createdAt(), now);
		boolean created = this.store.upsert(webhook);
		this.sender.wakeUp();
		return new Saved(this.store.find(companyId, webhookId).orElseThrow().view(), created);
	}

	public WebhookView get(String companyId, String webhookId) {
		return webhook(companyId, webhookId).view();
	}

	public List<WebhookView> list(String companyId) {
		if (!this.settings.exists(companyId)) {
			throw NotFoundException.company(companyId);
		}
		return this.store.list(companyId).stream().map(Webhook::view).toList();
	}

	/** Deletes the webhook and its deliveries (those under way may still arrive once). */
	@Transactional
	public void delete(String companyId, String webhookId) {
		if (!this.store.delete(companyId, webhookId)) {
			throw notFound(companyId, webhookId);
		}
	}

	/** A page of deliveries, newest first, and the cursor of the next page ({@code null} after the last). */
	public record DeliveryPage(List<DeliveryView> deliveries, String next) {
	}

	public DeliveryPage deliveries(String companyId, String webhookId, DeliveryStatus status, String cursor,
			int limit) {
		Long before = DeliveryCursor.decode(cursor);
		webhook(companyId, webhookId);
		List<DeliveryView> found = this.store.deliveries(companyId, webhookId, status, before, limit + 1);
		boolean more = found.size() > limit;
		List<DeliveryView> page = more ? found.subList(0, limit) : found;
		return new DeliveryPage(page, more ? DeliveryCursor.encode(page.get(page.size() - 1).deliveryId()) : null);
	}

	public DeliveryView delivery(String companyId, String webhookId, long deliveryId) {
		webhook(companyId, webhookId);
		return this.store.delivery(companyId, webhookId, deliveryId)
			.orElseThrow(() -> new NotFoundException("Delivery " + deliveryId + " of webhook " + webhookId
					+ " of company " + companyId + " not found"));
	}

	/**
	 * Sends the delivery again as soon as possible, whatever its status, for another maximum age;
	 * it keeps its place among its chat's deliveries (later ones of the chat wait for it).
	 */
	public DeliveryView redeliver(String companyId, String webhookId, long deliveryId) {
		delivery(companyId, webhookId, deliveryId);
		Instant now = this.clock.instant();
		this.store.redeliver(companyId, webhookId, deliveryId, now, now.plus(this.properties.maxAge()));
		this.sender.wakeUp();
		return delivery(companyId, webhookId, deliveryId);
	}

	private Webhook webhook(String companyId, String webhookId) {
		return this.store.find(companyId, webhookId).orElseThrow(() -> notFound(companyId, webhookId));
	}

	private static NotFoundException notFound(String companyId, String webhookId) {
		return new NotFoundException("Webhook " + webhookId + " of company " + companyId + " not found");
	}

	private static List<String> eventTypes(List<String> events) {
		if (events == null) {
			return null;
		}
		List<FieldError> errors = new ArrayList<>();
		for (int i = 0; i < events.size(); i++) {
			if (!AutoAssignEvent.CHANGE_TYPES.contains(events.get(i))) {
				errors.add(new FieldError("events[" + i + "]",
						"must be one of " + String.join(", ", AutoAssignEvent.CHANGE_TYPES)));
			}
		}
		if (events.isEmpty()) {
			errors.add(new FieldError("events", "must name at least one event type (omit it for every type)"));
		}
		if (!errors.isEmpty()) {
			throw new InvalidInputException(errors);
		}
		return List.copyOf(new LinkedHashSet<>(events));
	}

}
