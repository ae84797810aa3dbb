package io.autoassign.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import io.autoassign.domain.ServiceUnavailableException;
import io.autoassign.platform.AutoAssignProperties;
import io.autoassign.platform.PausePoints;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Where new chats come in. Requests wait in a bounded queue; a few workers take whatever has
 * arrived (up to a batch) and create it in one transaction ({@link ChatService#createAll}).
 * <p>
 * Why: creating a chat costs about twenty database round trips when done alone (its row, the
 * lifecycle's executions, subscriptions, timer and history, each flushed separately, plus the
 * commit). Written together, a burst of chats shares the round trips and the commit, which is
 * what lets a burst of thousands of chats through. A lone chat is not held back: a worker takes
 * it at once, so batches only form when chats arrive faster than one transaction takes.
 * <p>
 * If a batch fails, each of its chats is created again on its own, so one bad chat never fails
 * the others. When the queue is full, new chats are refused with 503 and Retry-After.
 * <p>
 * A 503 never hides a chat that is created later: a caller whose wait ({@code timeout}) runs
 * out while its chat still waits for a worker withdraws it (the answer says it was not created);
 * one whose chat a worker already took waits as long again for the outcome, and if even that runs
 * out, the 503 names the chat ({@code chatId}) that will exist unless its creation fails.
 */
@Component
class ChatIntake implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(ChatIntake.class);

	/**
	 * One chat to create. Exactly one of its caller and a worker decides its fate: the worker by
	 * taking it (it will be created), the caller by abandoning it when its wait runs out first
	 * (it will never be created).
	 */
	private record Request(ChatService.NewChat chat, CompletableFuture<ChatService.Created> result,
			AtomicInteger state) {

		private static final int WAITING = 0;

		private static final int TAKEN = 1;

		private static final int ABANDONED = 2;

		Request(ChatService.NewChat chat) {
			this(chat, new CompletableFuture<>(), new AtomicInteger(WAITING));
		}

		boolean take() {
			return this.state.compareAndSet(WAITING, TAKEN);
		}

		boolean abandon() {
			return this.state.compareAndSet(WAITING, ABANDONED);
		}

	}

	private final ChatService chats;

	private final AutoAssignProperties.Intake settings;

	private final BlockingQueue<Request> waiting;

	private final List<Thread> workers = new ArrayList<>();

	private volatile boolean running;

	private final PausePoints pauses;

	ChatIntake(ChatService chats, AutoAssignProperties properties, PausePoints pauses) {
		this.chats = chats;
		this.pauses = pauses;
		this.settings = properties.intake();
		this.waiting = new ArrayBlockingQueue<>(this.settings.maxWaiting());
	}

	/** Creates the chat (or finds it, idempotently) together with whatever else is arriving. */
	ChatService.Created create(ChatService.NewChat chat) {
		if (!this.running) {
			return this.chats.createAll(List.of(chat)).get(0).orThrow();
		}
		Request request = new Request(chat);
		if (!this.waiting.offer(request)) {
			throw new ServiceUnavailableException("Too many chats are waiting to be created; the chat was not created; "
					+ "retry shortly", null);
		}
		try {
			return await(request);
		}
		catch (TimeoutException ex) {
			if (request.abandon()) {
				// No worker took it, and none will: the answer is true.
				throw new ServiceUnavailableException(
						"Too many chats are being created; the chat was not created; retry shortly", ex);
			}
		}
		// A worker is creating it: its outcome is the answer, given a while longer.
		try {
			return await(request);
		}
		catch (TimeoutException ex) {
			throw new ServiceUnavailableException("Chat " + chat.chatId() + " is still being created and will exist "
					+ "unless its creation fails; ask for it, or post it again with the same chatId", ex,
					Map.of("chatId", chat.chatId()));
		}
	}

	private ChatService.Created await(Request request) throws TimeoutException {
		try {
			return request.result().get(this.settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof RuntimeException failure) {
				throw failure;
			}
			throw new IllegalStateException(ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			if (request.abandon()) {
				throw new ServiceUnavailableException("Interrupted; the chat was not created", ex);
			}
			throw new ServiceUnavailableException("Interrupted while chat " + request.chat().chatId()
					+ " was being created; ask for it, or post it again with the same chatId", ex,
					Map.of("chatId", request.chat().chatId()));
		}
	}

	private void work() {
		List<Request> batch = new ArrayList<>(this.settings.maxBatch());
		while (this.running || !this.waiting.isEmpty()) {
			try {
				Request first = this.waiting.poll(200, TimeUnit.MILLISECONDS);
				if (first == null) {
					continue;
				}
				batch.add(first);
				this.waiting.drainTo(batch, this.settings.maxBatch() - 1);
				// what a caller gave up on (and was answered so) is left alone
				batch.removeIf((request) -> !request.take());
				if (!batch.isEmpty()) {
					createAll(batch);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (RuntimeException | Error ex) {
				log.error("Chat intake worker failed", ex);
				batch.forEach((request) -> request.result().completeExceptionally(ex));
			}
			finally {
				batch.clear();
			}
		}
	}

	private void createAll(List<Request> batch) {
		for (Request request : batch) {
			this.pauses.reached(PausePoints.Point.INTAKE_TAKEN, request.chat().companyId(), request.chat().chatId());
		}
		List<ChatService.Outcome> outcomes = this.chats.createEach(batch.stream().map(Request::chat).toList());
		for (int i = 0; i < batch.size(); i++) {
			complete(batch.get(i), outcomes.get(i));
		}
	}

	private static void complete(Request request, ChatService.Outcome outcome) {
		if (outcome.failure() != null) {
			request.result().completeExceptionally(outcome.failure());
		}
		else {
			request.result().complete(outcome.created());
		}
	}

	@Override
	public void start() {
		this.running = true;
		for (int i = 0; i < this.settings.workers(); i++) {
			Thread worker = new Thread(this::work, "chat-intake-" + i);
			worker.setDaemon(true);
			worker.start();
			this.workers.add(worker);
		}
	}

	@Override
	public void stop() {
		// Workers finish what is waiting, then end.
		this.running = false;
		for (Thread worker : this.workers) {
			try {
				worker.join(TimeUnit.SECONDS.toMillis(30));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
		this.workers.clear();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		// Stops before the web server's graceful shutdown ends and before the engine stops.
		return SmartLifecycle.DEFAULT_PHASE - 1024;
	}

}
