package dev.taskqueue.worker;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;

import dev.taskqueue.broker.Broker;
import dev.taskqueue.listener.TaskListener;
import dev.taskqueue.listener.TaskListeners;

/**
 * The workers of an application (one per worker group), started and stopped with its context. They stop
 * side by side, so that each gets its whole shutdown timeout, and before the beans they use are destroyed.
 */
public class Workers implements SmartLifecycle {

	/** Stops before the broker's connections are closed, and before the web server. */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

	private final List<Worker> workers;

	private final TaskProcessor processor;

	private final boolean coldShutdownOnSecondSignal;

	private @Nullable ShutdownSignals signals;

	/**
	 * Create the group.
	 * @param workers the workers
	 * @param processor what they run tasks with, which counts the tasks run
	 * @param coldShutdownOnSecondSignal whether, while they run, a second SIGTERM or SIGINT makes their
	 * shutdown cold ({@link #stopNow()}), as Celery's second signal does; the first is left to the JVM
	 */
	Workers(List<Worker> workers, TaskProcessor processor, boolean coldShutdownOnSecondSignal) {
		this.workers = List.copyOf(workers);
		this.processor = processor;
		this.coldShutdownOnSecondSignal = coldShutdownOnSecondSignal;
	}

	/**
	 * Start building the workers of an application.
	 * @param broker where messages come from
	 * @param processor what every worker does with each
	 * @return a builder, to which the worker groups are added
	 */
	public static Builder builder(Broker broker, TaskProcessor processor) {
		return new Builder(broker, processor);
	}

	/**
	 * The workers.
	 * @return the workers, in configuration order
	 */
	List<Worker> getWorkers() {
		return this.workers;
	}

	/**
	 * The settings of the workers.
	 * @return one per worker group, in configuration order
	 */
	public List<WorkerSettings> getSettings() {
		return this.workers.stream().map(Worker::getSettings).toList();
	}

	/**
	 * What each worker is doing now: its queues and consumers, its running tasks.
	 * @return one snapshot per worker group, in configuration order
	 */
	public List<WorkerSnapshot> snapshot() {
		return this.workers.stream().map(Worker::snapshot).toList();
	}

	/**
	 * Stop consuming a queue on every worker that consumes it (Celery's {@code cancel_consumer}): the tasks
	 * already taken still run; the queue's messages wait until {@link #resume(String)}.
	 * @param queue the queue
	 * @return whether any worker consumes it
	 */
	public boolean pause(String queue) {
		boolean found = false;
		for (Worker worker : this.workers) {
			found |= worker.pause(queue);
		}
		return found;
	}

	/**
	 * Consume a paused queue again (Celery's {@code add_consumer} of a queue the worker was configured with).
	 * @param queue the queue
	 * @return whether any worker consumes it
	 */
	public boolean resume(String queue) {
		boolean found = false;
		for (Worker worker : this.workers) {
			found |= worker.resume(queue);
		}
		return found;
	}

	/**
	 * The messages the workers hold (Celery's {@code Request}s): those running ({@code inspect active}) and those
	 * waiting for a thread or for their rate limit ({@code inspect reserved}). A message whose eta is not due is
	 * not held: it waits in the broker.
	 * @return the requests, running ones first, each group oldest first
	 */
	public List<TaskRequest> requests() {
		return this.workers.stream()
			.flatMap((worker) -> worker.requests().stream())
			.sorted(Comparator.comparing(TaskRequest::isActive)
				.reversed()
				.thenComparing(TaskRequest::startedAt, Comparator.nullsLast(Comparator.naturalOrder())))
			.toList();
	}

	/**
	 * How many times each task has started since the application started (Celery's {@code total} in
	 * {@code celery inspect stats}).
	 * @return the counts by task name, in alphabetical order
	 */
	public Map<String, Long> totals() {
		return this.processor.totals();
	}

	/**
	 * Consume a queue (Celery's {@code add_consumer}): the workers configured with it resume it if paused; a queue
	 * no worker is configured with is added to the first worker group, until {@link #cancelConsumer(String)}.
	 * @param queue the queue
	 */
	public void addConsumer(String queue) {
		List<Worker> configured = this.workers.stream()
			.filter((worker) -> worker.getSettings().queues().contains(queue))
			.toList();
		if (!configured.isEmpty()) {
			configured.forEach((worker) -> worker.resume(queue));
		}
		else if (!this.workers.isEmpty()) {
			this.workers.get(0).addQueue(queue);
		}
	}

	/**
	 * Stop consuming a queue (Celery's {@code cancel_consumer}): a configured queue is paused until
	 * {@link #addConsumer(String)} or {@link #resume(String)}, an added one dropped. The tasks already taken from
	 * it still run.
	 * @param queue the queue
	 * @return whether any worker consumed it
	 */
	public boolean cancelConsumer(String queue) {
		boolean found = false;
		for (Worker worker : this.workers) {
			found |= worker.removeQueue(queue);
		}
		return found;
	}

