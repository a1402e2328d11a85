package dev.taskqueue.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
	}

	@Override
	public synchronized void start() {
		if (isRunning()) {
			return;
		}
		this.cold = false;
		AtomicInteger threads = new AtomicInteger();
		this.pool = new ThreadPoolExecutor(this.settings.concurrency(), this.settings.concurrency(), 0, TimeUnit.SECONDS,
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
		logger.info("Worker {} consuming {} with concurrency {} and prefetch {}", this.settings.name(),
				this.settings.queues(), this.settings.concurrency(), this.settings.prefetch());
		if (!this.listeners.isEmpty()) {
			this.listeners.workerReady(event());
		}
	}

	private @Nullable Subscription subscribe() {
		List<String> queues = consumedQueues();
		return queues.isEmpty() ? null : this.broker.subscribe(queues, this.settings.prefetch(), this::dispatch);
	}

	private List<String> consumedQueues() {
		return this.settings.queues().stream().filter((queue) -> !this.paused.contains(queue)).toList();
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
		if (this.paused.add(queue) && isRunning()) {
			resubscribe();
			logger.info("Worker {} paused consuming '{}'", this.settings.name(), queue);
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
	 * Replace the subscription by one to the queues not paused. Deliveries of the old one are still run and
	 * settled; until they are, the worker may hold up to twice its prefetch.
	 */
	private void resubscribe() {
		Subscription current = this.subscription;
		if (current != null) {
			current.cancel();
		}
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
		for (String queue : this.settings.queues()) {
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
		return new WorkerSnapshot(this.settings.name(), this.settings.queues(), this.paused, consuming,
				this.settings.concurrency(), this.settings.prefetch(), running, active);
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

		void handBack() {
			Worker.this.inFlight.remove(this.delivery);
			this.delivery.requeue();
		}

	}

}
