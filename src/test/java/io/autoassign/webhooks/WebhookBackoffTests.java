package io.autoassign.webhooks;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The pauses between attempts: doubling from the initial pause, capped, jittered, never past the maximum age. */
class WebhookBackoffTests {

	private static final Instant CREATED = Instant.parse("2026-12-01T10:00:00Z");

	private final WebhookProperties properties = new WebhookProperties(true, true, false, false, Duration.ofMillis(250),
			Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofMinutes(1), Duration.ofSeconds(5),
			Duration.ofHours(1), Duration.ofHours(24), 16, Duration.ofDays(7), 10);

	private final WebhookSender sender = new WebhookSender(null, this.properties, null, null, null, null, null);

	@RepeatedTest(20)
	void eachPauseDoublesWithinAQuarterEitherWayUpToTheCap() {
		Instant now = CREATED.plusSeconds(60);
		long[] steps = { 5, 10, 20, 40, 80, 160, 320, 640, 1280, 2560, 3600, 3600, 3600 };
		for (int attempt = 1; attempt <= steps.length; attempt++) {
			Duration pause = Duration.between(now, this.sender.nextAttempt(delivery(attempt), now));
			assertThat(pause.toMillis()).as("pause after attempt %d", attempt)
				.isBetween(steps[attempt - 1] * 750, steps[attempt - 1] * 1250);
		}
	}

	@Test
	void aDeliveryIsTriedOnceMoreAtTheEndOfItsMaximumAgeAndThenGivenUp() {
		Instant giveUpAt = CREATED.plus(Duration.ofHours(24));
		Instant nearTheEnd = giveUpAt.minusSeconds(30);
		assertThat(this.sender.nextAttempt(delivery(30), nearTheEnd)).isEqualTo(giveUpAt);
		assertThat(this.sender.nextAttempt(delivery(31), giveUpAt)).isNull();
		// the attempts a dead endpoint gets over the 24 hours: about thirty, not thousands
		int attempts = 0;
		Instant at = CREATED;
		for (Instant next = at; next != null; next = this.sender.nextAttempt(delivery(attempts), at)) {
			at = next;
			attempts++;
		}
		assertThat(attempts).isBetween(25, 40);
		assertThat(at).isEqualTo(giveUpAt);
	}

	private static WebhookStore.Locked delivery(int attempt) {
		return new WebhookStore.Locked(1, "co", "w", "e", "CHAT_ASSIGNED", "c", "{}", attempt, CREATED,
				CREATED.plus(Duration.ofHours(24)));
	}

}
