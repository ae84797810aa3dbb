package io.autoassign.chat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.autoassign.events.AutoAssignEvent.ChatAssigned;
import io.autoassign.events.AutoAssignEvent.ChatPriorityChanged;
import io.autoassign.invariants.InvariantChecker;
import io.autoassign.platform.PausePoints;
import io.autoassign.platform.PausePoints.Point;
import io.autoassign.support.Api;
import io.autoassign.support.Engine;
import io.autoassign.support.EventRecorder;
import io.autoassign.support.Gates;
import io.autoassign.support.IntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Queue aging on real PostgreSQL and Redis, with the service's clock set by the test: with
 * {@code queueAgingMinutes}, a queued chat rises one level per that many minutes of waiting (up
 * to URGENT), ahead of the younger chats of its new level; several missed periods at once; an
 * explicit priority restarts the count; nothing rises while aging is off or once assigned; bad
 * values are a 400 naming the field; and a sweep that found a chat due while an admin changes
 * its priority does not raise it on stale facts (forced interleaving).
 */
@IntegrationTest
class QueueAgingIntegrationTests {

	@Autowired
	Api api;

	@Autowired
	EventRecorder events;

	@Autowired
	InvariantChecker invariants;

	@Autowired
	Engine engine;

	@Autowired
	QueueAging aging;

	@Autowired
	PausePoints pauses;

	String company;

	Instant t0;

	@BeforeEach
	void company() {
		this.t0 = this.engine.now().plus(Duration.ofDays(1));
		this.engine.setNow(this.t0);
		this.company = Api.newCompany();
		this.api.patch(base() + "/auto-assign", Map.of("maxChatsPerAgent", 1, "queueAgingMinutes", 10));
		this.api.put(base() + "/agents/a", Map.of("name", "A", "role", "AGENT"));
		this.api.put(base() + "/agents/a/status", Map.of("status", "ACTIVE"));
		create("busy", null);
	}

	@AfterEach
	void consistent() {
		try {
			assertThat(this.invariants.check(this.company).violations()).isEmpty();
			// later sweeps of other tests leave this company alone
			this.api.patch(base() + "/auto-assign", Map.of("queueAgingMinutes", 0));
		}
		finally {
			this.engine.resetClock();
		}
	}

	@Test
	void aWaitingChatRisesOneLevelPerPeriodAheadOfTheYoungerChatsOfItsNewLevelUpToUrgent() {
		create("n1", null);
		at(1);
		create("h1", "HIGH");
		create("h2", "HIGH");
		assertThat(queue()).containsExactly("h1", "h2", "n1");

		sweepAt(9);
		assertThat(queue()).containsExactly("h1", "h2", "n1");
		assertThat(this.events.of(this.company, ChatPriorityChanged.class)).isEmpty();

		// n1 waited 10 minutes: HIGH, and it arrived before h1 and h2
		sweepAt(10);
		assertThat(queue()).containsExactly("n1", "h1", "h2");
		assertThat(this.events.of(this.company, ChatPriorityChanged.class))
			.extracting(ChatPriorityChanged::chatId, ChatPriorityChanged::priority, ChatPriorityChanged::previousPriority,
					ChatPriorityChanged::reason, ChatPriorityChanged::previousQueuePosition,
					ChatPriorityChanged::queuePosition)
			.containsExactly(tuple("n1", Priority.HIGH, Priority.NORMAL, PriorityChange.AGING, 3, 1));
		assertThat(this.api.get(base() + "/chats/n1").text("priority")).isEqualTo("HIGH");

		// h1 and h2 waited 10 minutes: URGENT, ahead of n1 (HIGH since minute 10)
		sweepAt(11);
		assertThat(queue()).containsExactly("h1", "h2", "n1");
		assertThat(priorities()).containsExactly("URGENT", "URGENT", "HIGH");

		// n1 reaches URGENT at minute 20, first again; nothing rises above URGENT
		sweepAt(20);
		assertThat(queue()).containsExactly("n1", "h1", "h2");
		sweepAt(45);
		assertThat(priorities()).containsExactly("URGENT", "URGENT", "URGENT");
		assertThat(this.events.of(this.company, ChatPriorityChanged.class)).hasSize(4);
		// the assigned chat never rose
		assertThat(this.api.get(base() + "/chats/busy").text("priority")).isEqualTo("NORMAL");

		// the drain follows the aged order
		this.api.post(base() + "/chats/busy/close", null);
		assertThat(this.events.of(this.company, ChatAssigned.class)).extracting(ChatAssigned::chatId)
			.containsExactly("busy", "n1");
	}

