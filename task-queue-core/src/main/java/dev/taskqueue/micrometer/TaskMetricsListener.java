package dev.taskqueue.micrometer;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

import dev.taskqueue.listener.TaskEvent;
import dev.taskqueue.listener.TaskListener;
import dev.taskqueue.listener.TaskOutcome;
import dev.taskqueue.protocol.IsoTime;
import dev.taskqueue.protocol.ProtocolException;
import dev.taskqueue.protocol.ProtocolHeaders;
import dev.taskqueue.registry.TaskRegistry;

/**
 * Counts and times tasks, on the sending side and in the workers, as a {@link TaskListener}:
 * <ul>
 * <li>{@value #SENT} (counter; {@code task}, {@code queue}): tasks the broker took, counted after the publish;
 * <li>{@value #RECEIVED} (counter; {@code task}, {@code queue}): messages a worker received and decoded;
 * <li>{@value #EXECUTION} (timer; {@code task}, {@code queue}, {@code outcome}): each run, from prerun to postrun,
 * tagged {@code success}, {@code failure}, {@code retry}, {@code revoked} or {@code rejected}. A message revoked,
 * expired, rejected or naming an unknown task before it ran is counted too, with its outcome and a duration of
 * zero, so the counts by outcome add up to the messages handled;
 * <li>{@value #WAIT} (timer; {@code task}, {@code queue}): from when the message was due (sent, or its eta if later)
 * to its prerun. Messages without Task Queue's {@code taskqueue_sent} header (Celery's) are not timed;
 * <li>{@value #ACTIVE} (gauge): tasks running now, between prerun and postrun.
 * </ul>
 * Tag values are bounded: a task name the {@link TaskRegistry} does not know is {@code unknown}. Meters are made
 * once per task and queue and kept, so that recording costs two map look-ups and no allocation; when the meters
 * are denied by a meter filter ({@code management.metrics.enable.taskqueue=false}), the registry's no-op meters
 * are kept and recording does nothing.
 */
public final class TaskMetricsListener implements TaskListener {

	/** Tasks the broker took: a counter tagged {@code task} and {@code queue}. */
	public static final String SENT = "taskqueue.tasks.sent";

	/** Messages a worker received: a counter tagged {@code task} and {@code queue}. */
	public static final String RECEIVED = "taskqueue.tasks.received";

	/** The runs of tasks: a timer tagged {@code task}, {@code queue} and {@code outcome}. */
	public static final String EXECUTION = "taskqueue.tasks.execution";

	/** From a message's send time (or eta) to its start: a timer tagged {@code task} and {@code queue}. */
	public static final String WAIT = "taskqueue.tasks.wait";

	/** Tasks running now: a gauge. */
	public static final String ACTIVE = "taskqueue.tasks.active";

	private static final TaskOutcome[] OUTCOMES = TaskOutcome.values();

	private final MeterRegistry registry;

	private final TaskRegistry tasks;

	private final Clock clock;

	private final AtomicInteger active = new AtomicInteger();

	/** By task tag, then by queue tag: both bounded, so the cache is too. */
	private final ConcurrentMap<String, ConcurrentMap<String, TaskMeters>> meters = new ConcurrentHashMap<>();

	/**
	 * Create the listener and register {@value #ACTIVE}.
	 * @param registry where the meters are registered
	 * @param tasks the application's tasks, which bound the {@code task} tag
	 */
	public TaskMetricsListener(MeterRegistry registry, TaskRegistry tasks) {
		this(registry, tasks, Clock.systemUTC());
	}

	/**
	 * Create the listener with a clock of its own, for {@value #WAIT}.
	 * @param registry where the meters are registered
	 * @param tasks the application's tasks
	 * @param clock the wall clock that send times are compared to
	 */
	public TaskMetricsListener(MeterRegistry registry, TaskRegistry tasks, Clock clock) {
		this.registry = registry;
		this.tasks = tasks;
		this.clock = clock;
		Gauge.builder(ACTIVE, this.active, AtomicInteger::get)
			.description("Tasks running now, between prerun and postrun")
			.strongReference(true)
			.register(registry);
	}

	@Override
	public void afterPublish(TaskEvent task, @Nullable Throwable error) {
		if (error == null) {
			meters(task).sent().increment();
		}
	}

	@Override
	public void received(TaskEvent task) {
		meters(task).received().increment();
	}

