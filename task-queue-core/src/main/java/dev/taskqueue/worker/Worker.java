package dev.taskqueue.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.Lifecycle;

import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.Delivery;
import dev.taskqueue.broker.LoopStep;
import dev.taskqueue.broker.Subscription;
import dev.taskqueue.listener.TaskListeners;
import dev.taskqueue.listener.WorkerEvent;
import dev.taskqueue.protocol.Envelope;

/**
 * A worker: consumes its queues with a bounded prefetch and runs tasks on a pool of {@code concurrency}
 * threads. In an application, {@link Workers} starts and stops the configured workers with the context.
 * <p>
 * Shutdown is warm, as Celery's: the worker stops taking messages, hands back those it holds but has not
 * started, lets running tasks finish (and their outcomes be stored) within the shutdown timeout, and hands back (unacknowledged) the
 * messages of tasks still running after it, so that nothing is lost. {@link #stopNow()} makes it cold, as
 * Celery's second signal does: running tasks are not waited for; their messages are handed back at once.
 */
class Worker implements Lifecycle {

	private static final Logger logger = LoggerFactory.getLogger(Worker.class);

	private final Broker broker;

	private final TaskProcessor processor;

	private final WorkerSettings settings;

	private final TaskRateLimits rateLimits;

	private final TaskListeners listeners;

	/** The deliveries the worker holds, running or waiting for a thread or their rate limit, with their jobs. */
	private final Map<Delivery, Job> inFlight = new ConcurrentHashMap<>();

	/** The queues whose consuming is paused ({@link #pause(String)}). */
	private final Set<String> paused = ConcurrentHashMap.newKeySet();

	/** The queues added while it runs ({@link #addQueue(String)}), besides the configured ones. */
	private final Set<String> added = new CopyOnWriteArraySet<>();

	/** How many tasks it runs at once now: the configured concurrency, changed by {@link #resize(int)}. */
	private volatile int concurrency;

	/** How many messages it holds at most now: the configured prefetch, changed by {@link #resize(int)}. */
	private volatile int prefetch;

	private final Set<Job> waitingForRate = ConcurrentHashMap.newKeySet();

	private volatile @Nullable ScheduledExecutorService rateTimer;

	private volatile @Nullable ThreadPoolExecutor pool;

	private volatile @Nullable Subscription subscription;

	private final Object stopperLock = new Object();

	private @Nullable Thread stopper;

	private volatile boolean cold;

	/**
	 * Create a worker.
	 * @param broker where messages come from
	 * @param processor what to do with each
	 * @param settings queues, concurrency, prefetch and shutdown timeout
	 */
	Worker(Broker broker, TaskProcessor processor, WorkerSettings settings) {
		this(broker, processor, settings, TaskRateLimits.NONE, TaskListeners.NONE);
	}

	/**
	 * Create a worker that enforces rate limits.
	 * @param broker where messages come from
	 * @param processor what to do with each
	 * @param settings queues, concurrency, prefetch and shutdown timeout
	 * @param rateLimits the tasks' rate limits
	 * @param listeners told when the worker is ready and when it begins to stop
	 */
	Worker(Broker broker, TaskProcessor processor, WorkerSettings settings, TaskRateLimits rateLimits,
			TaskListeners listeners) {
		this.broker = broker;
		this.processor = processor;
		this.settings = settings;
		this.rateLimits = rateLimits;
		this.listeners = listeners;
		this.concurrency = settings.concurrency();
		this.prefetch = settings.prefetch();
	}

