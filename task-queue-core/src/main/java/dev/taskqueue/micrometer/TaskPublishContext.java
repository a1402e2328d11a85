package dev.taskqueue.micrometer;

import java.util.Map;

import io.micrometer.observation.transport.SenderContext;

import dev.taskqueue.listener.TaskEvent;

/**
 * The context of a {@link TaskQueueObservation#PUBLISH} observation: the task being sent, and its message's
 * headers, into which a tracing handler puts {@code traceparent} and {@code tracestate}.
 */
public class TaskPublishContext extends SenderContext<Map<String, Object>> {

	private final TaskEvent task;

	private final String taskTag;

	private final String queueTag;

	/**
	 * Create the context.
	 * @param task the task being sent
	 * @param headers the message's extra headers, mutable
	 * @param taskTag the task's name as tags carry it (bounded)
	 * @param queueTag the queue as tags carry it
	 */
	public TaskPublishContext(TaskEvent task, Map<String, Object> headers, String taskTag, String queueTag) {
		super(TaskPublishContext::put);
		setCarrier(headers);
		this.task = task;
		this.taskTag = taskTag;
		this.queueTag = queueTag;
	}

	private static void put(Map<String, Object> headers, String key, String value) {
		if (headers != null) {
			headers.put(key, value);
		}
	}

	/**
	 * The task being sent.
	 * @return the task
	 */
	public TaskEvent getTask() {
		return this.task;
	}

	/**
	 * The task's name as tags carry it: {@code unknown} for a name the application does not know.
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

}
