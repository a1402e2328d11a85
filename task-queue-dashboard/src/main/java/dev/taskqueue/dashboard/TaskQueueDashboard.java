package dev.taskqueue.dashboard;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.function.BiFunction;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.io.ClassPathResource;
import org.springframework.http.HttpStatus;
import org.springframework.util.Assert;
import org.springframework.web.servlet.function.HandlerFunction;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

import dev.taskqueue.beat.BeatSchedule;
import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.BrokerException;
import dev.taskqueue.control.TaskControl;
import dev.taskqueue.events.state.ClusterState;
import dev.taskqueue.worker.QueueOverview;

/**
 * The dashboard's pages, as Spring MVC functional routes under a path ({@code taskqueue.dashboard.path}):
 * <ul>
 * <li>{@code {path}}: the workers; {@code {path}/workers/{name}}: one worker;</li>
 * <li>{@code {path}/tasks}: the recent tasks ({@code ?state=&name=&worker=}, {@code ?id=}); {@code {path}/tasks/{id}}:
 * one task;</li>
 * <li>{@code {path}/queues}: the queues and the throughput; {@code {path}/queues/{name}}: a queue's dead
 * letters;</li>
 * <li>{@code {path}/beat}: the beat; {@code {path}/stream}: the live updates (server-sent events);
 * {@code {path}/assets/}: the script and the style sheet.</li>
 * </ul>
 * Actions are POSTs under the same paths, answered by a redirect to the page with its message; in read-only mode
 * (the default) there are none and every POST is refused with 403. Unknown tasks, workers and queues answer a 404
 * page, a broker that cannot be reached a 503 page.
 * <pre>{@code
 * TaskQueueDashboard dashboard = TaskQueueDashboard.builder(state, control, broker, queues)
 *     .path("/taskqueue").readOnly(false).streams(streams).build();
 * RouterFunction<ServerResponse> routes = dashboard.routes();
 * }</pre>
 */
public final class TaskQueueDashboard {

	/** The default path: {@code /taskqueue}. */
	public static final String DEFAULT_PATH = "/taskqueue";

	private static final Logger logger = LoggerFactory.getLogger(TaskQueueDashboard.class);

	private final String base;

	private final boolean readOnly;

	private final WorkerPages workers;

	private final TaskPages tasks;

	private final QueuePages queues;

	private final BeatPage beat;

	private final @Nullable DashboardStreams streams;

	private TaskQueueDashboard(Builder builder) {
		this.base = normalize(builder.path);
		this.readOnly = builder.readOnly;
		RemoteWorkers remote = new RemoteWorkers(builder.control, builder.remoteControlTimeout, Duration.ofSeconds(5),
				Clock.systemUTC());
		this.workers = new WorkerPages(builder.state, builder.control, remote);
		this.tasks = new TaskPages(builder.state, builder.control);
		this.queues = new QueuePages(builder.state, builder.queues, builder.broker, remote);
		this.beat = new BeatPage(builder.beat);
		this.streams = builder.streams;
	}

	/**
	 * Start a dashboard.
	 * @param state the cluster as its events show it
	 * @param control Celery's remote control
	 * @param broker the broker: purges
	 * @param queues the application's queues and the broker's dead letters
	 * @return the builder
	 */
	public static Builder builder(ClusterState state, TaskControl control, Broker broker, QueueOverview queues) {
		return new Builder(state, control, broker, queues);
	}

	/**
	 * The dashboard's path.
	 * @return the path, without a trailing slash ({@code /taskqueue}; empty for the root)
	 */
	public String path() {
		return this.base;
	}

