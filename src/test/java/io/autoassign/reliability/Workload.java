package io.autoassign.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;

import io.autoassign.bench.ServiceClient;

/**
 * A host platform's traffic on a fixed, seeded plan: chats arrive at a bounded rate; each gets
 * member messages, perhaps an Auto-Menu selection, perhaps an admin takeover, and most are
 * closed after a lifetime of seconds; meanwhile agents flip between ACTIVE, INACTIVE and
 * OFFLINE. A chat's requests go one at a time and only after its creation was answered, as a
 * platform would send them. At most {@code maxInFlight} requests are outstanding, so a slow
 * service slows the plan down instead of drowning in it. At checkpoints the plan stops, every
 * request in flight is answered and the checkpoint runs; the plan then continues where it was.
 */
final class Workload {

	/** The traffic's shape. */
	record Shape(int chats, Duration duration, int maxInFlight, double closeShare, double takeoverShare,
			int maxMessages, double menuShare, Duration lifeMin, Duration lifeMax, Duration flipEvery, long seed) {
	}

	/** One chat as the platform knows it: whether it was accepted, closed, taken over. */
	static final class ChatState {

		final String id;

		volatile boolean accepted;

		volatile boolean failed;

		volatile boolean busy;

		volatile boolean closed;

		volatile String takenOverBy;

		volatile boolean conflicted;

		/** The chat's next request, in plan order (0 = its creation). */
		volatile int step;

		ChatState(String id) {
			this.id = id;
		}

	}

	private enum Kind {

		CHAT, MESSAGE, MENU, TAKEOVER, CLOSE, STATUS

	}

	private record Action(long at, long order, Kind kind, ChatState chat, String target, int step) {
	}

	private final Platform platform;

	private final String company;

	private final List<String> agents;

	private final List<String> admins;

	private final Shape shape;

	private final Verdict verdict;

	private final Map<String, ChatState> chats = new ConcurrentHashMap<>();

	private final Set<String> flippable = ConcurrentHashMap.newKeySet();

	private final Map<String, String> agentStatus = new ConcurrentHashMap<>();

	private final PriorityQueue<Action> plan = new PriorityQueue<>(
			(a, b) -> a.at() != b.at() ? Long.compare(a.at(), b.at()) : Long.compare(a.order(), b.order()));

	private final Semaphore inFlight;

	private final AtomicLong order = new AtomicLong();

	private final AtomicLong unexpected = new AtomicLong();

	private final Random random;

	private volatile long pausedNanos;

	private volatile long start;

	Workload(Platform platform, String company, String prefix, List<String> agents, List<String> admins, Shape shape,
			Verdict verdict) {
		this.platform = platform;
		this.company = company;
		this.agents = agents;
		this.admins = admins;
		this.shape = shape;
		this.verdict = verdict;
		this.inFlight = new Semaphore(shape.maxInFlight());
		this.random = new Random(shape.seed());
		this.flippable.addAll(agents);
		plan(prefix);
	}

	private void plan(String prefix) {
		long span = this.shape.duration().toMillis();
		for (int i = 0; i < this.shape.chats(); i++) {
			ChatState chat = new ChatState(prefix + i);
			this.chats.put(chat.id, chat);
			long at = span * i / this.shape.chats();
			long life = this.shape.lifeMin().toMillis()
					+ (long) (this.random.nextDouble() * (this.shape.lifeMax().toMillis() - this.shape.lifeMin().toMillis()));
			List<Action> steps = new ArrayList<>();
			steps.add(action(at, Kind.CHAT, chat, null));
			if (this.random.nextDouble() < this.shape.menuShare()) {
				steps.add(action(at + Math.min(life / 4, 3000), Kind.MENU, chat, "sales"));
			}
			int messages = this.random.nextInt(this.shape.maxMessages() + 1);
			for (int m = 1; m <= messages; m++) {
				steps.add(action(at + life * m / (messages + 2), Kind.MESSAGE, chat, null));
			}
			if (this.random.nextDouble() < this.shape.takeoverShare()) {
				steps.add(action(at + life * 4 / 5, Kind.TAKEOVER, chat,
						this.admins.get(this.random.nextInt(this.admins.size()))));
			}
			if (this.random.nextDouble() < this.shape.closeShare()) {
				steps.add(action(at + life, Kind.CLOSE, chat, null));
			}
			steps.sort((a, b) -> a.at() != b.at() ? Long.compare(a.at(), b.at()) : Long.compare(a.order(), b.order()));
			for (int step = 0; step < steps.size(); step++) {
				Action a = steps.get(step);
				this.plan.add(new Action(a.at(), a.order(), a.kind(), chat, a.target(), step));
			}
		}
		for (long at = 0; at < span; at += this.shape.flipEvery().toMillis()) {
			this.plan.add(action(at, Kind.STATUS, null, null));
		}
	}

