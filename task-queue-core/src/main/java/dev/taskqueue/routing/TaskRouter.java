package dev.taskqueue.routing;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

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

	private final @Nullable String defaultCompression;

	private TaskRouter(Builder builder) {
		this.registry = builder.registry;
		this.routers = List.copyOf(builder.routers);
		this.defaultQueue = builder.defaultQueue;
		this.defaultSerializer = builder.defaultSerializer;
		this.defaultCompression = builder.defaultCompression;
	}

	/**
	 * Start building a router.
	 * @param registry the tasks' own settings
	 * @return a builder; by default no routers, queue {@code celery}, JSON and no compression, as Celery
	 */
	public static Builder builder(TaskRegistry registry) {
		return new Builder(registry);
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

	private static <T> @Nullable T first(@Nullable T call, @Nullable T routed, @Nullable T task, @Nullable T fallback) {
		return (call != null) ? call : (routed != null) ? routed : (task != null) ? task : fallback;
	}

	/**
	 * Builds a {@link TaskRouter}; each default applies to a task that nothing else decides for.
	 */
	public static final class Builder {

		private final TaskRegistry registry;

		private List<Router> routers = List.of();

		private String defaultQueue = "celery";

		private String defaultSerializer = "json";

		private @Nullable String defaultCompression;

		private Builder(TaskRegistry registry) {
			this.registry = registry;
		}

		/**
		 * The routers, asked in order (user routers, then the table); the first that answers decides the
		 * route as a whole.
		 * @param routers the routers
		 * @return this builder
		 */
		public Builder routers(List<Router> routers) {
			this.routers = List.copyOf(routers);
			return this;
		}

		/**
		 * The queue of a task nothing else routes ({@code taskqueue.default-queue}).
		 * @param defaultQueue the queue
		 * @return this builder
		 */
		public Builder defaultQueue(String defaultQueue) {
			this.defaultQueue = defaultQueue;
			return this;
		}

		/**
		 * The serializer of a task nothing else decides for ({@code taskqueue.serializer}).
		 * @param defaultSerializer the serializer's name
		 * @return this builder
		 */
		public Builder defaultSerializer(String defaultSerializer) {
			this.defaultSerializer = defaultSerializer;
			return this;
		}

		/**
		 * The compression of a task nothing else decides for ({@code taskqueue.compression}).
		 * @param defaultCompression the compressor's name, or {@code null} for none
		 * @return this builder
		 */
		public Builder defaultCompression(@Nullable String defaultCompression) {
			this.defaultCompression = defaultCompression;
			return this;
		}

		/**
		 * Build the router.
		 * @return a new router
		 */
		public TaskRouter build() {
			return new TaskRouter(this);
		}

	}

}
