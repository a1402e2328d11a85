package dev.taskqueue.worker;

import java.util.Map;

import dev.taskqueue.TaskContext;

/**
 * The context of a task a worker is running.
 *
 * @param taskId the task's id
 * @param taskName the task's name
 * @param retries retries before this run
 * @param headers the message headers
 * @param queue the queue it was delivered from
 * @param redelivered whether it was delivered before
 */
record WorkerTaskContext(String taskId, String taskName, int retries, Map<String, Object> headers, String queue,
		boolean redelivered) implements TaskContext {
}