	private Action action(long at, Kind kind, ChatState chat, String target) {
		return new Action(at, this.order.incrementAndGet(), kind, chat, target, 0);
	}

	/** Keeps the agent's status as it is from now on (a scenario drives it itself). */
	void freeze(String agentId) {
		this.flippable.remove(agentId);
	}

	Collection<ChatState> chats() {
		return this.chats.values();
	}

	/** The status each agent was last set to by the plan. */
	Map<String, String> agentStatus() {
		return Map.copyOf(this.agentStatus);
	}

	long unexpectedAnswers() {
		return this.unexpected.get();
	}

	/** Milliseconds of the plan done (pauses at checkpoints not counted). */
	long elapsed() {
		return (System.nanoTime() - this.start - this.pausedNanos) / 1_000_000;
	}

	/**
	 * Runs the plan; at each of {@code checkpoints} (plan time) stops, lets every request in
	 * flight finish and calls {@code atCheckpoint} with the checkpoint's number. {@code during}
	 * runs once the plan reaches {@code duringAt}, without stopping it (e.g. a node's death).
	 */
	void run(List<Duration> checkpoints, IntConsumer atCheckpoint, Duration duringAt, Runnable during) {
		this.start = System.nanoTime();
		List<Long> stops = new ArrayList<>(checkpoints.stream().map(Duration::toMillis).sorted().toList());
		int checkpoint = 0;
		boolean duringDone = during == null;
		while (!this.plan.isEmpty()) {
			Action action = this.plan.peek();
			if (!stops.isEmpty() && action.at() >= stops.get(0)) {
				stops.remove(0);
				long paused = System.nanoTime();
				drain();
				atCheckpoint.accept(++checkpoint);
				this.pausedNanos += System.nanoTime() - paused;
				continue;
			}
			if (!duringDone && action.at() >= duringAt.toMillis()) {
				duringDone = true;
				during.run();
				continue;
			}
			long wait = action.at() - elapsed();
			if (wait > 0) {
				Waits.pause(Duration.ofMillis(Math.min(wait, 50)));
				continue;
			}
			this.plan.poll();
			dispatch(action);
		}
		drain();
	}

