package io.autoassign.webhooks;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.autoassign.events.LocalEventBus;
import io.autoassign.platform.PausePoints;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends the webhook deliveries of the outbox, on every node. One thread claims due deliveries
 * (candidates first, then {@code select ... for update skip locked} and a lease in one short
 * transaction, so each is one node's at a time; a node that dies mid-delivery lets its lease
 * run out and another sends it again) and records the answers in batches; the requests
 * themselves are asynchronous, at most {@code max-in-flight-per-endpoint} per webhook, so a slow
 * or dead endpoint holds only its own slots and the others' deliveries go on. Deliveries with
 * the same order key (the chat, or the agent) go out one at a time in the order they were
 * written. A failed attempt is tried again after a growing pause with jitter until the
 * delivery's maximum age, then marked FAILED; the first answer 2xx from an endpoint that was
 * failing makes its waiting deliveries due at once. A commit on this node wakes the thread;
 * otherwise it looks every {@code poll-interval}.
 */
@Component
class WebhookSender implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);

	/** Deliveries claimed at once. */
	static final int CLAIM = 200;

	/**
	 * The least time between two passes: commits and answers arriving faster are gathered into
	 * one claim and one record (under load a pass handles tens of deliveries with three statements).
	 */
	private static final Duration MIN_PASS_INTERVAL = Duration.ofMillis(20);

	private static final Duration BACKLOG_INTERVAL = Duration.ofSeconds(5);

	/**
	 * How long the sender uses a webhook's URL and secret as it read them: a change applies to
	 * requests sent at most this much later (whether a delivery is due, and for whom, is read
	 * fresh at each claim).
	 */
	private static final Duration WEBHOOK_CACHE = Duration.ofSeconds(1);

	private static final int MAX_ERROR = 600;

	private static final int MAX_EXCERPT = 200;

	/** What an attempt came to. */
	private record Outcome(WebhookStore.Locked delivery, Integer status, String error) {

		boolean acknowledged() {
			return this.status != null && this.status >= 200 && this.status < 300;
		}

	}

	private final WebhookStore store;

	private final WebhookProperties properties;

	private final WebhookTargets targets;

	private final WebhookMetrics metrics;

	private final LocalEventBus bus;

	private final PausePoints pauses;

	private final Clock clock;

	private final TransactionTemplate transactions;

	private final Semaphore wake = new Semaphore(0);

	private final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();

	/** Requests open per webhook ({@code company/webhook}). */
	private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();

	/** Webhooks whose last answer here was a failure: the first success makes their backlog due. */
	private final Set<String> failing = ConcurrentHashMap.newKeySet();

	private volatile boolean running;

	private Thread thread;

	private ExecutorService callbacks;

	/** Interrupts a request that has not ended within its bound (a body that never ends). */
	private ScheduledThreadPoolExecutor watchdog;

	private HttpClient http;

	private Runnable unsubscribe;

	private long backlogRead;

	/** Webhooks as read by the sender's thread, for at most {@link #WEBHOOK_CACHE}. */
	private final Map<String, Optional<Webhook>> webhooks = new HashMap<>();

	private long webhooksRead;

	WebhookSender(WebhookStore store, WebhookProperties properties, WebhookMetrics metrics, LocalEventBus bus,
			PausePoints pauses, Clock clock, PlatformTransactionManager transactionManager) {
		this.store = store;
		this.properties = properties;
		this.targets = new WebhookTargets(properties);
		this.metrics = metrics;
		this.bus = bus;
		this.pauses = pauses;
		this.clock = clock;
		this.transactions = new TransactionTemplate(transactionManager);
	}

	@Override
	public void start() {
		if (!this.properties.send()) {
			log.info("This node sends no webhook deliveries (auto-assign.webhooks.send=false); other nodes do");
			return;
		}
		this.callbacks = Executors.newCachedThreadPool((task) -> {
			Thread callback = new Thread(task, "webhook-answer");
			callback.setDaemon(true);
			return callback;
		});
		this.watchdog = new ScheduledThreadPoolExecutor(1, (task) -> {
			Thread watch = new Thread(task, "webhook-watchdog");
			watch.setDaemon(true);
			return watch;
		});
		this.watchdog.setRemoveOnCancelPolicy(true);
		this.http = HttpClient.newBuilder()
			.connectTimeout(this.properties.connectTimeout())
			.followRedirects(HttpClient.Redirect.NEVER)
			.version(HttpClient.Version.HTTP_1_1)
			.executor(this.callbacks)
			.build();
		this.running = true;
		this.unsubscribe = this.bus.subscribe((committed) -> this.wake.release());
		this.thread = new Thread(this::run, "webhook-sender");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	@Override
	public void stop() {
		// Requests under way are not waited for: their deliveries stay PENDING under a lease that
		// runs out, and are sent again (by another node, or this one after its restart).
		this.running = false;
		if (this.unsubscribe != null) {
			this.unsubscribe.run();
		}
		this.wake.release();
		if (this.thread != null) {
			try {
				this.thread.join(TimeUnit.SECONDS.toMillis(10));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		if (this.callbacks != null) {
			this.callbacks.shutdownNow();
			this.watchdog.shutdownNow();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		// starts after the database is usable, stops before it
		return SmartLifecycle.DEFAULT_PHASE - 2048;
	}

	/** Wakes the sender (a redelivery, a changed webhook). */
	void wakeUp() {
		this.wake.release();
	}

	private void run() {
		long lastPass = 0;
		while (this.running) {
			try {
				this.wake.tryAcquire(this.properties.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
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
			if (!this.running) {
				return;
			}
			try {
				record();
				claimAndSend();
				readBacklog();
			}
			catch (RuntimeException ex) {
				log.warn("Webhook deliveries could not be claimed or recorded (trying again): {}", ex.toString());
			}
			catch (Error ex) {
				log.error("The webhook sender met an error (going on)", ex);
			}
		}
	}

	/** Records the answers that came in since the last pass. */
	private void record() {
		List<Outcome> done = new ArrayList<>();
		for (Outcome outcome = this.outcomes.poll(); outcome != null; outcome = this.outcomes.poll()) {
			done.add(outcome);
		}
		if (done.isEmpty()) {
			return;
		}
		Instant now = this.clock.instant();
		List<Object[]> delivered = new ArrayList<>();
		List<WebhookStore.Locked> acknowledged = new ArrayList<>();
		Map<String, WebhookStore.Locked> recovered = new HashMap<>();
		List<Runnable> afterCommit = new ArrayList<>();
		try {
			// One transaction for the whole pass: one commit (one flush of the log to disk) for
			// every answer, where each row in auto-commit cost a commit of its own.
			this.transactions.executeWithoutResult((status) -> {
				this.store.lockWebhooks(done.stream()
					.map((o) -> List.of(o.delivery().companyId(), o.delivery().webhookId()))
					.toList());
				for (Outcome outcome : done) {
					WebhookStore.Locked delivery = outcome.delivery();
					if (outcome.acknowledged()) {
						delivered.add(new Object[] { Timestamp.from(now), outcome.status(), delivery.id() });
						acknowledged.add(delivery);
						if (this.failing.remove(key(delivery))) {
							recovered.put(key(delivery), delivery);
						}
					}
					else {
						Instant next = nextAttempt(delivery, now);
						this.failing.add(key(delivery));
						if (!this.store.failed(delivery.id(), outcome.status(), outcome.error(), next)) {
							continue; // deleted with its webhook, or recorded by another node
						}
						if (next == null) {
							afterCommit.add(() -> {
								this.metrics.failed();
								log.warn("Webhook {} of company {}: delivery {} of event {} failed for good after {} "
										+ "attempts: {}", delivery.webhookId(), delivery.companyId(), delivery.id(),
										delivery.eventId(), delivery.attempt(), outcome.error());
							});
						}
						else {
							afterCommit.add(this.metrics::retried);
						}
					}
				}
				if (!delivered.isEmpty()) {
					int[] updated = this.store.delivered(delivered);
					for (int i = 0; i < updated.length; i++) {
						// counted when this answer settled the delivery (not one deleted or recorded meanwhile)
						if (updated[i] > 0 || updated[i] == Statement.SUCCESS_NO_INFO) {
							Duration lag = Duration.between(acknowledged.get(i).createdAt(), now);
							afterCommit.add(() -> this.metrics.delivered(lag));
						}
					}
				}
				recovered.values()
					.forEach((delivery) -> this.store.dueNow(delivery.companyId(), delivery.webhookId(), now));
			});
			afterCommit.forEach(Runnable::run);
		}
		catch (RuntimeException ex) {
			// Not recorded: the leases run out and the deliveries are sent again (at least once).
			log.warn("Could not record {} webhook answers (they will be sent again): {}", done.size(), ex.toString());
		}
	}

	/** When a failed attempt is tried again; {@code null} when the delivery is given up. */
	Instant nextAttempt(WebhookStore.Locked delivery, Instant now) {
		if (!now.isBefore(delivery.giveUpAt())) {
			return null;
		}
		Duration step = this.properties.initialBackoff();
		for (int attempt = 1; attempt < delivery.attempt() && step.compareTo(this.properties.maxBackoff()) < 0; attempt++) {
			step = step.multipliedBy(2);
		}
		if (step.compareTo(this.properties.maxBackoff()) > 0) {
			step = this.properties.maxBackoff();
		}
		long millis = Math.round(step.toMillis() * ThreadLocalRandom.current().nextDouble(0.75, 1.25));
		Instant next = now.plusMillis(Math.max(1, millis));
		// tried once more at the end of its maximum age, never given up before it
		return next.isAfter(delivery.giveUpAt()) ? delivery.giveUpAt() : next;
	}

	private void claimAndSend() {
		Instant now = this.clock.instant();
		Map<String, Integer> open = new HashMap<>();
		this.inFlight.forEach((key, count) -> {
			if (count.get() > 0) {
				open.put(key, count.get());
			}
		});
		List<WebhookStore.Locked> claimed = this.transactions.execute((status) -> this.store.claim(now, open,
				this.properties.maxInFlightPerEndpoint(), CLAIM, now.plus(this.properties.lease())));
		if (claimed == null || claimed.isEmpty()) {
			return;
		}
		long nowNanos = System.nanoTime();
		if (nowNanos - this.webhooksRead > WEBHOOK_CACHE.toNanos()) {
			this.webhooks.clear();
			this.webhooksRead = nowNanos;
		}
		for (WebhookStore.Locked delivery : claimed) {
			Optional<Webhook> webhook = this.webhooks.computeIfAbsent(key(delivery),
					(key) -> this.store.find(delivery.companyId(), delivery.webhookId()));
			if (webhook.isEmpty()) {
				continue; // deleted meanwhile, with its deliveries
			}
			send(webhook.get(), delivery);
		}
	}

	private void send(Webhook webhook, WebhookStore.Locked delivery) {
		AtomicInteger open = this.inFlight.computeIfAbsent(key(delivery), (k) -> new AtomicInteger());
		open.incrementAndGet();
		HttpRequest request;
		try {
			URI url = URI.create(webhook.url());
			// checked again at each request: the name may resolve elsewhere than when it was saved
			this.targets.checkAddresses(url.getHost());
			long timestamp = this.clock.instant().getEpochSecond();
			request = HttpRequest.newBuilder(url)
				.timeout(this.properties.requestTimeout())
				.header("Content-Type", "application/json")
				.header("User-Agent", "Auto-Assign-Webhooks/1")
				.header("X-AutoAssign-Event-Id", delivery.eventId())
				.header("X-AutoAssign-Event-Type", delivery.eventType())
				.header("X-AutoAssign-Delivery-Id", Long.toString(delivery.id()))
				.header("X-AutoAssign-Delivery-Attempt", Integer.toString(delivery.attempt()))
				.header("X-AutoAssign-Timestamp", Long.toString(timestamp))
				.header(WebhookSignature.HEADER, WebhookSignature.header(webhook.secret(), timestamp, delivery.payload()))
				.POST(HttpRequest.BodyPublishers.ofString(delivery.payload()))
				.build();
		}
		catch (WebhookTargets.RefusedTarget ex) {
			finish(open, new Outcome(delivery, null, "target refused: " + ex.getMessage()));
			return;
		}
		catch (RuntimeException ex) {
			finish(open, new Outcome(delivery, null, "request could not be built: " + ex.getMessage()));
			return;
		}
		// Each request waits for its answer on a thread of the pool (threads are reused). Not
		// sendAsync: on a machine with two cores its answers are handed to a new thread each
		// (the client moves them to CompletableFuture's default executor, which then starts a
		// thread per task), which cost about as much as the rest of a delivery.
		try {
			this.callbacks.execute(() -> {
				Outcome outcome = exchange(delivery, request);
				try {
					this.pauses.reached(PausePoints.Point.WEBHOOK_ANSWERED, delivery.companyId(), delivery.chatId());
				}
				catch (RuntimeException ex) {
					// a test's fault at this point: the answer is lost, as if this node died here
					open.decrementAndGet();
					return;
				}
				finish(open, outcome);
			});
		}
		catch (RuntimeException ex) {
			// refused before it went out (the pool is closing, ...): a failed attempt, its slot freed
			finish(open, new Outcome(delivery, null, describe(ex)));
		}
	}

	/**
	 * Sends the request and waits for its whole answer, at most connect + request timeout + 5 s:
	 * the request timeout ends only the wait for the status line, so a body that never ends is
	 * cut off by the watchdog, which interrupts the wait (the client then cancels the exchange).
	 */
	private Outcome exchange(WebhookStore.Locked delivery, HttpRequest request) {
		Duration bound = this.properties.connectTimeout().plus(this.properties.requestTimeout()).plusSeconds(5);
		Thread waiting = Thread.currentThread();
		Object guard = new Object();
		boolean[] over = { false, false }; // the wait ended, the watchdog fired
		ScheduledFuture<?> watch = this.watchdog.schedule(() -> {
			synchronized (guard) {
				if (!over[0]) {
					over[1] = true;
					waiting.interrupt();
				}
			}
		}, bound.toMillis(), TimeUnit.MILLISECONDS);
		try {
			return answered(delivery, this.http.send(request, ResponseExcerpt.handler()));
		}
		catch (InterruptedException ex) {
			return new Outcome(delivery, null, over[1] ? "no answer within " + bound : describe(ex));
		}
		catch (IOException | RuntimeException ex) {
			return new Outcome(delivery, null, describe(ex));
		}
		finally {
			synchronized (guard) {
				over[0] = true;
			}
			watch.cancel(false);
			// an interrupt of the watchdog that came as the answer did is not the next task's
			Thread.interrupted();
		}
	}

	private void finish(AtomicInteger open, Outcome outcome) {
		this.outcomes.add(outcome);
		open.decrementAndGet();
		this.wake.release();
	}

	private static Outcome answered(WebhookStore.Locked delivery, HttpResponse<String> response) {
		int status = response.statusCode();
		if (status >= 200 && status < 300) {
			return new Outcome(delivery, status, null);
		}
		String body = response.body() == null ? "" : response.body().strip();
		if (body.length() > MAX_EXCERPT) {
			body = body.substring(0, MAX_EXCERPT) + "…";
		}
		String error = "HTTP " + status + (status >= 300 && status < 400 ? " (redirects are not followed)" : "")
				+ (body.isEmpty() ? "" : ": " + body);
		return new Outcome(delivery, status, truncate(error));
	}

	private String describe(Throwable failure) {
		Throwable cause = (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause()
				: failure;
		String what;
		if (cause instanceof HttpConnectTimeoutException) {
			what = "no connection within " + this.properties.connectTimeout();
		}
		else if (cause instanceof HttpTimeoutException || cause instanceof java.util.concurrent.TimeoutException) {
			what = "no answer within " + this.properties.requestTimeout();
		}
		else if (cause instanceof ConnectException) {
			what = "connection refused";
		}
		else {
			what = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
		}
		return truncate(what);
	}

	private static String truncate(String text) {
		return text.length() <= MAX_ERROR ? text : text.substring(0, MAX_ERROR - 1) + "…";
	}

	private void readBacklog() {
		long now = System.nanoTime();
		if (now - this.backlogRead < BACKLOG_INTERVAL.toNanos()) {
			return;
		}
		this.backlogRead = now;
		WebhookStore.Backlog backlog = this.store.backlog();
		this.metrics.backlog(backlog.pending(), backlog.oldest() == null ? 0
				: Math.max(0, Duration.between(backlog.oldest(), this.clock.instant()).toSeconds()));
	}

	private static String key(WebhookStore.Locked delivery) {
		return delivery.companyId() + "/" + delivery.webhookId();
	}

}
