package dev.taskqueue.worker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.TaskQueueException;
import dev.taskqueue.TaskReplacedException;
import dev.taskqueue.TaskRetryException;
import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.BrokerException;
import dev.taskqueue.broker.Delivery;
import dev.taskqueue.canvas.CanvasClient;
import dev.taskqueue.listener.TaskEvent;
import dev.taskqueue.listener.TaskListener;
import dev.taskqueue.listener.TaskListeners;
import dev.taskqueue.listener.TaskOutcome;
import dev.taskqueue.protocol.Envelope;
import dev.taskqueue.protocol.LogText;
import dev.taskqueue.protocol.ProtocolHeaders;
import dev.taskqueue.protocol.TaskMessage;
import dev.taskqueue.protocol.TimeLimit;
import dev.taskqueue.registry.TaskDefinition;
import dev.taskqueue.registry.RetryPolicy;
import dev.taskqueue.registry.TaskRegistry;
import dev.taskqueue.result.ResultBackend;
import dev.taskqueue.result.TaskResult;
import dev.taskqueue.revoke.InMemoryRevocations;
import dev.taskqueue.revoke.Revocations;
import dev.taskqueue.serialization.JsonSerializer;
import dev.taskqueue.serialization.TaskMessageConverter;
import dev.taskqueue.serialization.TypedValues;

/**
 * What a worker does with one delivery, top to bottom: decode, check, run, store the outcome, settle.
 * Every outcome settles the delivery, and nothing a message contains can throw out of
 * {@link #process(Delivery)}: bad input is dead-lettered with its reason.
 * <p>
 * Made with {@link #builder(TaskMessageConverter, TaskRegistry, ResultBackend, Broker)}; the invoker, the
 * argument binder, the retrier, the time limiter and the revocation gate it runs tasks with are its own.
 * <p>
 * Its {@link TaskListener listeners} are told of each moment (received, prerun, the outcome, postrun) before the
 * outcome is stored and the message settled; without listeners no event is made. While it handles a task, the
 * thread's logging MDC holds the {@link TaskMdc} keys.
 * <p>
 * A message that is a step of a workflow is continued as a Celery worker continues it ({@link Workflow}): its
 * callbacks and the next step of its chain are sent with its result, its errbacks are called if it fails, and a
 * chord's header task reports to the chord. Celery's built-in tasks of the canvas ({@code celery.chord_unlock},
 * {@code celery.map}, ...) run here too ({@link CeleryBuiltins}).
 */