	@Test
	void aChatThatMissedSeveralPeriodsRisesByAllOfThemAndAnExplicitPriorityRestartsItsCount() {
		create("l1", "LOW");
		sweepAt(25);
		assertThat(this.events.of(this.company, ChatPriorityChanged.class))
			.extracting(ChatPriorityChanged::priority, ChatPriorityChanged::previousPriority, ChatPriorityChanged::reason)
			.containsExactly(tuple(Priority.HIGH, Priority.LOW, PriorityChange.AGING));

		// an admin's choice at minute 27 counts from then: not due at 30 (the old schedule), due at 37
		at(27);
		Api.Response set = this.api.put(base() + "/chats/l1/priority", Map.of("priority", "LOW"));
		assertThat(set.text("priority")).isEqualTo("LOW");
		assertThat(this.events.of(this.company, ChatPriorityChanged.class).get(1).reason())
			.isEqualTo(PriorityChange.REQUESTED);
		sweepAt(36);
		assertThat(this.api.get(base() + "/chats/l1").text("priority")).isEqualTo("LOW");
		sweepAt(37);
		assertThat(this.api.get(base() + "/chats/l1").text("priority")).isEqualTo("NORMAL");
	}

	@Test
	void nothingRisesWhileAgingIsOffAndSwitchingItOnCountsTheWaitSoFar() {
		this.api.patch(base() + "/auto-assign", Map.of("queueAgingMinutes", 0));
		create("n1", null);
		sweepAt(24 * 60);
		assertThat(this.api.get(base() + "/chats/n1").text("priority")).isEqualTo("NORMAL");
		assertThat(this.events.of(this.company, ChatPriorityChanged.class)).isEmpty();

		// a day's wait at 600 minutes a level: two levels
		assertThat(this.api.patch(base() + "/auto-assign", Map.of("queueAgingMinutes", 600)).body()
			.path("queueAgingMinutes").asInt()).isEqualTo(600);
		this.aging.sweep();
		assertThat(this.api.get(base() + "/chats/n1").text("priority")).isEqualTo("URGENT");
	}

	@Test
	void badAgingValuesAreRefusedNamingTheField() {
		for (Object bad : List.of(-1, 1441, "ten", 2.5)) {
			Api.Response refused = this.api.patch(base() + "/auto-assign", Map.of("queueAgingMinutes", bad));
			assertThat(refused.status()).as(String.valueOf(bad)).isEqualTo(400);
			assertThat(refused.raw().body()).contains("queueAgingMinutes");
		}
		assertThat(this.api.get(base() + "/auto-assign").body().path("queueAgingMinutes").asInt()).isEqualTo(10);
	}

	/**
	 * The sweep finds n1 due, and is held before it locks the row; meanwhile an admin sets n1 to
	 * HIGH, which restarts its count. Released, the sweep must look again under the lock and
	 * leave n1 at HIGH; raising it on what the sweep had read would make it URGENT.
	 */
	@Test
	void aSweepHeldBetweenFindingAChatDueAndRaisingItLooksAgainAfterAnAdminsChange() throws Exception {
		create("n1", null);
		at(10);
		ExecutorService threads = Executors.newSingleThreadExecutor();
		try (Gates gates = Gates.install(this.pauses)) {
			Gates.Gate due = gates.at(Point.AGING_DUE, this.company, "n1");
			Future<Integer> sweeping = threads.submit(this.aging::sweep);
			due.awaitReached();

			assertThat(this.api.put(base() + "/chats/n1/priority", Map.of("priority", "HIGH")).text("priority"))
				.isEqualTo("HIGH");

			due.open();
			sweeping.get(1, TimeUnit.MINUTES);
		}
		finally {
			threads.shutdown();
		}
		assertThat(this.api.get(base() + "/chats/n1").text("priority")).isEqualTo("HIGH");
		assertThat(this.events.of(this.company, ChatPriorityChanged.class)).extracting(ChatPriorityChanged::reason)
			.containsExactly(PriorityChange.REQUESTED);
		// its count runs from the admin's change: HIGH until minute 20, URGENT then
		sweepAt(19);
		assertThat(this.api.get(base() + "/chats/n1").text("priority")).isEqualTo("HIGH");
		sweepAt(20);
		assertThat(this.api.get(base() + "/chats/n1").text("priority")).isEqualTo("URGENT");
	}

	private void at(int minutes) {
		this.engine.setNow(this.t0.plus(Duration.ofMinutes(minutes)));
	}

	/**
	 * Sweeps a second past minute {@code minutes} after t0 (chats queued at one instant of the
	 * fixed clock are stamped a microsecond apart, to keep their order).
	 */
	private void sweepAt(int minutes) {
		this.engine.setNow(this.t0.plus(Duration.ofMinutes(minutes)).plusSeconds(1));
		this.aging.sweep();
	}

	private List<String> queue() {
		return this.api.get(base() + "/queue").body().findValuesAsText("chatId");
	}

	private List<String> priorities() {
		return this.api.get(base() + "/queue").body().findValuesAsText("priority");
	}

	private void create(String chatId, String priority) {
		Map<String, Object> body = priority == null ? Map.of("chatId", chatId, "member", Map.of("id", "m-" + chatId))
				: Map.of("chatId", chatId, "member", Map.of("id", "m-" + chatId), "priority", priority);
		Api.Response response = this.api.post(base() + "/chats", body);
		assertThat(response.status()).as(response.raw().body()).isEqualTo(201);
	}

	private String base() {
		return "/api/v1/companies/" + this.company;
	}

}
