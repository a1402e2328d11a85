package dev.taskqueue.routing;

import dev.taskqueue.SendOptions;
import dev.taskqueue.registry.TaskOptions;
import dev.taskqueue.registry.TaskRegistry;

/**
 * Decides the queue and priority of a task being sent. Precedence: the call's options, then the task's
 * {@link dev.taskqueue.Task @Task} attributes, then {@code taskqueue.default-queue}.
 */
public class TaskRouter {

	private final TaskRegistry registry;

	private final String defaultQueue;

	/**
	 * Create a router.
	 * @param registry the tasks this application declares, for their own settings
	 * @param defaultQueue the queue of a task nothing else routes
	 */
	public TaskRouter(TaskRegistry registry, String defaultQueue) {
		this.registry = registry;
		this.defaultQueue = defaultQueue;
	}

	/**
	 * Route a task.
	 * @param taskName the task's name
	 * @param options the call's options
	 * @return the route
	 */
	public Route route(String taskName, SendOptions options) {
		TaskOptions task = this.registry.optionsOf(taskName);
		String queue = firstNonNull(options.queue(), task.queue(), this.defaultQueue);
		Integer priority = firstNonNull(options.priority(), task.priority(), null);
		return new Route(queue, priority);
	}

	private static <T> T firstNonNull(T first, T second, T third) {
		return (first != null) ? first : (second != null) ? second : third;
	}

}
