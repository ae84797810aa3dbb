package io.autoassign.chat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The estimate's arithmetic: position within the pool times the recent mean service interval,
 * divided by the share of service left to the chat's priority and below (later, more urgent
 * chats take the rest; at most 90% of it), plus the time to the opening.
 */
class WaitEstimatesTests {

	/** 10 recent departures, 6 s apart: 6 NORMAL, 3 HIGH, 1 URGENT. */
	static final QueueDrainHistory.Drain DRAIN = new QueueDrainHistory.Drain(10, 6.0, new int[] { 0, 6, 3, 1 });

	@Test
	void moreUrgentChatsArrivingLaterStretchTheWaitOfLessUrgentOnes() {
		WaitEstimates.Estimator estimator = new WaitEstimates.Estimator(Map.of("*", DRAIN), 0);
		assertThat(estimator.seconds("*", 5, Priority.URGENT)).isEqualTo(30);
		// 1 of 10 departures was more urgent than HIGH: 5 x 6 / 0.9
		assertThat(estimator.seconds("*", 5, Priority.HIGH)).isEqualTo(33);
		// 4 of 10 were more urgent than NORMAL: 5 x 6 / 0.6
		assertThat(estimator.seconds("*", 5, Priority.NORMAL)).isEqualTo(50);
		// all were more urgent than LOW: at most 90% taken, 5 x 6 / 0.1
		assertThat(estimator.seconds("*", 5, Priority.LOW)).isEqualTo(300);
	}

	@Test
	void noHistoryNoEstimateAndTheOpeningComesFirst() {
		assertThat(new WaitEstimates.Estimator(Map.of("*", DRAIN), 0).seconds("g:vip", 1, Priority.NORMAL)).isNull();
		assertThat(new WaitEstimates.Estimator(Map.of("*", DRAIN), 3600).seconds("*", 1, Priority.URGENT))
			.isEqualTo(3606);
	}

}
