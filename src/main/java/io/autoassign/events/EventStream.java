package io.autoassign.events;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoassign.platform.PausePoints;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * Every node reads the {@link EventLog} from its own position, in id order, and hands each
 * event to the WebSocket sessions it holds. Nothing is lost between a commit and the sessions:
 * <ul>
 * <li>After a commit the committing node wakes its own reader and, over Redis pub/sub, the
 * others'; a reader also looks every {@code auto-assign.events.poll-interval} (500 ms) on its
 * own. So a node whose subscription is down, or that was never told (the committing node died
 * after its commit, Redis refused the publish), still delivers within the poll interval.</li>
 * <li>A row that is not there yet while later ones are (a transaction still committing) is a
 * gap: it is looked for again, by id, until it appears or {@code gap-wait} (30 s) has passed
 * (its transaction then most likely failed to commit), and after that every 10 s while the log
 * keeps rows: a row that still appears is delivered late, or refused as below.</li>
 * <li>A node that could not read the log for longer than the log keeps rows
 * ({@code auto-assign.events.retention}) may have missed events: each of its sessions gets a
 * fresh CHAT_ASSIGNMENT_SYNC.</li>
 * </ul>
 * Events go out in the log's order, which is each chat's transaction order; an event that
 * appears after a newer one of its chat went out is not delivered but replaced by a sync of its
 * recipients ({@link ChatOrdering}). The subscription syncs are built and sent on the reader's
 * thread too, between events, so a sync never arrives after events newer than itself.
 */
