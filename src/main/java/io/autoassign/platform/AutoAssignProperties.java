package io.autoassign.platform;

import java.time.Duration;

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
 */
@Validated
@ConfigurationProperties("auto-assign")
public record AutoAssignProperties(@NotBlank String apiKey, String tokenSecret,
		@NotNull @DefaultValue("12h") Duration tokenTtl, @DefaultValue("false") boolean embeddedRedis,
		@DefaultValue("true") boolean rebuildRoutingOnStart, @DefaultValue("false") boolean embeddedRun) {
}
