package io.autoassign.events;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The log gives a chat's events in transaction order; what the ordering still decides is whether
 * an event that shows up late, after a later transaction's events of its chat went out, is
 * delivered (never: its recipients get a sync instead).
 */
class ChatOrderingTests {

	private final ChatOrdering ordering = new ChatOrdering();

	@Test
	void eventsInOrderGoOutAndNeverWait() {
		assertThat(this.ordering.admit("c", 1)).isTrue();
		// a transaction without events in between (sequence 2) holds nothing back
		assertThat(this.ordering.admit("c", 3)).isTrue();
		assertThat(this.ordering.admit("c", 4)).isTrue();
	}

	@Test
	void theEventsOfOneTransactionShareTheirNumber() {
		assertThat(this.ordering.admit("c", 2)).isTrue();
		assertThat(this.ordering.admit("c", 2)).isTrue();
		assertThat(this.ordering.admit("c", 3)).isTrue();
	}

	@Test
	void aLateEventOfAnEarlierTransactionIsRefused() {
		assertThat(this.ordering.admit("c", 1)).isTrue();
		assertThat(this.ordering.admit("c", 3)).isTrue();
		assertThat(this.ordering.admit("c", 2)).isFalse();
		assertThat(this.ordering.admit("c", 1)).isFalse();
		assertThat(this.ordering.admit("c", 4)).isTrue();
	}

	@Test
	void chatsAndCompanyWideEventsAreIndependent() {
		assertThat(this.ordering.admit("c", 5)).isTrue();
		assertThat(this.ordering.admit("d", 1)).isTrue();
		assertThat(this.ordering.admit(null, 0)).isTrue();
		assertThat(this.ordering.admit("c", 4)).isFalse();
	}

	@Test
	void aChatFirstSeenLateIsNotHeldBack() {
		// a node that started after the chat's first events
		assertThat(this.ordering.admit("c", 7)).isTrue();
	}

}