@Component
class EventStream implements MessageListener, SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(EventStream.class);

	/** Rows read at once. */
	static final int PAGE = 500;

	/** The least time between two reads of the log (a wake-up within it waits for its end). */
	static final Duration MIN_PASS_INTERVAL = Duration.ofMillis(5);

	/** How often the gaps given up are looked for. */
	static final Duration GIVEN_UP_LOOK = Duration.ofSeconds(10);

	private final EventLog events;

	private final LocalEventBus bus;

	private final StringRedisTemplate redis;

	private final RedisChannels channels;

	private final ConnectedUsers users;

	private final StompDelivery delivery;

	private final AssignmentSync sync;

	private final ObjectMapper json;

	private final EventMetrics metrics;

	private final PausePoints pauses;

	private final Clock clock;

	private final String channel;

	private final Duration pollInterval;

	private final Duration gapWait;

	private final Duration retention;

	private final ChatOrdering ordering = new ChatOrdering();

	private final Semaphore wake = new Semaphore(0);

	/**
	 * Work for the reader's thread (the syncs of new subscriptions, session checks), each to run
	 * after a read of the log that began after it was handed over.
	 */
	private final ConcurrentLinkedQueue<Task> tasks = new ConcurrentLinkedQueue<>();

	private final AtomicLong taskNumbers = new AtomicLong();

	// The reader's state, touched by its thread only: every id up to the cursor has been read,
	// but for the gaps, each with the time (nanos) until which it is looked for again.
	private long cursor;

	private final TreeMap<Long, Long> gaps = new TreeMap<>();

	/** Gaps given up, still looked for now and then until the log's retention is over (nanos). */
	private final TreeMap<Long, Long> givenUp = new TreeMap<>();

	private long givenUpLooked;

	/** When the log was last read (nanos; the wall clock, whatever the service's clock says). */
	private long lastRead;

	private volatile boolean running;

	private Thread reader;

	private Runnable unsubscribe;

	EventStream(EventLog events, LocalEventBus bus, StringRedisTemplate redis, RedisChannels channels,
			ConnectedUsers users, StompDelivery delivery, AssignmentSync sync, ObjectMapper json, PausePoints pauses,
			EventMetrics metrics, Clock clock, @Value("${auto-assign.events.poll-interval:500ms}") Duration pollInterval,
			@Value("${auto-assign.events.gap-wait:30s}") Duration gapWait,
			@Value("${auto-assign.events.retention:2m}") Duration retention) {
		this.events = events;
		this.bus = bus;
		this.redis = redis;
		this.channels = channels;
		this.users = users;
		this.delivery = delivery;
		this.sync = sync;
		this.json = json;
		this.pauses = pauses;
		this.metrics = metrics;
		this.clock = clock;
		this.channel = channels.events();
		this.pollInterval = pollInterval;
		this.gapWait = gapWait;
		this.retention = retention;
	}

	@Override
	public void start() {
		// A node starts at the end of the log: its sessions begin with a sync.
		this.cursor = this.events.lastId();
		this.lastRead = System.nanoTime();
		this.running = true;
		this.channels.listen(this.channel, this);
		this.unsubscribe = this.bus.subscribe((committed) -> announce(committed.get(0).event().companyId()));
		this.reader = new Thread(this::run, "event-stream");
		this.reader.setDaemon(true);
		this.reader.start();
	}

	@Override
	public void stop() {
		this.running = false;
		if (this.unsubscribe != null) {
			this.unsubscribe.run();
		}
		this.wake.release();
		if (this.reader != null) {
			try {
				this.reader.join(TimeUnit.SECONDS.toMillis(10));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/** A transaction with events committed on this node: read them here, and tell the others. */
	void announce(String companyId) {
		this.wake.release();
		this.pauses.reached(PausePoints.Point.BEFORE_EVENT_WAKEUP, companyId, null);
		try {
			this.redis.convertAndSend(this.channel, "");
		}
		catch (RuntimeException ex) {
			log.debug("Could not wake the other nodes (they read the log within their poll interval): {}",
					ex.toString());
		}
	}

	@Override
	public void onMessage(Message message, byte[] pattern) {
		this.wake.release();
	}

	/** Sends the session its CHAT_ASSIGNMENT_SYNC from the reader's thread, in order with the events. */
	void syncSession(StompUser user, String sessionId) {
		afterNextRead(() -> sendSync(user, sessionId));
	}

	/**
	 * Runs {@code task} on the reader's thread once it has read the log again: whatever committed
	 * before this call has then gone out to the sessions (but for a row still missing from the
	 * log, a gap, which may go out later).
	 */
	void afterNextRead(Runnable task) {
		this.tasks.add(new Task(this.taskNumbers.incrementAndGet(), task));
		this.wake.release();
	}

	private record Task(long number, Runnable work) {
	}

	private void run() {
		long lastPass = 0;
		while (this.running) {
			try {
				this.wake.tryAcquire(this.pollInterval.toMillis(), TimeUnit.MILLISECONDS);
				// Under load every commit wakes the reader: reading at most every few milliseconds
				// gathers the rows of many commits into one query instead of one query each.
				long since = System.nanoTime() - lastPass;
				if (since < MIN_PASS_INTERVAL.toNanos()) {
					TimeUnit.NANOSECONDS.sleep(MIN_PASS_INTERVAL.toNanos() - since);
				}
				this.wake.drainPermits();
				lastPass = System.nanoTime();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			try {
				this.pauses.reached(PausePoints.Point.EVENT_READ, null, null);
				readAvailable();
				if (!this.tasks.isEmpty()) {
					this.wake.release(); // handed over during this pass: they run after the next read
				}
			}
			catch (RuntimeException ex) {
				log.warn("Could not read the event log (trying again): {}", ex.toString());
			}
			catch (Error ex) {
				log.error("The event stream met an error (going on)", ex);
			}
		}
	}

	/** Runs the tasks handed over before the read that began when {@code upTo} was the last number. */
	private void runTasks(long upTo) {
		for (Task task = this.tasks.peek(); task != null && task.number() <= upTo; task = this.tasks.peek()) {
			this.tasks.poll();
			try {
				task.work().run();
			}
			catch (RuntimeException ex) {
				log.warn("An event stream task failed: {}", ex.toString());
			}
		}
	}

	/** Reads and delivers whatever the log holds beyond this node's cursor, and what filled its gaps. */
	void readAvailable() {
		long nowNanos = System.nanoTime();
		if (nowNanos - this.lastRead > this.retention.toNanos()) {
			log.warn("The event log was not read for {}; events may have been pruned unread: syncing every session",
					Duration.ofNanos(nowNanos - this.lastRead));
			resyncEverySession();
		}
		if (!this.gaps.isEmpty()) {
			for (EventLog.Entry entry : this.events.byIds(new ArrayList<>(this.gaps.keySet()).subList(0,
					Math.min(this.gaps.size(), PAGE)))) {
				this.gaps.remove(entry.id());
				deliver(entry);
			}
			// a gap not filled within the wait: its transaction most likely did not commit; should it
			// still appear, it is late (refused if its chat went on meanwhile, its recipients synced)
			this.gaps.entrySet().removeIf((gap) -> {
				boolean over = nowNanos - gap.getValue() >= 0;
				if (over) {
					this.givenUp.put(gap.getKey(), nowNanos + this.retention.toNanos());
				}
				return over;
			});
		}
		if (!this.givenUp.isEmpty() && nowNanos - this.givenUpLooked >= GIVEN_UP_LOOK.toNanos()) {
			this.givenUpLooked = nowNanos;
			this.givenUp.values().removeIf((until) -> nowNanos - until >= 0);
			for (EventLog.Entry entry : this.events.byIds(new ArrayList<>(this.givenUp.keySet()).subList(0,
					Math.min(this.givenUp.size(), PAGE)))) {
				this.givenUp.remove(entry.id());
				deliver(entry);
			}
		}
		boolean more = true;
		while (more) {
			long tasksBefore = this.taskNumbers.get();
			List<EventLog.Entry> page = this.events.after(this.cursor, PAGE);
			this.lastRead = System.nanoTime();
			for (EventLog.Entry entry : page) {
				// a row not there yet while later ones are: its transaction may still be committing
				for (long missing = this.cursor + 1; missing < entry.id(); missing++) {
					this.gaps.put(missing, nowNanos + this.gapWait.toNanos());
				}
				this.cursor = entry.id();
				deliver(entry);
			}
			runTasks(tasksBefore);
			more = page.size() == PAGE;
		}
	}

	/** One event, unless a later transaction's event of its chat went out already. */
	private void deliver(EventLog.Entry entry) {
		if (entry.payload() == null) {
			return; // unreadable (logged by the log): skipped, the events behind it go on
		}
		String chatKey = entry.chatId() == null ? null : entry.companyId() + "/" + entry.chatId();
		if (this.ordering.admit(chatKey, entry.sequence())) {
			send(entry);
		}
		else {
			this.metrics.late();
			log.info("A late event of chat {} (log row {}) was not delivered after newer ones; syncing its recipients",
					entry.chatId(), entry.id());
			resync(entry);
		}
	}

	private void send(EventLog.Entry entry) {
		String payload = entry.payload();
		// Session by session: each session is routed by the role and token it was opened with.
		for (ConnectedUsers.Session session : this.users.resolve(entry.companyId(), entry.recipients(),
				this.clock.instant())) {
			try {
				this.pauses.reached(PausePoints.Point.SESSION_SEND, entry.companyId(), entry.chatId());
				this.delivery.toSession(session.user(), session.id(), payload);
				this.metrics.sent();
			}
			catch (RuntimeException ex) {
				this.metrics.failed();
				log.warn("Could not send an event to a session of {}: {}", session.user().getName(), ex.toString());
			}
		}
	}

	private void resync(EventLog.Entry late) {
		for (ConnectedUsers.Session session : this.users.resolve(late.companyId(), late.recipients(),
				this.clock.instant())) {
			sendSync(session.user(), session.id());
		}
	}

	private void resyncEverySession() {
		for (String companyId : this.users.companies()) {
			for (ConnectedUsers.Session session : this.users.sessions(companyId)) {
				sendSync(session.user(), session.id());
			}
		}
	}

	private void sendSync(StompUser user, String sessionId) {
		try {
			this.delivery.toSession(user, sessionId, this.json.writeValueAsString(this.sync.syncFor(user)));
		}
		catch (JsonProcessingException | RuntimeException failure) {
			log.warn("Could not send the assignment sync to a session of {}: {}", user.getName(), failure.toString());
		}
	}

	/** How far this node has read the log (tests). */
	long cursor() {
		return this.cursor;
	}

	@Override
	public int getPhase() {
		// Starts after the database and Redis are usable, stops before them.
		return SmartLifecycle.DEFAULT_PHASE - 2048;
	}

}