	/**
	 * Run more or fewer tasks at once (Celery's {@code pool_grow} and {@code pool_shrink}): the first worker
	 * group's pool gains or loses threads, and its prefetch follows in proportion.
	 * @param delta how many threads to add, or to remove if negative
	 * @throws IllegalArgumentException if the pool would be left without a thread
	 */
	public void resizePool(int delta) {
		if (!this.workers.isEmpty()) {
			this.workers.get(0).resize(delta);
		}
	}

	/**
	 * Whether a second SIGTERM or SIGINT makes a shutdown cold.
	 * @return whether the signals are handled
	 */
	public boolean isColdShutdownOnSecondSignal() {
		return this.coldShutdownOnSecondSignal;
	}

	@Override
	public synchronized void start() {
		if (this.coldShutdownOnSecondSignal && this.signals == null) {
			this.signals = ShutdownSignals.install(this::stopNow);
		}
		this.workers.forEach(Worker::start);
	}

	@Override
	public synchronized void stop() {
		List<Thread> stopping = this.workers.stream()
			.map((worker) -> new Thread(worker::stop, "stop-" + worker.getSettings().name()))
			.toList();
		stopping.forEach(Thread::start);
		for (Thread thread : stopping) {
			try {
				thread.join();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		if (this.signals != null) {
			this.signals.restore();
			this.signals = null;
		}
	}

	/**
	 * Make a shutdown cold: the workers stop waiting for running tasks, hand their messages back to the
	 * broker and interrupt them. Safe to call at any time; a shutdown that has not begun will not wait.
	 */
	public void stopNow() {
		this.workers.forEach(Worker::stopNow);
	}

	/**
	 * Whether every worker holds no message: none running, waiting for a thread or for its rate limit, and no
	 * outcome being stored. With a broker that has nothing waiting either, every task sent so far has run and its
	 * outcome is stored (see {@code dev.taskqueue.test.TaskQueueTestSupport}).
	 * @return {@code true} if the workers have nothing to do
	 */
	public boolean isIdle() {
		return this.workers.stream().allMatch(Worker::isIdle);
	}

	@Override
	public boolean isRunning() {
		return this.workers.stream().anyMatch(Worker::isRunning);
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	/**
	 * Builds {@link Workers}: one worker per group of settings, all sharing the broker, the processor and the
	 * rate limiter.
	 */
	public static final class Builder {

		private final Broker broker;

		private final TaskProcessor processor;

		private final List<WorkerSettings> groups = new ArrayList<>();

		private @Nullable RateLimiter rateLimiter;

		private boolean coldShutdownOnSecondSignal;

		private TaskListeners listeners = TaskListeners.NONE;

		private Builder(Broker broker, TaskProcessor processor) {
			this.broker = broker;
			this.processor = processor;
		}

		/**
		 * Add a worker group.
		 * @param settings its queues, concurrency, prefetch and shutdown timeout
		 * @return this builder
		 */
		public Builder group(WorkerSettings settings) {
			this.groups.add(settings);
			return this;
		}

		/**
		 * Add worker groups.
		 * @param settings their settings, in order
		 * @return this builder
		 */
		public Builder groups(List<WorkerSettings> settings) {
			this.groups.addAll(settings);
			return this;
		}

		/**
		 * What enforces the tasks' rate limits (read from the processor's registry); without one, no task is
		 * limited.
		 * @param rateLimiter the limiter, local or shared by the cluster
		 * @return this builder
		 */
		public Builder rateLimiter(RateLimiter rateLimiter) {
			this.rateLimiter = rateLimiter;
			return this;
		}

		/**
		 * Whether, while the workers run, a second SIGTERM or SIGINT makes their shutdown cold
		 * ({@link Workers#stopNow()}), as Celery's second signal does; the first is left to the JVM. Off by
		 * default.
		 * @param coldShutdownOnSecondSignal whether the signals are handled
		 * @return this builder
		 */
		public Builder coldShutdownOnSecondSignal(boolean coldShutdownOnSecondSignal) {
			this.coldShutdownOnSecondSignal = coldShutdownOnSecondSignal;
			return this;
		}

		/**
		 * The listeners told when each worker is ready (Celery's {@code worker_ready}) and begins to stop
		 * ({@code worker_shutting_down}), in this order; by default none. The tasks' own moments are the
		 * {@link TaskProcessor.Builder#listeners(List) processor's}.
		 * @param listeners the listeners
		 * @return this builder
		 */
		public Builder listeners(List<? extends TaskListener> listeners) {
			this.listeners = TaskListeners.of(listeners);
			return this;
		}

		/**
		 * Build the workers, not started.
		 * @return the workers
		 */
		public Workers build() {
			TaskRateLimits rateLimits = (this.rateLimiter != null)
					? new TaskRateLimits(this.processor.registry(), this.rateLimiter) : TaskRateLimits.NONE;
			return new Workers(this.groups.stream()
				.map((settings) -> new Worker(this.broker, this.processor, settings, rateLimits, this.listeners))
				.toList(), this.processor, this.coldShutdownOnSecondSignal);
		}

	}

}