	@Override
	public synchronized void start() {
		if (isRunning()) {
			return;
		}
		this.cold = false;
		AtomicInteger threads = new AtomicInteger();
		this.pool = new ThreadPoolExecutor(this.concurrency, this.concurrency, 0, TimeUnit.SECONDS,
				new LinkedBlockingQueue<>(), (runnable) -> {
					Thread thread = new Thread(runnable, this.settings.name() + "-" + threads.incrementAndGet());
					// threads inherit daemon status from their creator, the broker's (daemon) consumer thread;
					// a worker-only application must stay alive while its pool is up
					thread.setDaemon(false);
					return thread;
				});
		// a worker-only application lives as long as its worker, even before the first task arrives
		this.pool.prestartAllCoreThreads();
		this.rateTimer = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, this.settings.name() + "-rate-limits");
			thread.setDaemon(true);
			return thread;
		});
		this.subscription = subscribe();
		logger.info("Worker {} consuming {} with concurrency {} and prefetch {}", this.settings.name(), queues(),
				this.concurrency, this.prefetch);
		if (!this.listeners.isEmpty()) {
			this.listeners.workerReady(event());
		}
	}

	private @Nullable Subscription subscribe() {
		List<String> queues = consumedQueues();
		return queues.isEmpty() ? null : this.broker.subscribe(queues, this.prefetch, this::dispatch);
	}

	private List<String> consumedQueues() {
		return queues().stream().filter((queue) -> !this.paused.contains(queue)).toList();
	}

	/**
	 * The queues it is configured to consume, then those added while it runs.
	 */
	private List<String> queues() {
		if (this.added.isEmpty()) {
			return this.settings.queues();
		}
		List<String> queues = new ArrayList<>(this.settings.queues());
		queues.addAll(this.added);
		return queues;
	}

	/**
	 * Stop consuming one of the worker's queues (Celery's {@code cancel_consumer}): messages it holds are still
	 * run; no new one is taken from that queue until {@link #resume(String)}.
	 * @param queue the queue
	 * @return whether the worker is configured to consume it
	 */
	synchronized boolean pause(String queue) {
		if (!this.settings.queues().contains(queue)) {
			return false;
		}
		if (this.paused.contains(queue)) {
			return true;
		}
		if (isRunning()) {
			resubscribe(() -> this.paused.add(queue));
			logger.info("Worker {} paused consuming '{}'", this.settings.name(), queue);
		}
		else {
			this.paused.add(queue);
		}
		return true;
	}

	/**
	 * Consume a paused queue again (Celery's {@code add_consumer}).
	 * @param queue the queue
	 * @return whether the worker is configured to consume it
	 */
	synchronized boolean resume(String queue) {
		if (!this.settings.queues().contains(queue)) {
			return false;
		}
		if (this.paused.remove(queue) && isRunning()) {
			resubscribe();
			logger.info("Worker {} resumed consuming '{}'", this.settings.name(), queue);
		}
		return true;
	}

	/**
	 * Consume a queue (Celery's {@code add_consumer}): one of its configured queues is resumed, any other is
	 * added to those it consumes until {@link #removeQueue(String)}.
	 * @param queue the queue
	 */
	synchronized void addQueue(String queue) {
		if (this.settings.queues().contains(queue)) {
			resume(queue);
		}
		else if (this.added.add(queue) && isRunning()) {
			resubscribe();
			logger.info("Worker {} started consuming '{}'", this.settings.name(), queue);
		}
	}

	/**
	 * Stop consuming a queue (Celery's {@code cancel_consumer}): one of its configured queues is paused, an added
	 * one dropped. The messages it holds from that queue still run.
	 * @param queue the queue
	 * @return whether it consumed the queue
	 */
	synchronized boolean removeQueue(String queue) {
		if (this.settings.queues().contains(queue)) {
			return pause(queue);
		}
		if (!this.added.contains(queue)) {
			return false;
		}
		if (isRunning()) {
			resubscribe(() -> this.added.remove(queue));
			logger.info("Worker {} stopped consuming '{}'", this.settings.name(), queue);
		}
		else {
			this.added.remove(queue);
		}
		return true;
	}

	/**
	 * Run more or fewer tasks at once (Celery's {@code pool_grow} and {@code pool_shrink}): the pool gains or
	 * loses threads, and the prefetch follows in the configured proportion (Celery's prefetch multiplier), so
	 * that a grown pool has messages to run. A thread removed finishes its task first.
	 * @param delta how many threads to add, or to remove if negative
	 * @throws IllegalArgumentException if the pool would be left without a thread
	 */
	synchronized void resize(int delta) {
		int resized = this.concurrency + delta;
		if (resized < 1) {
			throw new IllegalArgumentException("the pool of worker " + this.settings.name() + " has "
					+ this.concurrency + " thread(s) and cannot lose " + (-delta));
		}
		int multiplier = Math.max(1, this.settings.prefetch() / this.settings.concurrency());
		this.concurrency = resized;
		this.prefetch = Math.max(resized, this.prefetch + delta * multiplier);
		resizePool(delta);
		if (isRunning()) {
			resubscribe();
		}
		logger.info("Worker {} now runs {} task(s) at once, with prefetch {}", this.settings.name(), resized,
				this.prefetch);
	}

	/**
	 * Replace the subscription by one to the queues not paused. Deliveries of the old one are still run and
	 * settled; until they are, the worker may hold up to twice its prefetch.
	 */
	private void resubscribe() {
		resubscribe(() -> {
		});
	}

	/**
	 * Replace the subscription, changing what is consumed once the old one has stopped: until its poll under way
	 * ends, the queue it drops is still consumed, and {@link #snapshot()} says so.
	 */
	private void resubscribe(Runnable change) {
		Subscription current = this.subscription;
		if (current != null) {
			current.cancel();
		}
		change.run();
		this.subscription = subscribe();
	}

	/**
	 * What the worker is doing now.
	 * @return its queues, consumers and running tasks
	 */
	WorkerSnapshot snapshot() {
		boolean running = isRunning();
		Subscription current = this.subscription;
		Map<String, Boolean> consuming = new LinkedHashMap<>();
		List<String> queues = queues();
		for (String queue : queues) {
			consuming.put(queue, running && current != null && !this.paused.contains(queue)
					&& current.isConsuming(queue));
		}
		Instant now = Instant.now();
		List<ActiveTask> active = this.inFlight.values()
			.stream()
			.map((job) -> job.active(now))
			.filter(java.util.Objects::nonNull)
			.sorted(Comparator.comparing(ActiveTask::startedAt))
			.toList();
		return new WorkerSnapshot(this.settings.name(), queues, this.paused, consuming, this.concurrency,
				this.prefetch, running, active);
	}

	/**
	 * The messages the worker holds, running or waiting, each decoded to show its arguments.
	 * @return the requests, in no order
	 */
	List<TaskRequest> requests() {
		return this.inFlight.values().stream().map(Job::request).filter(Objects::nonNull).toList();
	}

	private void dispatch(Delivery delivery) {
		Job job = new Job(delivery);
		this.inFlight.put(delivery, job);
		Duration wait = this.rateLimits.reserve(delivery.envelope());
		if (wait.isZero()) {
			this.pool.execute(job);
			return;
		}
		// over its rate limit: the task waits here, holding its prefetch slot but no thread
		this.waitingForRate.add(job);
		this.rateTimer.schedule(() -> {
			if (this.waitingForRate.remove(job)) {
				try {
					this.pool.execute(job);
				}
				catch (RejectedExecutionException ex) {
					job.handBack();
				}
				catch (Throwable ex) {
					LoopStep.failed("The rate limit timer of worker " + this.settings.name(), ex);
					job.handBack();
				}
			}
		}, wait.toNanos(), TimeUnit.NANOSECONDS);
	}

	@Override
	public synchronized void stop() {
		if (!isRunning()) {
			return;
		}
		if (!this.listeners.isEmpty()) {
			this.listeners.workerStopping(event());
		}
		if (this.subscription != null) {
			this.subscription.cancel();
		}
		this.rateTimer.shutdownNow();
		List<Runnable> waiting = new ArrayList<>(this.waitingForRate);
		this.waitingForRate.clear();
		this.pool.getQueue().drainTo(waiting);
		waiting.forEach((job) -> ((Job) job).handBack());
		this.pool.shutdown();
		boolean finished = awaitRunningTasks(this.settings.shutdownTimeout());
		if (!finished) {
			logger.warn("Worker {}: {} task(s) still running {}; returning their messages and interrupting them",
					this.settings.name(), this.inFlight.size(),
					this.cold ? "at a cold shutdown" : "after " + this.settings.shutdownTimeout());
			// returned before the interrupt, so that an interrupted task sees its message is gone and stores
			// nothing; a message settles once, so the task's own late ack is ignored
			this.inFlight.keySet().forEach(Delivery::requeue);
			this.pool.shutdownNow();
		}
		logger.info("Worker {} stopped; {} waiting message(s) returned to the broker", this.settings.name(),
				waiting.size());
		this.subscription = null;
		this.pool = null;
	}

	private WorkerEvent event() {
		return new WorkerEvent(this.settings.name(), this.settings.queues(), this.settings.concurrency());
	}

	/**
	 * Turn a warm shutdown into a cold one, as Celery's second signal does: stop waiting for running tasks,
	 * return their messages to the broker at once and interrupt them. Called while {@link #stop()} waits,
	 * it cuts the wait short; called before, the next stop does not wait at all.
	 */
	void stopNow() {
		synchronized (this.stopperLock) {
			this.cold = true;
			if (this.stopper != null) {
				this.stopper.interrupt();
			}
		}
	}

	private boolean awaitRunningTasks(Duration timeout) {
		synchronized (this.stopperLock) {
			if (this.cold) {
				return this.pool.isTerminated();
			}
			this.stopper = Thread.currentThread();
		}
		try {
			long deadline = System.nanoTime() + timeout.toNanos();
			// then the outcomes still being stored, whose messages are acked when stored
			return this.pool.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)
					&& this.processor.awaitSettlements(Duration.ofNanos(deadline - System.nanoTime()));
		}
		catch (InterruptedException ex) {
			if (!this.cold) {
				Thread.currentThread().interrupt();
			}
			return false;
		}
		finally {
			synchronized (this.stopperLock) {
				this.stopper = null;
				if (this.cold) {
					// the interrupt was ours, to cut the wait short: not the caller's
					Thread.interrupted();
				}
			}
		}
	}

	private synchronized void resizePool(int delta) {
		ThreadPoolExecutor current = this.pool;
		if (current == null || current.isShutdown()) {
			return;
		}
		if (delta > 0) {
			current.setMaximumPoolSize(current.getMaximumPoolSize() + delta);
			current.setCorePoolSize(current.getCorePoolSize() + delta);
		}
		else {
			current.setCorePoolSize(current.getCorePoolSize() + delta);
			current.setMaximumPoolSize(current.getMaximumPoolSize() + delta);
		}
	}

	/**
	 * How many threads the worker's pool has now: its concurrency, plus one for each task abandoned at its
	 * hard time limit that has not returned yet.
	 * @return the pool size, or 0 when stopped
	 */
	int poolSize() {
		ThreadPoolExecutor current = this.pool;
		return (current != null) ? current.getCorePoolSize() : 0;
	}

	@Override
	public boolean isRunning() {
		return this.pool != null;
	}

	/**
	 * Whether the worker holds no message: none running, waiting for a thread or for its rate limit, and no
	 * outcome being stored.
	 * @return {@code true} if it has nothing to do
	 */
	boolean isIdle() {
		return this.inFlight.isEmpty() && this.processor.hasNoSettlementUnderWay();
	}

	/**
	 * The worker's settings.
	 * @return the settings
	 */
	WorkerSettings getSettings() {
		return this.settings;
	}

	private final class Job implements Runnable {

		private final Delivery delivery;

		Job(Delivery delivery) {
			this.delivery = delivery;
		}

		private volatile boolean abandoned;

		/** When a thread took the job (epoch millis), 0 while it waits. */
		private volatile long startedMillis;

		@Override
		public void run() {
			this.startedMillis = System.currentTimeMillis();
			try {
				Worker.this.processor.process(this.delivery, this::abandon);
			}
			finally {
				Worker.this.inFlight.remove(this.delivery);
				if (this.abandoned) {
					resizePool(-1);
				}
			}
		}

		/**
		 * The task outlived its hard time limit: its thread stays with it, so another one takes its place.
		 */
		private void abandon() {
			this.abandoned = true;
			Worker.this.inFlight.remove(this.delivery);
			resizePool(+1);
		}

		/**
		 * The job as a running task, or {@code null} while it waits for a thread.
		 */
		@Nullable ActiveTask active(Instant now) {
			long started = this.startedMillis;
			if (started == 0 || this.abandoned) {
				return null;
			}
			Instant startedAt = Instant.ofEpochMilli(started);
			String id = this.delivery.envelope().correlationId();
			Duration runtime = Duration.between(startedAt, now);
			return new ActiveTask(id, this.delivery.envelope().taskName(), this.delivery.queue(), startedAt,
					runtime.isNegative() ? Duration.ZERO : runtime);
		}

		/**
		 * The job as a request the worker holds, or {@code null} once abandoned at its hard time limit.
		 */
		@Nullable TaskRequest request() {
			if (this.abandoned) {
				return null;
			}
			long started = this.startedMillis;
			Envelope envelope = this.delivery.envelope();
			return new TaskRequest(envelope.correlationId(), envelope.taskName(), this.delivery.queue(),
					envelope.priority(), this.delivery.redelivered(), this.delivery.isSettled(),
					(started != 0) ? Instant.ofEpochMilli(started) : null, Worker.this.processor.peek(envelope));
		}

		void handBack() {
			Worker.this.inFlight.remove(this.delivery);
			this.delivery.requeue();
		}

	}

}
