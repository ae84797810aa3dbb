package io.autoassign.webhooks;

import java.time.Duration;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How webhooks are delivered ({@code auto-assign.webhooks.*}).
 *
 * @param send whether this node sends deliveries (every node writes them; a node that only serves
 * reads, or checks, may leave sending to the others)
 * @param requireHttps whether endpoints must be https URLs
 * @param allowLoopback whether endpoints may be on this machine (loopback or unspecified addresses)
 * @param allowPrivate whether endpoints may be on private, shared (100.64/10) or link-local addresses
 * @param pollInterval how often each node looks for due deliveries without being woken by a commit
 * @param connectTimeout longest wait for a connection to an endpoint
 * @param requestTimeout longest wait for an endpoint's answer (from sending to its status line)
 * @param lease how long a claimed delivery is its node's: another node sends it again after that,
 * should the first have died mid-delivery (longer than the two timeouts together)
 * @param initialBackoff the pause after a first failed attempt; each further failure doubles it
 * (with jitter: each pause is between 75% and 125% of its step)
 * @param maxBackoff the longest pause between two attempts
 * @param maxAge how long a delivery is tried before it is marked FAILED (it stays listed)
 * @param maxInFlightPerEndpoint requests one endpoint may have open at once (a slow endpoint holds
 * only its own)
 * @param retention how long delivered and failed deliveries stay listed
 * @param maxPerCompany most webhooks one company may have
 */
@Validated
@ConfigurationProperties("auto-assign.webhooks")
record WebhookProperties(@DefaultValue("true") boolean send, @DefaultValue("true") boolean requireHttps, @DefaultValue("false") boolean allowLoopback,
		@DefaultValue("false") boolean allowPrivate, @NotNull @DefaultValue("250ms") Duration pollInterval,
		@NotNull @DefaultValue("5s") Duration connectTimeout, @NotNull @DefaultValue("10s") Duration requestTimeout,
		@NotNull @DefaultValue("1m") Duration lease, @NotNull @DefaultValue("5s") Duration initialBackoff,
		@NotNull @DefaultValue("1h") Duration maxBackoff, @NotNull @DefaultValue("24h") Duration maxAge,
		@Min(1) @Max(256) @DefaultValue("32") int maxInFlightPerEndpoint,
		@NotNull @DefaultValue("7d") Duration retention, @Min(1) @Max(100) @DefaultValue("10") int maxPerCompany) {

	@AssertTrue(message = "must be longer than connect-timeout and request-timeout together")
	boolean isLeaseLongEnough() {
		return this.lease == null || this.connectTimeout == null || this.requestTimeout == null
				|| this.lease.compareTo(this.connectTimeout.plus(this.requestTimeout)) > 0;
	}

}