public class TaskProcessor implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(TaskProcessor.class);

	/** Threads that settle deliveries whose outcome was stored without blocking a task's thread. */
	private static final int SETTLERS = 2;

	private final TaskMessageConverter converter;

	private final TaskRegistry registry;

	private final TaskInvoker invoker;

	private final ResultBackend results;

	private final ResultValues values;

	private final TaskRetrier retrier;

	private final TimeLimiter timeLimiter;

	private final Clock clock;

	private final boolean acksLateByDefault;

	private final String hostname;

	private final RevocationGate revocations;

	private final boolean deadLettersExhaustedByDefault;

	private final TaskListeners listeners;

	private final PendingSettlements settlements = new PendingSettlements();

	/** How many times each task started, by name (Celery's {@code total} in {@code celery inspect stats}). */
	private final Map<String, LongAdder> totals = new ConcurrentHashMap<>();

	private final Workflow workflow;

	private final CeleryBuiltins builtins;

	/**
	 * Where a delivery whose outcome could not be stored is requeued: never the thread that failed the store,
	 * which may be the backend's I/O thread (Lettuce's event loop), where a requeue that waits for the broker
	 * would hold up the very connections it waits on.
	 */
	private final ThreadPoolExecutor settlers;

	private TaskProcessor(Builder builder) {
		Clock clock = (builder.clock != null) ? builder.clock : Clock.systemUTC();
		JsonMapper mapper = (builder.jsonMapper != null) ? builder.jsonMapper : JsonMapper.builder().build();
		Revocations revocations = (builder.revocations != null) ? builder.revocations
				: new InMemoryRevocations(Duration.ofHours(3), clock);
		this.converter = builder.converter;
		this.registry = builder.registry;
		this.invoker = new TaskInvoker(new ArgumentBinder(mapper));
		this.results = builder.results;
		// results are stored as plain values the way the JSON serializer writes them (NaN, big decimals)
		this.values = new ResultValues(JsonSerializer.celeryCompatible(mapper, builder.typedValues),
				builder.typedValues);
		this.retrier = new TaskRetrier(builder.broker, builder.converter, clock);
		this.timeLimiter = new TimeLimiter();
		this.clock = clock;
		this.acksLateByDefault = builder.acksLate;
		this.hostname = builder.hostname;
		this.revocations = new RevocationGate(revocations);
		this.deadLettersExhaustedByDefault = builder.deadLetterExhaustedRetries;
		this.listeners = builder.listeners;
		this.settlers = settlers();
		Supplier<@Nullable CanvasClient> canvas = builder.canvas;
		this.workflow = new Workflow(canvas, builder.results, builder.registry, this.invoker, clock);
		this.builtins = new CeleryBuiltins(this.workflow, builder.results, builder.registry, this.invoker, canvas);
	}

	private static ThreadPoolExecutor settlers() {
		AtomicInteger count = new AtomicInteger();
		ThreadPoolExecutor executor = new ThreadPoolExecutor(SETTLERS, SETTLERS, 30, TimeUnit.SECONDS,
				new LinkedBlockingQueue<>(), (runnable) -> {
					Thread thread = new Thread(runnable, "taskqueue-settle-" + count.incrementAndGet());
					thread.setDaemon(true);
					return thread;
				});
		executor.allowCoreThreadTimeOut(true);
		return executor;
	}

	/**
	 * Start building a processor.
	 * @param converter decodes messages, refusing content types not accepted
	 * @param registry the tasks this worker runs
	 * @param results where outcomes are stored
	 * @param broker where the next run of a task that retries is published
	 * @return a builder; every other setting has a default
	 */
	public static Builder builder(TaskMessageConverter converter, TaskRegistry registry, ResultBackend results,
			Broker broker) {
		return new Builder(converter, registry, results, broker);
	}

	/**
	 * Process a delivery and settle it.
	 * @param delivery the delivery
	 */
	public void process(Delivery delivery) {
		process(delivery, () -> {
		});
	}

	/**
	 * Process a delivery and settle it.
	 * @param delivery the delivery
	 * @param replaceThread called when the task is abandoned at its hard time limit, so that the worker
	 * starts another thread in place of the one the task still holds
	 */
	void process(Delivery delivery, Runnable replaceThread) {
		try {
			TaskMessage message = decode(delivery);
			if (message != null) {
				TaskMdc.Previous mdc = TaskMdc.put(message.id(), message.task(), delivery.queue(), this.hostname);
				try {
					dispatch(message, delivery, replaceThread);
				}
				finally {
					TaskMdc.restore(mdc);
				}
			}
		}
		catch (RuntimeException ex) {
			// not the task's fault (the result backend failed, say): give the message back for another try
			logger.error("Could not process task {} from queue '{}'; returning it to the queue",
					LogText.escape(delivery.envelope().correlationId()), delivery.queue(), ex);
			delivery.requeue();
		}
	}

	private @Nullable TaskMessage decode(Delivery delivery) {
		try {
			String unreadable = delivery.unreadable();
			if (unreadable != null) {
				// the broker read only the headers: what the body held is lost, but the sender still waits
				throw new BrokerException(unreadable);
			}
			return this.converter.fromEnvelope(delivery.envelope());
		}
		catch (TaskQueueException ex) {
			String id = taskIdOf(delivery.envelope());
			logger.warn("Rejected an undecodable message from queue '{}' (task {}, id {}): {}", delivery.queue(),
					LogText.escape(delivery.envelope().taskName()), LogText.escape(id),
					LogText.escape(ex.getMessage()));
			String reason = "undecodable message: " + ex.getMessage();
			if (!this.listeners.isEmpty()) {
				this.listeners.rejected(TaskEvents.undecodable(delivery, id, this.hostname), reason);
			}
			if (id != null) {
				// the sender waits on this id: tell it why its task will never run
				store(delivery, TaskResult.failure(id, ex, this.clock.instant()));
			}
			delivery.reject(reason);
			return null;
		}
	}

	/**
	 * The id of a message that could not be decoded, wherever it can be read: the correlation id, else the
	 * protocol's {@code id} header (a message whose properties were lost still carries it).
	 */
	private static @Nullable String taskIdOf(Envelope envelope) {
		String correlationId = envelope.correlationId();
		if (correlationId != null && !correlationId.isEmpty()) {
			return correlationId;
		}
		Object id = envelope.headers().get(ProtocolHeaders.ID);
		return (id instanceof String text && !text.isEmpty()) ? text : null;
	}

	private void dispatch(TaskMessage message, Delivery delivery, Runnable replaceThread) {
		TaskDefinition task = this.registry.find(message.task());
		if (task == null) {
			task = this.builtins.find(message.task());
		}
		Instant now = this.clock.instant();
		if (task == null) {
			logger.warn("Received unregistered task {}; dead-lettered", label(message));
			TaskEvent event = received(message, delivery);
			if (event != null) {
				this.listeners.unknownTask(event);
			}
			store(delivery, TaskResult.failure(message.id(), "NotRegistered", TaskResult.CELERY_EXCEPTIONS,
					message.task(), null, now));
			delivery.reject("unregistered task '" + message.task() + "'");
		}
		else if (this.revocations.isRevoked(message.id())) {
			logger.info("Task {} revoked; not run", label(message));
			revokedBeforeRun(message, delivery, "revoked");
			revoked(message, delivery, TaskResult.revoked(message.id(), "revoked", now));
			delivery.ack();
		}
		else if (message.isExpiredAt(now)) {
			logger.info("Task {} expired at {}; revoked", label(message), message.expires());
			revokedBeforeRun(message, delivery, "expired");
			revoked(message, delivery, TaskResult.revoked(message.id(), "expired", now));
			delivery.ack();
		}
		else if (message.isDueAfter(now)) {
			delivery.deferUntil(message.eta());
		}
		else if (delivery.isGuard() && finished(message)) {
			logger.info("Task {} finished before its guard came due; guard dropped", label(message));
			delivery.ack();
		}
		else {
			if (delivery.isGuard()) {
				logger.warn("Task {} was handed over by a worker that did not finish it; running it again",
						label(message));
			}
			run(task, message, delivery, received(message, delivery), replaceThread);
		}
	}

	/**
	 * Tell the listeners a task was received; the event, for its later moments, or {@code null} without listeners.
	 */
	private @Nullable TaskEvent received(TaskMessage message, Delivery delivery) {
		if (this.listeners.isEmpty()) {
			return null;
		}
		TaskEvent event = TaskEvents.of(message, delivery, this.hostname);
		this.listeners.received(event);
		return event;
	}

	private void revokedBeforeRun(TaskMessage message, Delivery delivery, String reason) {
		TaskEvent event = received(message, delivery);
		if (event != null) {
			this.listeners.revoked(event, reason);
		}
	}

	private void run(TaskDefinition task, TaskMessage message, Delivery delivery, @Nullable TaskEvent event,
			Runnable replaceThread) {
		this.totals.computeIfAbsent(task.name(), (name) -> new LongAdder()).increment();
		boolean storeResult = !task.options().ignoresResult() && !message.ignoreResult();
		WorkerTaskContext context = new WorkerTaskContext(message, delivery.envelope().headers(), delivery.queue(),
				delivery.redelivered(), storeResult ? this.results : null, delivery.envelope().replyTo(), this.clock);
		Run run = new Run(task, message, delivery, task.options().acksLate(this.acksLateByDefault), storeResult,
				System.nanoTime(), event, context);
		if (!run.acksLate()) {
			delivery.ack();
		}
		if (task.options().tracksStarted() && run.storeResult()) {
			store(delivery, TaskResult.started(message.id(), this.hostname, ProcessHandle.current().pid()));
		}
		if (event != null) {
			event.markStarted();
			this.listeners.prerun(event);
		}
		TimeLimit limits = limitsOf(task, message);
		delivery.started(limits.hard());
		TimeLimiter.Execution execution = this.timeLimiter.start(limits.soft(), limits.hard(),
				() -> hardLimitReached(run, limits.hard(), replaceThread));
		Object value = null;
		Throwable error = null;
		boolean terminated;
		this.revocations.started(message.id());
		try {
			value = this.invoker.invoke(task, message, context);
		}
		catch (ArgumentBindingException ex) {
			execution.finish();
			rejectArguments(run, ex);
			return;
		}
		catch (TaskExecutionException ex) {
			error = ex.getCause();
		}
		finally {
			terminated = this.revocations.finished(message.id());
		}
		if (!execution.finish()) {
			// abandoned at its hard time limit: the time limiter's thread told the listeners and stored FAILURE
			return;
		}
		if (abandoned(run)) {
			// it runs again elsewhere
			postrun(run, TaskOutcome.RETRY);
			return;
		}
		if (terminated) {
			// revoked with terminate while it ran: whatever the interrupted task returned or raised, it is REVOKED
			logger.info("Task {} terminated by revocation", label(message));
			if (finished(run) != null) {
				this.listeners.revoked(event, "terminated");
				this.listeners.postrun(event, TaskOutcome.REVOKED);
			}
			revoked(message, delivery, TaskResult.revoked(message.id(), "revoked", this.clock.instant()));
			delivery.ack();
			return;
		}
		if (error instanceof TaskReplacedException replaced) {
			replaced(run, replaced);
		}
		else if (error == null) {
			succeeded(run, value);
		}
		else if (execution.softLimitExceeded()) {
			timedOut(run, "SoftTimeLimitExceeded", "soft time limit (" + limits.soft() + ") exceeded: " + error, error);
		}
		else {
			failed(run, error);
		}
	}

	/**
	 * Whether the result backend holds a final outcome for the task (a guard that comes due checks it). A
	 * backend that cannot tell (results disabled, one that only the sender reads) says no: the task runs again.
	 */
	private boolean finished(TaskMessage message) {
		try {
			TaskResult stored = this.results.whenReady(message.id()).getNow(null);
			return stored != null && stored.state().isReady();
		}
		catch (RuntimeException ex) {
			logger.debug("Could not read the outcome of task {}: {}", label(message), ex.toString());
			return false;
		}
	}

	private static TimeLimit limitsOf(TaskDefinition task, TaskMessage message) {
		// as Celery (`timelimit or task.time_limit`): the message's timelimit header first, then the task's own
		// limits; a limit of zero or less is no limit (it used to race the task on the timer's thread)
		TimeLimit header = message.timeLimit();
		Duration hard = positive(header.hard());
		Duration soft = positive(header.soft());
		return new TimeLimit((hard != null) ? hard : positive(task.options().timeLimit()),
				(soft != null) ? soft : positive(task.options().softTimeLimit()));
	}

	private static @Nullable Duration positive(@Nullable Duration limit) {
		return (limit != null && !limit.isNegative() && !limit.isZero()) ? limit : null;
	}

	private void succeeded(Run run, @Nullable Object value) {
		TaskMessage message = run.message();
		Object plain = this.values.toPlain(value);
		List<Object> children = run.context().children();
		if (Embed.any(message)) {
			// as Celery: the callbacks and the chain's next step are sent before the result is stored, so that
			// the result lists them as children
			try {
				List<Object> sent = this.workflow.succeeded(message, plain);
				if (!sent.isEmpty()) {
					List<Object> all = new java.util.ArrayList<>(children);
					all.addAll(sent);
					children = all;
				}
			}
			catch (RuntimeException ex) {
				logger.error("Task {} succeeded, but its workflow could not be continued", label(message), ex);
				failed(run, ex);
				return;
			}
		}
		if (logger.isDebugEnabled()) {
			logger.debug("Task {} succeeded in {} ms", label(message), run.millis());
		}
		TaskEvent event = finished(run);
		if (event != null) {
			this.listeners.succeeded(event, value);
			this.listeners.postrun(event, TaskOutcome.SUCCESS);
		}
		TaskResult result = withWorkflow(TaskResult.success(message.id(), plain, this.clock.instant()), message,
				children);
		// a chord's header task reports before its result is stored: if the report fails, the message goes back
		this.workflow.chordPartReturned(message, result);
		if (run.storeResult()) {
			storeThenAck(run, result);
		}
		else {
			run.delivery().ack();
		}
	}

	/**
	 * A task handed its place to another ({@link TaskReplacedException}): the replacement is sent with its id and
	 * workflow, nothing is stored, and the message is acknowledged (Celery's {@code Ignore}).
	 */
	private void replaced(Run run, TaskReplacedException replaced) {
		try {
			this.workflow.replace(run.message(), replaced.getSignature());
		}
		catch (RuntimeException ex) {
			logger.warn("Task {} could not be replaced: {}", label(run.message()), LogText.escape(ex.toString()));
			failed(run, ex);
			return;
		}
		logger.info("Task {} replaced by {}", label(run.message()),
				LogText.escape(String.valueOf(replaced.getSignature().get("task"))));
		postrun(run, TaskOutcome.SUCCESS);
		run.delivery().ack();
	}

	/**
	 * Store that a task was revoked, and tell its chord, as Celery's {@code mark_as_revoked}.
	 */
	private void revoked(TaskMessage message, Delivery delivery, TaskResult revoked) {
		TaskResult result = withWorkflow(revoked, message, List.of());
		store(delivery, result);
		afterFailure(message, delivery, result, false);
	}

	/**
	 * After a task's final failure or revocation: its chord is told, and, for a failure, the rest of its chain
	 * fails and its errbacks are called. The failure is stored already: what goes wrong here is logged.
	 */
	private void afterFailure(TaskMessage message, Delivery delivery, TaskResult result, boolean failure) {
		if (!Embed.any(message)) {
			return;
		}
		try {
			this.workflow.chordPartReturned(message, result);
			if (failure) {
				this.workflow.failed(message, result, delivery.envelope().replyTo());
			}
		}
		catch (RuntimeException ex) {
			logger.error("Task {} ended {}, but its workflow could not be told", label(message), result.status(), ex);
		}
	}

	/**
	 * A result with the group, parent and children Celery stores with it; the same result for a task of no
	 * workflow.
	 */
	private static TaskResult withWorkflow(TaskResult result, TaskMessage message, List<Object> children) {
		String parentId = message.parentId();
		if (message.group() == null && parentId == null && children.isEmpty()) {
			return result;
		}
		return result.withWorkflow(message.group(), parentId, children);
	}

	/**
	 * Store the outcome and ack once it is stored, without holding the task's thread while the backend
	 * works: the thread takes the next task, and the delivery keeps its prefetch slot until it is settled.
	 * The message is acked only after the store succeeded (acks late: at least once); if the store failed it
	 * goes back to its queue, as when a synchronous store fails. That requeue runs on this processor's own
	 * threads, never on the one that failed the store (see {@link #settlers}); the ack after a successful store
	 * does not wait for its broker and is sent at once.
	 */
	private void storeThenAck(Run run, TaskResult result) {
		Delivery delivery = run.delivery();
		this.settlements.begin();
		CompletableFuture<Void> stored;
		try {
			stored = this.results.storeAsync(result, delivery.envelope().replyTo());
		}
		catch (RuntimeException ex) {
			stored = CompletableFuture.failedFuture(ex);
		}
		stored.whenComplete((ignored, failure) -> {
			if (failure == null) {
				// an ack never waits for its broker (Redis coalesces acks, RabbitMQ batches them), so it is sent
				// from the thread that completed the store, as before: no hand-off on the hot path
				try {
					delivery.ack();
				}
				finally {
					this.settlements.end();
				}
				return;
			}
			settle(() -> {
				try {
					logger.error("Could not store the outcome of task {}; returning its message to queue '{}'",
							label(run.message()), delivery.queue(), failure);
					delivery.requeue();
				}
				catch (RuntimeException ex) {
					// the broker is away too: the message stays unacknowledged, and the broker redelivers it
					// (Redis restores the claim after the visibility timeout, RabbitMQ requeues a closed channel's)
					logger.warn("Could not return the message of task {} to queue '{}' either; the broker will "
							+ "redeliver it: {}", label(run.message()), delivery.queue(), LogText.escape(ex.toString()));
				}
				finally {
					this.settlements.end();
				}
			});
		});
	}

	/**
	 * Run a settlement on the settling threads; once they are shut down (a closed processor), on the caller's.
	 */
	private void settle(Runnable settlement) {
		try {
			this.settlers.execute(settlement);
		}
		catch (RejectedExecutionException ex) {
			settlement.run();
		}
	}

	/**
	 * Wait until the outcomes being stored without blocking a task's thread are stored and their messages
	 * settled: a stopping worker calls this after its running tasks finished.
	 * @param timeout how long to wait at most
	 * @return whether every one is settled
	 * @throws InterruptedException if interrupted while waiting
	 */
	boolean awaitSettlements(Duration timeout) throws InterruptedException {
		return this.settlements.await(timeout);
	}

	/**
	 * Whether no outcome is being stored (and its message waiting to be settled) without a task's thread.
	 */
	boolean hasNoSettlementUnderWay() {
		return this.settlements.isEmpty();
	}

	/**
	 * How many times each task has started on this processor's workers (Celery counts the tasks its pool
	 * accepted): registered tasks only, by name.
	 * @return the counts, by task name in alphabetical order
	 */
	Map<String, Long> totals() {
		Map<String, Long> counts = new TreeMap<>();
		this.totals.forEach((name, count) -> counts.put(name, count.sum()));
		return counts;
	}

	/**
	 * Decode a message the worker holds, to show it (Celery's {@code inspect active} lists the arguments); never
	 * throws.
	 * @param envelope the message
	 * @return the message, or {@code null} if it cannot be decoded
	 */
	@Nullable TaskMessage peek(Envelope envelope) {
		try {
			return this.converter.fromEnvelope(envelope);
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	/**
	 * The tasks this processor runs, whose settings (rate limits) the worker reads too.
	 */
	TaskRegistry registry() {
		return this.registry;
	}

	/**
	 * Stop the timer that enforces time limits and the threads that settle deliveries: a task started
	 * afterwards runs without limits, and its delivery is settled on the thread that stored its outcome.
	 */
	@Override
	public void close() {
		this.timeLimiter.close();
		// settlements still queued run to the end; later ones run on the thread that completes their store
		this.settlers.shutdown();
	}

	private void rejectArguments(Run run, ArgumentBindingException ex) {
		String reason = "task " + run.message().task() + " " + ex.getMessage();
		logger.warn("Task {} cannot run: {}; dead-lettered", label(run.message()), LogText.escape(reason));
		TaskEvent event = finished(run);
		if (event != null) {
			this.listeners.rejected(event, reason);
			this.listeners.postrun(event, TaskOutcome.REJECTED);
		}
		TaskResult failure = withWorkflow(TaskResult.failure(run.message().id(), ex, this.clock.instant()),
				run.message(), List.of());
		store(run.delivery(), failure);
		// as Celery's TypeError: the task failed, so its chord is not left waiting and its errbacks are called
		afterFailure(run.message(), run.delivery(), failure, true);
		run.delivery().reject(reason);
	}

	private void hardLimitReached(Run run, java.time.Duration limit, Runnable replaceThread) {
		// on the time limiter's thread: the task's own thread is left to finish, or not, on its own
		replaceThread.run();
		TaskMdc.Previous mdc = TaskMdc.put(run.message().id(), run.message().task(), run.delivery().queue(),
				this.hostname);
		try {
			String message = "hard time limit (" + limit + ") exceeded; the task was abandoned";
			timedOut(run, "TimeLimitExceeded", message, new TimeoutException(message));
		}
		finally {
			TaskMdc.restore(mdc);
		}
	}

	private void timedOut(Run run, String type, String message, Throwable error) {
		logger.warn("Task {}: {}", label(run.message()), LogText.escape(message));
		TaskEvent event = finished(run);
		if (event != null) {
			this.listeners.failed(event, error);
			this.listeners.postrun(event, TaskOutcome.FAILURE);
		}
		TaskResult failure = withWorkflow(TaskResult.failure(run.message().id(), type, TaskResult.CELERY_EXCEPTIONS,
				message, null, this.clock.instant()), run.message(), run.context().children());
		if (run.storeResult()) {
			store(run.delivery(), failure);
		}
		afterFailure(run.message(), run.delivery(), failure, true);
		run.delivery().ack();
	}

	private void failed(Run run, Throwable error) {
		TaskMessage message = run.message();
		RetryPolicy policy = run.task().options().retry();
		boolean explicit = error instanceof TaskRetryException;
		Throwable cause = (explicit && error.getCause() != null) ? error.getCause() : error;
		boolean retries = explicit || policy.retriesOn(error);
		if (retries && message.retries() < policy.retryLimit()) {
			Duration countdown = (explicit && ((TaskRetryException) error).getCountdown() != null)
					? ((TaskRetryException) error).getCountdown() : policy.countdown(message.retries());
			// as Celery: the next run is published before RETRY is stored
			this.retrier.retry(message, run.delivery(), countdown);
			logger.info("Task {} retry {} of {} in {}: {}", label(message), message.retries() + 1,
					policy.retryLimit(), countdown, LogText.escape(cause.toString()));
			TaskEvent event = finished(run);
			if (event != null) {
				this.listeners.retried(event, cause, countdown);
				this.listeners.postrun(event, TaskOutcome.RETRY);
			}
			if (run.storeResult()) {
				store(run.delivery(), withWorkflow(TaskResult.retry(message.id(), cause), message, List.of()));
			}
		}
		else {
			logger.info("Task {} raised {} in {} ms{}", label(message), LogText.escape(cause), run.millis(),
					retries ? " (retries exhausted)" : "");
			// a message acknowledged early is gone already: it is not dead-lettered, and its outcome is FAILURE
			boolean deadLetter = retries && run.acksLate()
					&& policy.deadLettersWhenExhausted(this.deadLettersExhaustedByDefault);
			String reason = deadLetter
					? "retries exhausted (" + message.retries() + " of " + policy.retryLimit() + "): " + cause : null;
			TaskEvent event = finished(run);
			if (event != null) {
				this.listeners.failed(event, cause);
				if (reason != null) {
					this.listeners.rejected(event, reason);
				}
				this.listeners.postrun(event, (reason != null) ? TaskOutcome.REJECTED : TaskOutcome.FAILURE);
			}
			TaskResult failure = withWorkflow(TaskResult.failure(message.id(), cause, this.clock.instant()), message,
					run.context().children());
			if (run.storeResult()) {
				store(run.delivery(), failure);
			}
			afterFailure(message, run.delivery(), failure, true);
			if (reason != null) {
				run.delivery().reject(reason);
				return;
			}
		}
		run.delivery().ack();
	}

	/**
	 * A task as the logs name it, {@code name[id]}, both escaped: they come from the message.
	 */
	private static String label(TaskMessage message) {
		return LogText.escape(message.task()) + "[" + LogText.escape(message.id()) + "]";
	}

	private static boolean abandoned(Run run) {
		// the worker gave the message back while the task ran (shutdown timeout): it runs again elsewhere,
		// so this run's outcome is not stored
		if (run.acksLate() && run.delivery().isSettled()) {
			logger.info("Task {} finished after its message was returned to the broker; outcome not stored",
					label(run.message()));
			return true;
		}
		return false;
	}

	/**
	 * Mark the end of a run for its listeners.
	 * @return the run's event, or {@code null} without listeners
	 */
	private static @Nullable TaskEvent finished(Run run) {
		TaskEvent event = run.event();
		if (event != null) {
			event.markFinished();
		}
		return event;
	}

	private void postrun(Run run, TaskOutcome outcome) {
		TaskEvent event = finished(run);
		if (event != null) {
			this.listeners.postrun(event, outcome);
		}
	}

	private void store(Delivery delivery, TaskResult result) {
		// the sender's reply_to goes along, for a backend that replies to it (rpc)
		this.results.store(result, delivery.envelope().replyTo());
	}

	/**
	 * One run of a task, as the steps after it need to know it, with the event of its listeners ({@code null}
	 * without listeners).
	 */
	private record Run(TaskDefinition task, TaskMessage message, Delivery delivery, boolean acksLate,
			boolean storeResult, long startedNanos, @Nullable TaskEvent event, WorkerTaskContext context) {

		long millis() {
			return (System.nanoTime() - this.startedNanos) / 1_000_000;
		}

	}

	/**
	 * Builds a {@link TaskProcessor}: the four collaborators it cannot do without are given up front, every
	 * other setting has the default of a worker started without configuration.
	 */
	public static final class Builder {

		private final TaskMessageConverter converter;

		private final TaskRegistry registry;

		private final ResultBackend results;

		private final Broker broker;

		private @Nullable JsonMapper jsonMapper;

		private @Nullable Clock clock;

		private boolean acksLate;

		private String hostname = "taskqueue@localhost";

		private @Nullable Revocations revocations;

		private boolean deadLetterExhaustedRetries;

		private TypedValues typedValues = TypedValues.PLAIN;

		private TaskListeners listeners = TaskListeners.NONE;

		private Supplier<@Nullable CanvasClient> canvas = () -> null;

		private Builder(TaskMessageConverter converter, TaskRegistry registry, ResultBackend results, Broker broker) {
			this.converter = converter;
			this.registry = registry;
			this.results = results;
			this.broker = broker;
		}

		/**
		 * The application's Jackson mapper: it converts arguments to parameter types, and (made
		 * {@link JsonSerializer#celeryCompatible(JsonMapper) Celery-compatible}) return values to plain values.
		 * By default a mapper with Jackson's defaults.
		 * @param jsonMapper the mapper
		 * @return this builder
		 */
		public Builder jsonMapper(JsonMapper jsonMapper) {
			this.jsonMapper = jsonMapper;
			return this;
		}

		/**
		 * How results store dates and times, {@code BigDecimal}, {@code UUID} and {@code byte[]}: as plain values
		 * (ISO text, strings), which every Celery reads, or as kombu 5.3's typed objects, which Celery 5.3+ reads
		 * back as {@code datetime}, {@code Decimal}, ... By default {@link TypedValues#PLAIN}.
		 * @param typedValues how those values are stored
		 * @return this builder
		 */
		public Builder typedValues(TypedValues typedValues) {
			this.typedValues = typedValues;
			return this;
		}

		/**
		 * The clock eta, expiry and retry countdowns are measured against; by default the system's, in UTC.
		 * @param clock the clock
		 * @return this builder
		 */
		public Builder clock(Clock clock) {
			this.clock = clock;
			return this;
		}

		/**
		 * Whether messages are acknowledged after their task rather than before, unless the task says
		 * ({@code taskqueue.worker.acks-late}); by default before, as Celery.
		 * @param acksLate whether messages are acknowledged late
		 * @return this builder
		 */
		public Builder acksLate(boolean acksLate) {
			this.acksLate = acksLate;
			return this;
		}

		/**
		 * This worker's name, stored with STARTED, told to listeners and put in the MDC; by default
		 * {@code taskqueue@localhost}.
		 * @param hostname the name
		 * @return this builder
		 */
		public Builder hostname(String hostname) {
			this.hostname = hostname;
			return this;
		}

		/**
		 * Which tasks must not run, and which running ones to interrupt; by default revocations made in this
		 * JVM, remembered for three hours.
		 * @param revocations the cluster's revocations
		 * @return this builder
		 */
		public Builder revocations(Revocations revocations) {
			this.revocations = revocations;
			return this;
		}

		/**
		 * Whether the message of a task whose retries are used up is dead-lettered rather than acknowledged,
		 * unless the task says ({@code taskqueue.worker.on-retries-exhausted}); by default acknowledged.
		 * @param deadLetter whether such messages are dead-lettered
		 * @return this builder
		 */
		public Builder deadLetterExhaustedRetries(boolean deadLetter) {
			this.deadLetterExhaustedRetries = deadLetter;
			return this;
		}

		/**
		 * The listeners told of each task's moments (Celery's {@code task_received}, {@code task_prerun},
		 * {@code task_postrun}, {@code task_success}, ...), in this order; by default none.
		 * @param listeners the listeners
		 * @return this builder
		 */
		public Builder listeners(List<? extends TaskListener> listeners) {
			this.listeners = TaskListeners.of(listeners);
			return this;
		}

		/**
		 * The client that continues workflows: a task's callbacks, the next step of its chain, a chord's body
		 * and errbacks are sent with it. Without one, a message that carries a workflow fails once its task has
		 * run, saying so.
		 * @param canvas the client, asked for when a workflow first needs it (the client may be built after
		 * this processor, as with an eager broker)
		 * @return this builder
		 */
		public Builder canvas(Supplier<@Nullable CanvasClient> canvas) {
			this.canvas = canvas;
			return this;
		}

		/**
		 * Build the processor.
		 * @return a new processor, to {@link TaskProcessor#close() close} when its workers have stopped
		 */
		public TaskProcessor build() {
			return new TaskProcessor(this);
		}

	}

}
