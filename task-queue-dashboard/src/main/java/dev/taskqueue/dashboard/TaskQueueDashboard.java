package dev.taskqueue.dashboard;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.util.Assert;

import dev.taskqueue.beat.BeatSchedule;
import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.BrokerException;
import dev.taskqueue.control.TaskControl;
import dev.taskqueue.events.state.ClusterState;
import dev.taskqueue.worker.QueueOverview;

/**
 * The dashboard's pages and actions under a path ({@code taskqueue.dashboard.path}), whichever web stack serves
 * them: {@link WebMvcDashboardRoutes} for Spring MVC, {@link WebFluxDashboardRoutes} for WebFlux.
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
 * (the default) there are none and every action's POST is refused with 403. Unknown tasks, workers and queues
 * answer a 404 page, a broker that cannot be reached a 503 page.
 * <pre>{@code
 * TaskQueueDashboard dashboard = TaskQueueDashboard.builder(state, control, broker, queues)
 *     .path("/taskqueue").readOnly(false).streams(streams).build();
 * RouterFunction<ServerResponse> routes = WebMvcDashboardRoutes.routes(dashboard); // or WebFluxDashboardRoutes
 * }</pre>
 */
public final class TaskQueueDashboard {

	/** The default path: {@code /taskqueue}. */
	public static final String DEFAULT_PATH = "/taskqueue";

	/** Where the script and the style sheet are on the class path, served under {@code {path}/assets/}. */
	static final String ASSETS = "dev/taskqueue/dashboard/assets/";

	private static final Logger logger = LoggerFactory.getLogger(TaskQueueDashboard.class);

	private final String base;

	private final boolean readOnly;

	private final ClusterState state;

	private final @Nullable DashboardStreams streams;

	private final List<Route> routes;

	private TaskQueueDashboard(Builder builder) {
		this.base = normalize(builder.path);
		this.readOnly = builder.readOnly;
		RemoteWorkers remote = new RemoteWorkers(builder.control, builder.remoteControlTimeout, Duration.ofSeconds(5),
				Clock.systemUTC());
		this.state = builder.state;
		this.streams = builder.streams;
		this.routes = List.copyOf(routes(new WorkerPages(builder.state, builder.control, remote),
				new TaskPages(builder.state, builder.control),
				new QueuePages(builder.state, builder.queues, builder.broker, remote), new BeatPage(builder.beat)));
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
	 * Whether actions are refused, and no action form rendered.
	 * @return whether read-only
	 */
	boolean readOnly() {
		return this.readOnly;
	}

	/**
	 * The live updates, served under {@code {path}/stream}.
	 * @return the streams, or {@code null} if the pages are static
	 */
	@Nullable DashboardStreams streams() {
		return this.streams;
	}

	/**
	 * Every page and action, in the order a web stack matches them; the assets and the stream are the web stack's.
	 * @return the routes
	 */
	List<Route> routes() {
		return this.routes;
	}

	private List<Route> routes(WorkerPages workers, TaskPages tasks, QueuePages queues, BeatPage beat) {
		String base = this.base;
		List<Route> routes = new ArrayList<>();
		routes.add(Route.get(base.isEmpty() ? "/" : base, workers::list));
		routes.add(Route.get(base + "/workers/{name}", workers::detail));
		routes.add(Route.get(base + "/tasks", tasks::list));
		routes.add(Route.get(base + "/tasks/{id}", tasks::detail));
		routes.add(Route.get(base + "/queues", queues::list));
		routes.add(Route.get(base + "/queues/{name}", queues::detail));
		routes.add(Route.get(base + "/beat", beat::show));
		routes.add(Route.get(base + "/throughput.svg", queues::throughput));
		if (!base.isEmpty()) {
			routes.add(Route.get(base + "/", (request, context) -> Page.seeOther(URI.create(context.base()))));
		}
		List<Route> actions = List.of(Route.post(base + "/tasks/{id}/revoke", tasks::revoke),
				Route.post(base + "/tasks/{id}/rate-limit", tasks::rateLimit),
				Route.post(base + "/workers/{name}/shutdown", workers::shutdown),
				Route.post(base + "/workers/{name}/pool-grow", workers::poolGrow),
				Route.post(base + "/workers/{name}/pool-shrink", workers::poolShrink),
				Route.post(base + "/workers/{name}/add-consumer", workers::addConsumer),
				Route.post(base + "/workers/{name}/cancel-consumer", workers::cancelConsumer),
				Route.post(base + "/queues/{name}/purge", queues::purge),
				Route.post(base + "/queues/{name}/redrive", queues::redrive),
				Route.post(base + "/queues/{name}/purge-dead-letters", queues::purgeDeadLetters));
		for (Route action : actions) {
			// read-only: the actions' own paths answer 403, and no other POST of the application is taken (at the
			// root path, a pattern of every POST would be)
			routes.add(this.readOnly ? Route.post(action.pattern(), (request, context) -> Layout.error(context,
					HttpStatus.FORBIDDEN, "Read-only",
					"The dashboard is read-only: taskqueue.dashboard.read-only=false allows actions")) : action);
		}
		return routes;
	}

	/**
	 * Answer a request to one of the {@link #routes()}: its page, or a page that says what went wrong (404 for an
	 * unknown task, worker or queue, 400 for a bad form, 503 for a broker away, 500 for the unexpected, which is
	 * logged), never a stack trace. It may block: on remote control, on the broker.
	 * @param route the route that matched
	 * @param request the request
	 * @return the answer
	 */
	Page handle(Route route, PageRequest request) {
		try {
			return route.handler().apply(request, context(request));
		}
		catch (NotFoundException ex) {
			return error(request, HttpStatus.NOT_FOUND, "Not found", ex);
		}
		catch (BadFormException ex) {
			return error(request, HttpStatus.BAD_REQUEST, "Bad request", ex);
		}
		catch (BrokerException ex) {
			return error(request, HttpStatus.SERVICE_UNAVAILABLE, "Broker unavailable", ex);
		}
		catch (UnsupportedOperationException ex) {
			return error(request, HttpStatus.NOT_IMPLEMENTED, "Not supported", ex);
		}
		catch (IllegalStateException ex) {
			return error(request, HttpStatus.SERVICE_UNAVAILABLE, "Unavailable", ex);
		}
		catch (RuntimeException ex) {
			logger.warn("Dashboard page {} failed", request.path(), ex);
			return error(request, HttpStatus.INTERNAL_SERVER_ERROR, "Error", ex);
		}
	}

	private PageContext context(PageRequest request) {
		return PageContext.of(request, request.contextPath() + this.base, this.readOnly, this.state.sequence());
	}

	private Page error(PageRequest request, HttpStatusCode status, String title, Throwable ex) {
		return Layout.error(context(request), status, title, message(ex));
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
	 * A page or an action: the method and the path pattern it answers, and what answers it.
	 *
	 * @param method GET or POST
	 * @param pattern the path pattern ({@code /taskqueue/tasks/{id}})
	 * @param handler the page or action
	 */
	record Route(HttpMethod method, String pattern, BiFunction<PageRequest, PageContext, Page> handler) {

		static Route get(String pattern, BiFunction<PageRequest, PageContext, Page> handler) {
			return new Route(HttpMethod.GET, pattern, handler);
		}

		static Route post(String pattern, BiFunction<PageRequest, PageContext, Page> handler) {
			return new Route(HttpMethod.POST, pattern, handler);
		}

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
		 * Whether actions are refused (the default): no action form is rendered, and every action's POST answers
		 * 403.
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
