package dev.taskqueue.micrometer;

import io.micrometer.observation.transport.ReceiverContext;
import org.jspecify.annotations.Nullable;

import dev.taskqueue.listener.TaskEvent;
import dev.taskqueue.listener.TaskOutcome;

/**
 * The context of a {@link TaskQueueObservation#PROCESS} observation: the task being run, whose message headers
 * a tracing handler reads {@code traceparent} and {@code tracestate} from, and, once it ended, its outcome.
 */
public class TaskProcessContext extends ReceiverContext<TaskEvent> {

	private final String taskTag;

	private final String queueTag;

	private volatile @Nullable TaskOutcome outcome;

	/** Whether postrun came: a scope of a finished run still current on a thread was left there. */
	volatile boolean finished;

	/**
	 * Create the context.
	 * @param task the task being run
	 * @param taskTag the task's name as tags carry it (bounded)
	 * @param queueTag the queue as tags carry it
	 */
	public TaskProcessContext(TaskEvent task, String taskTag, String queueTag) {
		super(TaskProcessContext::header);
		setCarrier(task);
		this.taskTag = taskTag;
		this.queueTag = queueTag;
	}

	private static @Nullable String header(TaskEvent task, String key) {
		Object value = task.headers().get(key);
		return (value != null) ? value.toString() : null;
	}

	/**
	 * The task being run.
	 * @return the task
	 */
	public TaskEvent getTask() {
		TaskEvent task = getCarrier();
		if (task == null) {
			throw new IllegalStateException("No task");
		}
		return task;
	}

	/**
	 * The task's name as tags carry it.
	 * @return the tag value
	 */
	public String getTaskTag() {
		return this.taskTag;
	}

	/**
	 * The queue as tags carry it.
	 * @return the tag value
	 */
	public String getQueueTag() {
		return this.queueTag;
	}

	/**
	 * How the run ended.
	 * @return the outcome, or {@code null} while it runs
	 */
	public @Nullable TaskOutcome getOutcome() {
		return this.outcome;
	}

	/**
	 * Set how the run ended; postrun does, before the observation stops.
	 * @param outcome the outcome
	 */
	public void setOutcome(TaskOutcome outcome) {
		this.outcome = outcome;
	}

}
