package io.autoassign.ratelimit;

import java.time.Duration;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How many requests each company may send to the REST API ({@code auto-assign.rate-limit.*}):
 * {@code requests} per {@code per} sustained, and {@code burst} at once after a quiet period.
 *
 * @param enabled whether requests are counted at all
 * @param requests the requests a company may send in each {@code per} (0: no limit)
 * @param per the period of {@code requests}
 * @param burst requests a company may send at once after a quiet period
 * @param companies limits of their own for some companies, by company id (a bigger customer; 0
 * requests for none)
 */
@Validated
@ConfigurationProperties("auto-assign.rate-limit")
record RateLimitProperties(@DefaultValue("true") boolean enabled,
		@Min(0) @Max(1_000_000) @DefaultValue("5000") int requests, @NotNull @DefaultValue("1s") Duration per,
		@Min(1) @Max(10_000_000) @DefaultValue("10000") int burst, Map<String, @Valid Limit> companies) {

	RateLimitProperties {
		companies = companies == null ? Map.of() : Map.copyOf(companies);
	}

	@AssertTrue(message = "per must be between 1 ms and 1 day")
	boolean isPerInRange() {
		return this.per == null || Limit.inRange(this.per);
	}

	/** The limit of {@code companyId}: its own, or the default. */
	Limit limitOf(String companyId) {
		Limit own = this.companies.get(companyId);
		return own != null ? own : new Limit(this.requests, this.per, this.burst);
	}

	/**
	 * One company's limit.
	 *
	 * @param requests the requests it may send in each {@code per} (0: no limit)
	 * @param per the period (one second when not given)
	 * @param burst requests at once after a quiet period (twice {@code requests} when not given)
	 */
	record Limit(@Min(0) @Max(1_000_000) int requests, Duration per, @Min(1) @Max(10_000_000) Integer burst) {

		Limit {
			per = per == null ? Duration.ofSeconds(1) : per;
			burst = burst == null ? Math.max(1, 2 * requests) : burst;
		}

		@AssertTrue(message = "per must be between 1 ms and 1 day")
		boolean isPerInRange() {
			return inRange(this.per);
		}

		static boolean inRange(Duration per) {
			return per.compareTo(Duration.ofMillis(1)) >= 0 && per.compareTo(Duration.ofDays(1)) <= 0;
		}

		boolean unlimited() {
			return this.requests == 0;
		}

		/** Microseconds between two requests at the sustained rate. */
		long intervalMicros() {
			return Math.max(1, this.per.toNanos() / 1000 / this.requests);
		}

		/** As a client reads it, e.g. "1000 requests per 1 s, bursts of 2000". */
		String describe() {
			return this.requests + " requests per " + seconds(this.per) + ", bursts of " + this.burst;
		}

		private static String seconds(Duration per) {
			return per.toMillis() % 1000 == 0 ? per.toSeconds() + " s" : per.toMillis() + " ms";
		}

	}

}
