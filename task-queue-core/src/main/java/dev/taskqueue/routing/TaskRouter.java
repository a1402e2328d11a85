package dev.taskqueue.routing;

import java.util.List;
import java.util.Map;

import dev.taskqueue.SendOptions;
import dev.taskqueue.registry.TaskOptions;
import dev.taskqueue.registry.TaskRegistry;

/**
 * Decides where and how a task is sent. For each setting the first that gives it wins:
 * <ol>
 * <li>the call's {@link SendOptions};</li>
 * <li>the routers: {@link Router} beans in their order, then the {@code taskqueue.routes} table (the first
 * router that answers decides the route as a whole);</li>
 * <li>the task's own settings: {@code taskqueue.tasks.[name].*} over its {@link dev.taskqueue.Task @Task};</li>
 * <li>the application's defaults: {@code taskqueue.default-queue}, {@code taskqueue.serializer},
 * {@code taskqueue.compression}.</li>
 * </ol>
 * A queue given on the call is reached through the default exchange, whatever exchange a route names.
 */
public class TaskRouter {

	private final TaskRegistry registry;

	private final List<Router> routers;

	private final String defaultQueue;

	private final String defaultSerializer;

	private final String defaultCompression;

	/**
	 * Create a router.
	 * @param registry the tasks' own settings
	 * @param routers the routers, in order (user routers, then the table)
	 * @param defaultQueue the queue of a task nothing else routes
	 * @param defaultSerializer the serializer of a task nothing else decides for
	 * @param defaultCompression the compression of a task nothing else decides for, or {@code null}
	 */
	public TaskRouter(TaskRegistry registry, List<Router> routers, String defaultQueue, String defaultSerializer,
			String defaultCompression) {
		this.registry = registry;
		this.routers = List.copyOf(routers);
		this.defaultQueue = defaultQueue;
		this.defaultSerializer = defaultSerializer;
		this.defaultCompression = defaultCompression;
	}

	/**
	 * Create a router with no routers and JSON.
	 * @param registry the tasks' own settings
	 * @param defaultQueue the queue of a task nothing else routes
	 */
	public TaskRouter(TaskRegistry registry, String defaultQueue) {
		this(registry, List.of(), defaultQueue, "json", null);
	}

	/**
	 * Route a task.
	 * @param taskName the task's name
	 * @param args its positional arguments
	 * @param kwargs its keyword arguments
	 * @param options the call's options
	 * @return the route, with queue and serializer always set
	 */
	public Route route(String taskName, List<?> args, Map<String, ?> kwargs, SendOptions options) {
		Route routed = routed(taskName, args, kwargs);
		TaskOptions task = this.registry.optionsOf(taskName);
		boolean callQueue = options.queue() != null;
		return new Route(first(options.queue(), routed.queue(), task.queue(), this.defaultQueue),
				callQueue ? null : routed.exchange(), callQueue ? null : routed.routingKey(),
				first(options.priority(), routed.priority(), task.priority(), null),
				first(null, routed.expires(), task.expires(), null),
				first(options.serializer(), routed.serializer(), task.serializer(), this.defaultSerializer),
				first(options.compression(), routed.compression(), task.compression(), this.defaultCompression));
	}

	private Route routed(String taskName, List<?> args, Map<String, ?> kwargs) {
		for (Router router : this.routers) {
			Route route = router.route(taskName, args, kwargs);
			if (route != null) {
				return route;
			}
		}
		return new Route(null, null, null, null, null, null, null);
	}

	private static <T> T first(T call, T routed, T task, T fallback) {
		return (call != null) ? call : (routed != null) ? routed : (task != null) ? task : fallback;
	}

}
