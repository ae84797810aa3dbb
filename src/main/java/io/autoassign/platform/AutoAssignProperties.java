package io.autoassign.platform;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the service itself (not of a company's routing, which lives in the database).
 *
 * @param apiKey bearer key of the host platform; {@link RunModeEnvironment} fills it on the
 * embedded run and refuses to start without it elsewhere
 * @param tokenSecret secret that signs agent and admin tokens; derived from the API key when blank
 * @param tokenTtl lifetime of a minted token unless the request asks for a shorter one
 * @param embeddedRedis whether to start a Redis server from the embedded-redis jar when nothing
 * answers at the configured Redis address
 * @param rebuildRoutingOnStart whether to rebuild every company's Redis routing state from the
 * database when the service starts
 * @param embeddedRun set by {@link RunModeEnvironment}: true on the embedded H2 run
 * @param intake how new chats are taken in (see {@code io.autoassign.chat.ChatIntake})
 * @param jobs how the engine's jobs ride out outages (see {@link JobRetries})
 */
@Validated
@ConfigurationProperties("auto-assign")
public record AutoAssignProperties(@NotBlank String apiKey, String tokenSecret,
		@NotNull @DefaultValue("12h") Duration tokenTtl, @DefaultValue("false") boolean embeddedRedis,
		@DefaultValue("true") boolean rebuildRoutingOnStart, @DefaultValue("false") boolean embeddedRun,
		@NotNull @DefaultValue @Valid Intake intake, @NotNull @DefaultValue @Valid Jobs jobs) {

	/**
	 * New chats are created in batches of whatever has arrived.
	 *
	 * @param workers transactions creating chats at the same time
	 * @param maxBatch most chats created in one transaction
	 * @param maxWaiting most chats waiting to be created; beyond, new chats are refused with 503
	 * @param timeout longest a request waits for its chat to be created before answering 503
	 */
	public record Intake(@Min(1) @Max(64) @DefaultValue("3") int workers,
			@Min(1) @Max(1000) @DefaultValue("64") int maxBatch,
			@Min(1) @DefaultValue("10000") int maxWaiting, @NotNull @DefaultValue("30s") Duration timeout) {
	}

	/**
	 * Jobs met by an outage of PostgreSQL or Redis.
	 *
	 * @param outageRetryCycle the pauses before each new try, in Camunda's
	 * {@code failedJobRetryTimeCycle} list form; the default rides out an outage of about an hour
	 * before an incident is raised
	 * @param recoveryInterval how often incidents an outage raised are retried once both servers
	 * answer
	 */
	public record Jobs(
			@NotBlank @DefaultValue("PT5S,PT10S,PT30S,PT1M,PT2M,PT5M,PT5M,PT5M,PT5M,PT5M,PT5M,PT10M,PT10M,PT10M") String outageRetryCycle,
			@NotNull @DefaultValue("30s") Duration recoveryInterval) {
	}

}
