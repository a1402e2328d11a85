package dev.taskqueue.micrometer;

import java.util.Map;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.core.Ordered;

import dev.taskqueue.listener.TaskEvent;
import dev.taskqueue.listener.TaskListener;
import dev.taskqueue.listener.TaskOutcome;
import dev.taskqueue.registry.TaskRegistry;

/**
 * Observes each publish and each run of a task with Micrometer Observation, so that with tracing a send and the
 * run it causes are one trace:
 * <ul>
 * <li>{@link #beforePublish} starts {@link TaskQueueObservation#PUBLISH} (a producer span, the child of whatever
 * is current on the sender's thread); the tracing handler injects W3C {@code traceparent} and {@code tracestate}
 * into the message's headers. {@link #afterPublish} stops it, with the broker's error if there was one.
 * <li>{@link #prerun} starts {@link TaskQueueObservation#PROCESS} (a consumer span whose parent is read from the
 * message's headers) and opens its scope on the task's thread, so that task code sees the span as current (and
 * its log lines carry the trace id). {@link #failed} records the task's exception, and {@link #postrun} closes
 * the scope and stops the observation with the {@code outcome}.
 * </ul>
 * A message that is not run (unknown, revoked or rejected before it starts) is not observed. With
 * {@link ObservationRegistry#NOOP}, or with every handler gone, each moment returns after one check.
 * <p>
 * A task that outlives its hard time limit gets its postrun on the time limiter's thread: the observation is
 * stopped there, and the scope left open on the task's thread is cleared at that thread's next prerun.
 */
public final class ObservationTaskListener implements TaskListener, Ordered {

	/**
	 * Early among listeners, so that the span is current for those after it at prerun (their log lines carry the
	 * trace id).
	 */
	public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 100;

	private static final String PUBLISH = ObservationTaskListener.class.getName() + ".publish";

	private static final String PROCESS = ObservationTaskListener.class.getName() + ".process";

	private final ObservationRegistry registry;

	private final TaskRegistry tasks;

	private final @Nullable TaskPublishObservationConvention publishConvention;

	private final @Nullable TaskProcessObservationConvention processConvention;

	/**
	 * Create the listener with the default conventions.
	 * @param registry the observation registry
	 * @param tasks the application's tasks, which bound the {@code task} key value
	 */
	public ObservationTaskListener(ObservationRegistry registry, TaskRegistry tasks) {
		this(registry, tasks, null, null);
	}

	/**
	 * Create the listener.
	 * @param registry the observation registry
	 * @param tasks the application's tasks, which bound the {@code task} key value
	 * @param publishConvention a convention replacing {@link DefaultTaskPublishObservationConvention}, or
	 * {@code null}
	 * @param processConvention a convention replacing {@link DefaultTaskProcessObservationConvention}, or
	 * {@code null}
	 */
	public ObservationTaskListener(ObservationRegistry registry, TaskRegistry tasks,
			@Nullable TaskPublishObservationConvention publishConvention,
			@Nullable TaskProcessObservationConvention processConvention) {
		this.registry = registry;
		this.tasks = tasks;
		this.publishConvention = publishConvention;
		this.processConvention = processConvention;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public void beforePublish(TaskEvent task, Map<String, Object> headers) {
		if (this.registry.isNoop()) {
			return;
		}
		TaskPublishContext context = new TaskPublishContext(task, headers, TaskTags.task(this.tasks, task.taskName()),
				TaskTags.queue(task.queue()));
		Observation observation = TaskQueueObservation.PUBLISH
			.observation(this.publishConvention, DefaultTaskPublishObservationConvention.INSTANCE, () -> context,
					this.registry)
			.start();
		if (!observation.isNoop()) {
			task.attributes().put(PUBLISH, observation);
		}
	}

	@Override
	public void afterPublish(TaskEvent task, @Nullable Throwable error) {
		if (this.registry.isNoop()) {
			return;
		}
		Object observation = task.attributes().remove(PUBLISH);
		if (observation instanceof Observation publish) {
			if (error != null) {
				publish.error(error);
			}
			publish.stop();
		}
	}

	@Override
	public void prerun(TaskEvent task) {
		if (this.registry.isNoop()) {
			return;
		}
		clearLeftScope();
		TaskProcessContext context = new TaskProcessContext(task, TaskTags.task(this.tasks, task.taskName()),
				TaskTags.queue(task.queue()));
		Observation observation = TaskQueueObservation.PROCESS
			.observation(this.processConvention, DefaultTaskProcessObservationConvention.INSTANCE, () -> context,
					this.registry)
			.start();
		if (!observation.isNoop()) {
			task.attributes().put(PROCESS, new Run(observation, context, observation.openScope(), Thread.currentThread()));
		}
	}

	@Override
	public void failed(TaskEvent task, Throwable error) {
		if (this.registry.isNoop()) {
			return;
		}
		if (task.attributes().get(PROCESS) instanceof Run run) {
			run.observation.error(error);
		}
	}

	@Override
	public void postrun(TaskEvent task, TaskOutcome outcome) {
		if (this.registry.isNoop()) {
			return;
		}
		if (task.attributes().remove(PROCESS) instanceof Run run) {
			run.context.setOutcome(outcome);
			run.context.finished = true;
			if (run.thread == Thread.currentThread()) {
				run.scope.close();
			}
			run.observation.stop();
		}
	}

	/**
	 * A run whose postrun came on another thread (the time limiter's) left its scope open on this one: clear it,
	 * so that the next task does not become its child. A run still going (an eager task sent from a task) is the
	 * rightful parent and stays.
	 */
	private void clearLeftScope() {
		Observation.Scope scope = this.registry.getCurrentObservationScope();
		if (scope != null && scope.getCurrentObservation().getContext() instanceof TaskProcessContext context
				&& context.finished) {
			scope.reset();
		}
	}

	/**
	 * What prerun started, for postrun to end.
	 */
	private record Run(Observation observation, TaskProcessContext context, Observation.Scope scope, Thread thread) {
	}

}
