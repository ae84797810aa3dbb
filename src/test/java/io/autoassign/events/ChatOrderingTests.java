package io.autoassign.events;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ChatOrderingTests {

	private final ChatOrdering ordering = new ChatOrdering();

	private final List<String> delivered = new CopyOnWriteArrayList<>();

	@AfterEach
	void stop() {
		this.ordering.destroy();
	}

	@Test
	void eventsInOrderGoOutAtOnce() {
		submit("c", 1, "assigned");
		submit("c", 2, "taken over", "unassigned");
		submit("c", 3, "closed");
		assertThat(this.delivered).containsExactly("assigned", "taken over", "unassigned", "closed");
	}

	@Test
	void aLaterTransactionWaitsForTheEarlierOne() {
		submit("c", 1, "assigned");
		submit("c", 3, "closed");
		assertThat(this.delivered).containsExactly("assigned");
		submit("c", 2, "taken over", "unassigned");
		assertThat(this.delivered).containsExactly("assigned", "taken over", "unassigned", "closed");
	}

	@Test
	void theFirstEventOfANewChatWaitsForNothingButItsPredecessorsDo() {
		submit("c", 2, "second");
		assertThat(this.delivered).isEmpty();
		submit("c", 1, "first");
		assertThat(this.delivered).containsExactly("first", "second");
	}

	@Test
	void chatsDoNotWaitForEachOther() {
		submit("c", 1, "c1");
		submit("c", 3, "c3");
		submit("d", 1, "d1");
		submit(null, 0, "summary");
		assertThat(this.delivered).containsExactly("c1", "d1", "summary");
	}

	@Test
	void anEventGoesOutAnywayWhenItsPredecessorNeverComes() {
		submit("c", 1, "c1");
		submit("c", 3, "c3");
		submit("c", 4, "c4");
		// held back while 2 may still come (no timing asserted: a loaded machine may be slow)
		assertThat(this.delivered).containsExactly("c1");
		await().atMost(ChatOrdering.MAX_WAIT.plus(Duration.ofSeconds(10))).until(() -> this.delivered.size() == 3);
		assertThat(this.delivered).containsExactly("c1", "c3", "c4");
		submit("c", 5, "c5");
		assertThat(this.delivered).endsWith("c5");
	}

	/** One transaction's events about one chat, delivered as a unit. */
	private void submit(String chat, long sequence, String... names) {
		this.ordering.submit(chat, sequence, () -> this.delivered.addAll(List.of(names)));
	}

}