	private void dispatch(Action action) {
		ChatState chat = action.chat();
		if (chat != null && action.kind() != Kind.CHAT) {
			if (chat.failed) {
				return;
			}
			if (chat.busy || chat.step != action.step()) {
				// Its creation (or its previous request) is still being answered: a little later.
				this.plan.add(new Action(Math.max(action.at(), elapsed()) + 200, action.order(), action.kind(), chat,
						action.target(), action.step()));
				return;
			}
		}
		try {
			this.inFlight.acquire();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		if (chat != null) {
			chat.busy = true;
		}
		String chats = "/api/v1/companies/" + this.company + "/chats";
		switch (action.kind()) {
			case CHAT -> this.platform.send("POST chat", "POST", chats, ServiceClient.chat(chat.id)).thenAccept((status) -> {
				chat.accepted = status == 200 || status == 201;
				chat.failed = !chat.accepted;
				expect(status == 200 || status == 201, "POST chat " + chat.id, status);
				done(chat);
			});
			case MESSAGE -> this.platform
				.send("POST message", "POST", chats + "/" + chat.id + "/messages", Map.of("sender", "MEMBER", "text", "still there?"))
				.thenAccept((status) -> {
					conflictOr(chat, status == 202, "POST message " + chat.id, status);
					done(chat);
				});
			case MENU -> this.platform
				.send("POST menu-selection", "POST", chats + "/" + chat.id + "/menu-selection", Map.of("groupId", action.target()))
				.thenAccept((status) -> {
					// 409: the chat no longer waits for a selection (its menu timed out first).
					expect(status == 202 || status == 409, "POST menu-selection " + chat.id, status);
					done(chat);
				});
			case TAKEOVER -> this.platform
				.send("POST takeover", "POST", chats + "/" + chat.id + "/takeover", Map.of("adminId", action.target()))
				.thenAccept((status) -> {
					if (status == 200) {
						chat.takenOverBy = action.target();
					}
					conflictOr(chat, status == 200, "POST takeover " + chat.id, status);
					done(chat);
				});
			case CLOSE -> this.platform.send("POST close", "POST", chats + "/" + chat.id + "/close", null).thenAccept((status) -> {
				chat.closed = status == 200;
				expect(status == 200, "POST close " + chat.id, status);
				done(chat);
			});
			case STATUS -> {
				List<String> candidates = List.copyOf(this.flippable);
				if (candidates.isEmpty()) {
					this.inFlight.release();
					return;
				}
				String agent = candidates.get(this.random.nextInt(candidates.size()));
				double dice = this.random.nextDouble();
				String status = dice < 0.5 ? "ACTIVE" : dice < 0.75 ? "INACTIVE" : "OFFLINE";
				this.platform
					.send("PUT status", "PUT", "/api/v1/companies/" + this.company + "/agents/" + agent + "/status",
							Map.of("status", status))
					.thenAccept((answer) -> {
						if (answer == 200) {
							this.agentStatus.put(agent, status);
						}
						expect(answer == 200, "PUT status " + agent + " " + status, answer);
						this.inFlight.release();
					});
			}
		}
	}

	private void done(ChatState chat) {
		chat.step++;
		chat.busy = false;
		this.inFlight.release();
	}

	/** A 409 is right only when the service closed the chat itself (checked at the end). */
	private void conflictOr(ChatState chat, boolean ok, String what, int status) {
		if (status == 409) {
			chat.conflicted = true;
			return;
		}
		expect(ok, what, status);
	}

	private void expect(boolean ok, String what, int status) {
		if (!ok && this.unexpected.incrementAndGet() <= 20) {
			this.verdict.log("unexpected answer: " + what + " -> " + status);
		}
	}

	/** Waits until every request in flight was answered. */
	void drain() {
		try {
			if (!this.inFlight.tryAcquire(this.shape.maxInFlight(), 10, TimeUnit.MINUTES)) {
				throw new IllegalStateException("requests still unanswered after 10 minutes");
			}
			this.inFlight.release(this.shape.maxInFlight());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Nothing lost: every chat that was accepted exists exactly once, is closed when the platform
	 * closed it, taken over by the admin who took it over, and otherwise assigned or queued;
	 * {@code serviceClosed} chats may instead have been closed for inactivity; {@code others} are
	 * the chats the scenario created itself.
	 */
	void verifyFinalState(Store store, Verdict verdict, Set<String> serviceClosed, Set<String> others) {
		Map<String, Integer> rows = store.rowsPerChat(this.company);
		Map<String, Store.ChatRow> final_ = store.chats(this.company);
		long accepted = 0;
		long failed = 0;
		List<String> wrong = new ArrayList<>();
		for (ChatState chat : this.chats.values()) {
			if (!chat.accepted) {
				failed++;
				continue;
			}
			accepted++;
			Integer count = rows.get(chat.id);
			Store.ChatRow row = final_.get(chat.id);
			if (count == null || count != 1 || row == null) {
				wrong.add(chat.id + " has " + count + " rows");
				continue;
			}
			boolean inactivityClose = !row.open() && "INACTIVITY".equals(row.closeReason())
					&& serviceClosed.contains(chat.id);
			String problem = null;
			if (chat.closed) {
				if (row.open() || !"CLOSED".equals(row.closeReason())) {
					problem = "closed by the platform";
				}
			}
			else if (inactivityClose) {
				problem = null;
			}
			else if (!row.open()) {
				problem = "open";
			}
			else if (chat.takenOverBy != null) {
				if (!"TAKEN_OVER".equals(row.assignmentStatus()) || !chat.takenOverBy.equals(row.agentId())) {
					problem = "TAKEN_OVER by " + chat.takenOverBy;
				}
			}
			else if (!"ASSIGNED".equals(row.assignmentStatus()) && !"QUEUED".equals(row.assignmentStatus())) {
				problem = "ASSIGNED or QUEUED";
			}
			if (chat.conflicted && !inactivityClose && !chat.closed) {
				problem = "a 409 answer only for a chat the service closed";
			}
			if (problem != null) {
				wrong.add(chat.id + " should be " + problem + " but is " + row);
			}
		}
		long unknown = final_.keySet().stream().filter((id) -> !this.chats.containsKey(id) && !others.contains(id)).count();
		verdict.log("final state: " + accepted + " chats accepted, " + failed + " never accepted, " + final_.size()
				+ " rows in the database, " + wrong.size() + " wrong");
		wrong.stream().limit(20).forEach((line) -> verdict.log("  wrong: " + line));
		verdict.check(failed == 0, "every chat was accepted (" + failed + " were not)");
		verdict.check(wrong.isEmpty(), "every accepted chat exists exactly once in its expected state (" + wrong.size()
				+ " do not)");
		verdict.check(unknown == 0, "no chat the platform did not create (" + unknown + ")");
		verdict.check(this.unexpected.get() == 0, "no unexpected answer (" + this.unexpected.get() + ")");
	}

}