	@Override
	public void prerun(TaskEvent task) {
		this.active.incrementAndGet();
		Instant sentAt = task.sentAt();
		if (sentAt != null) {
			long waited = this.clock.millis() - due(task, sentAt).toEpochMilli();
			// a sender's clock ahead of ours would make it negative
			meters(task).waitTimer().record(Math.max(waited, 0), TimeUnit.MILLISECONDS);
		}
	}

	@Override
	public void postrun(TaskEvent task, TaskOutcome outcome) {
		this.active.decrementAndGet();
		meters(task).execution(outcome).record(task.runtime());
	}

	@Override
	public void revoked(TaskEvent task, String reason) {
		notRun(task, TaskOutcome.REVOKED);
	}

	@Override
	public void rejected(TaskEvent task, String reason) {
		notRun(task, TaskOutcome.REJECTED);
	}

	@Override
	public void unknownTask(TaskEvent task) {
		notRun(task, TaskOutcome.REJECTED);
	}

	/**
	 * A message settled without running: one that had started gets its postrun, which times it.
	 */
	private void notRun(TaskEvent task, TaskOutcome outcome) {
		if (!task.isStarted()) {
			meters(task).execution(outcome).record(0, TimeUnit.NANOSECONDS);
		}
	}

	/**
	 * When the message could first run: when it was sent, or its eta (a countdown, a retry) if later.
	 */
	private static Instant due(TaskEvent task, Instant sentAt) {
		if (task.headers().get(ProtocolHeaders.ETA) instanceof String eta) {
			try {
				Instant at = IsoTime.parse(eta);
				return at.isAfter(sentAt) ? at : sentAt;
			}
			catch (ProtocolException ex) {
				return sentAt;
			}
		}
		return sentAt;
	}

	private TaskMeters meters(TaskEvent task) {
		String name = TaskTags.task(this.tasks, task.taskName());
		String queue = TaskTags.queue(task.queue());
		ConcurrentMap<String, TaskMeters> byQueue = this.meters.get(name);
		if (byQueue == null) {
			byQueue = this.meters.computeIfAbsent(name, (key) -> new ConcurrentHashMap<>());
		}
		TaskMeters found = byQueue.get(queue);
		if (found == null) {
			found = byQueue.computeIfAbsent(queue, (key) -> new TaskMeters(this.registry, name, key));
		}
		return found;
	}

	/**
	 * The meters of one task on one queue, each registered when first used (a sender never has a received
	 * counter). Two threads may register the same meter at once: the registry hands both the same one.
	 */
	private static final class TaskMeters {

		private final MeterRegistry registry;

		private final String task;

		private final String queue;

		private volatile @Nullable Counter sent;

		private volatile @Nullable Counter received;

		private volatile @Nullable Timer wait;

		private final AtomicReferenceArray<Timer> execution = new AtomicReferenceArray<>(OUTCOMES.length);

		TaskMeters(MeterRegistry registry, String task, String queue) {
			this.registry = registry;
			this.task = task;
			this.queue = queue;
		}

		Counter sent() {
			Counter counter = this.sent;
			if (counter == null) {
				counter = counter(SENT, "Tasks the broker took");
				this.sent = counter;
			}
			return counter;
		}

		Counter received() {
			Counter counter = this.received;
			if (counter == null) {
				counter = counter(RECEIVED, "Task messages a worker received");
				this.received = counter;
			}
			return counter;
		}

		Timer waitTimer() {
			Timer timer = this.wait;
			if (timer == null) {
				timer = Timer.builder(WAIT)
					.description("From a task's send time (or eta) to its start")
					.tags(TaskTags.TASK, this.task, TaskTags.QUEUE, this.queue)
					.register(this.registry);
				this.wait = timer;
			}
			return timer;
		}

		Timer execution(TaskOutcome outcome) {
			Timer timer = this.execution.get(outcome.ordinal());
			if (timer == null) {
				timer = Timer.builder(EXECUTION)
					.description("The runs of tasks, by outcome")
					.tags(TaskTags.TASK, this.task, TaskTags.QUEUE, this.queue, TaskTags.OUTCOME, outcome.tagValue())
					.register(this.registry);
				this.execution.set(outcome.ordinal(), timer);
			}
			return timer;
		}

		private Counter counter(String name, String description) {
			return Counter.builder(name)
				.description(description)
				.tags(TaskTags.TASK, this.task, TaskTags.QUEUE, this.queue)
				.register(this.registry);
		}

	}

}