	/**
	 * The routes of every page, asset, stream and action.
	 * @return the router function, a bean of which Spring MVC serves
	 */
	public RouterFunction<ServerResponse> routes() {
		String base = this.base;
		RouterFunctions.Builder routes = RouterFunctions.route()
			.GET(base.isEmpty() ? "/" : base, page(this.workers::list))
			.GET(base + "/workers/{name}", page(this.workers::detail))
			.GET(base + "/tasks", page(this.tasks::list))
			.GET(base + "/tasks/{id}", page(this.tasks::detail))
			.GET(base + "/queues", page(this.queues::list))
			.GET(base + "/queues/{name}", page(this.queues::detail))
			.GET(base + "/beat", page(this.beat::show))
			.GET(base + "/throughput.svg", this.queues::throughput)
			.resources(base + "/assets/**", new ClassPathResource("dev/taskqueue/dashboard/assets/"));
		if (!base.isEmpty()) {
			routes.GET(base + "/", (request) -> ServerResponse.seeOther(URI.create(base)).build());
		}
		if (this.streams != null) {
			routes.GET(base + "/stream", this.streams::open);
		}
		if (!this.readOnly) {
			routes.POST(base + "/tasks/{id}/revoke", page(this.tasks::revoke))
				.POST(base + "/tasks/{id}/rate-limit", page(this.tasks::rateLimit))
				.POST(base + "/workers/{name}/shutdown", page(this.workers::shutdown))
				.POST(base + "/workers/{name}/pool-grow", page(this.workers::poolGrow))
				.POST(base + "/workers/{name}/pool-shrink", page(this.workers::poolShrink))
				.POST(base + "/workers/{name}/add-consumer", page(this.workers::addConsumer))
				.POST(base + "/workers/{name}/cancel-consumer", page(this.workers::cancelConsumer))
				.POST(base + "/queues/{name}/purge", page(this.queues::purge))
				.POST(base + "/queues/{name}/redrive", page(this.queues::redrive))
				.POST(base + "/queues/{name}/purge-dead-letters", page(this.queues::purgeDeadLetters));
		}
		else {
			routes.POST(base + "/**", page((request, context) -> Layout.error(context, HttpStatus.FORBIDDEN,
					"Read-only", "The dashboard is read-only: taskqueue.dashboard.read-only=false allows actions")));
		}
		return routes.onError(NotFoundException.class, error(HttpStatus.NOT_FOUND, "Not found"))
			.onError(BadFormException.class, error(HttpStatus.BAD_REQUEST, "Bad request"))
			.onError(BrokerException.class, error(HttpStatus.SERVICE_UNAVAILABLE, "Broker unavailable"))
			.onError(UnsupportedOperationException.class, error(HttpStatus.NOT_IMPLEMENTED, "Not supported"))
			.onError(IllegalStateException.class, error(HttpStatus.SERVICE_UNAVAILABLE, "Unavailable"))
			.onError(RuntimeException.class, this::unexpected)
			.build();
	}

	private HandlerFunction<ServerResponse> page(BiFunction<ServerRequest, PageContext, ServerResponse> handler) {
		return (request) -> handler.apply(request, context(request));
	}

	private PageContext context(ServerRequest request) {
		return PageContext.of(request, this.base, this.readOnly);
	}

	private BiFunction<Throwable, ServerRequest, ServerResponse> error(HttpStatus status, String title) {
		return (ex, request) -> Layout.error(context(request), status, title, message(ex));
	}

	private ServerResponse unexpected(Throwable ex, ServerRequest request) {
		logger.warn("Dashboard page {} failed", request.path(), ex);
		return Layout.error(context(request), HttpStatus.INTERNAL_SERVER_ERROR, "Error", message(ex));
	}

	private static String message(Throwable ex) {
		String message = (ex.getMessage() != null) ? ex.getMessage() : ex.getClass().getSimpleName();
		if (ex instanceof BrokerException) {
			return "The broker cannot be reached: " + message;
		}
		return message;
	}

	private static String normalize(String path) {
		String trimmed = path.trim();
		while (trimmed.endsWith("/")) {
			trimmed = trimmed.substring(0, trimmed.length() - 1);
		}
		if (!trimmed.isEmpty() && !trimmed.startsWith("/")) {
			trimmed = "/" + trimmed;
		}
		return trimmed;
	}

	/**
	 * Builds a {@link TaskQueueDashboard}.
	 */
	public static final class Builder {

		private final ClusterState state;

		private final TaskControl control;

		private final Broker broker;

		private final QueueOverview queues;

		private @Nullable BeatSchedule beat;

		private @Nullable DashboardStreams streams;

		private String path = DEFAULT_PATH;

		private boolean readOnly = true;

		private Duration remoteControlTimeout = Duration.ofMillis(500);

		private Builder(ClusterState state, TaskControl control, Broker broker, QueueOverview queues) {
			this.state = state;
			this.control = control;
			this.broker = broker;
			this.queues = queues;
		}

		/**
		 * The path the pages are under ({@value TaskQueueDashboard#DEFAULT_PATH} unless given).
		 * @param path the path
		 * @return this builder
		 */
		public Builder path(String path) {
			Assert.hasText(path, "path must not be empty: '/' serves the dashboard at the root");
			this.path = path;
			return this;
		}

		/**
		 * Whether actions are refused (the default): no action form is rendered, and every POST answers 403.
		 * @param readOnly whether read-only
		 * @return this builder
		 */
		public Builder readOnly(boolean readOnly) {
			this.readOnly = readOnly;
			return this;
		}

		/**
		 * The beat of this application, for the beat's page.
		 * @param beat the beat, or {@code null} if it runs none
		 * @return this builder
		 */
		public Builder beat(@Nullable BeatSchedule beat) {
			this.beat = beat;
			return this;
		}

		/**
		 * The live updates; without them there is no {@code {path}/stream} and pages are static.
		 * @param streams the streams
		 * @return this builder
		 */
		public Builder streams(@Nullable DashboardStreams streams) {
			this.streams = streams;
			return this;
		}

		/**
		 * How long a page waits for the workers' answers to remote control (half a second unless given).
		 * @param timeout the timeout
		 * @return this builder
		 */
		public Builder remoteControlTimeout(Duration timeout) {
			this.remoteControlTimeout = timeout;
			return this;
		}

		/**
		 * Build the dashboard.
		 * @return the dashboard
		 */
		public TaskQueueDashboard build() {
			return new TaskQueueDashboard(this);
		}

	}

}
