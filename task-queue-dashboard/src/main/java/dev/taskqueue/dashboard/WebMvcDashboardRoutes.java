package dev.taskqueue.dashboard;

import java.io.IOException;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.core.io.ClassPathResource;
import org.springframework.http.HttpStatus;
import org.springframework.web.servlet.function.RequestPredicates;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The dashboard served by Spring MVC: its pages, actions, assets and live updates as functional routes, which an
 * application serves by declaring them as a bean (the auto-configuration does, in a servlet web application).
 * <pre>{@code
 * @Bean
 * RouterFunction<ServerResponse> dashboardRoutes(TaskQueueDashboard dashboard) {
 *     return WebMvcDashboardRoutes.routes(dashboard);
 * }
 * }</pre>
 * Spring Security's CSRF token is read from the request attribute its filter sets, and carried by every action
 * form. The live updates are server-sent events written by the {@link DashboardStreams}' thread.
 *
 * @see WebFluxDashboardRoutes
 */
public final class WebMvcDashboardRoutes {

	private WebMvcDashboardRoutes() {
	}

	/**
	 * The routes of every page, asset, stream and action of a dashboard.
	 * @param dashboard the dashboard
	 * @return the router function, a bean of which Spring MVC serves
	 */
	public static RouterFunction<ServerResponse> routes(TaskQueueDashboard dashboard) {
		RouterFunctions.Builder routes = RouterFunctions.route();
		for (TaskQueueDashboard.Route route : dashboard.routes()) {
			routes.route(RequestPredicates.method(route.method()).and(RequestPredicates.path(route.pattern())),
					(request) -> write(dashboard.handle(route, new MvcPageRequest(request))));
		}
		routes.resources(dashboard.path() + "/assets/**", new ClassPathResource(TaskQueueDashboard.ASSETS));
		DashboardStreams streams = dashboard.streams();
		if (streams != null) {
			routes.GET(dashboard.path() + "/stream", (request) -> open(streams, request));
		}
		return routes.build();
	}

	private static ServerResponse write(Page page) {
		ServerResponse.BodyBuilder response = ServerResponse.status(page.status());
		if (page.location() != null) {
			return response.location(page.location()).build();
		}
		if (page.contentType() != null) {
			response.contentType(page.contentType());
		}
		return response.header("Cache-Control", "no-store").body((page.body() != null) ? page.body() : "");
	}

	/**
	 * A stream of server-sent events, written by the streams' thread; refused with 503 beyond
	 * {@code taskqueue.dashboard.max-streams}.
	 */
	private static ServerResponse open(DashboardStreams streams, ServerRequest request) {
		if (!streams.accepting()) {
			return ServerResponse.status(HttpStatus.SERVICE_UNAVAILABLE)
				.header("Retry-After", "30")
				.body(streams.refusal());
		}
		Long since = DashboardStreams.since(request.headers().firstHeader("Last-Event-ID"),
				request.param("since").orElse(null));
		return ServerResponse.sse((sse) -> {
			SseView view = new SseView(sse);
			sse.onComplete(() -> streams.close(view));
			sse.onTimeout(() -> streams.close(view));
			sse.onError((ex) -> streams.close(view));
			try {
				// the headers reach the browser now, not with the first change
				sse.comment("taskqueue").send();
				streams.open(view, since);
			}
			catch (IOException ex) {
				streams.close(view);
				sse.complete();
			}
		}, DashboardStreams.STREAM_TIMEOUT);
	}

	/**
	 * A request of Spring MVC: its parameters are the query's and the form's alike.
	 */
	private record MvcPageRequest(ServerRequest request) implements PageRequest {

		@Override
		public String path() {
			return this.request.path();
		}

		@Override
		public String contextPath() {
			return this.request.requestPath().contextPath().value();
		}

		@Override
		public String pathVariable(String name) {
			return this.request.pathVariable(name);
		}

		@Override
		public Optional<String> param(String name) {
			return this.request.param(name);
		}

		@Override
		public PageRequest.@Nullable CsrfField csrf() {
			return PageRequest.CsrfField.of(this.request.servletRequest().getAttribute(CsrfField.SERVLET_TOKEN),
					CsrfField.SERVLET_TOKEN);
		}

	}

	/**
	 * A stream of Spring MVC's server-sent events.
	 */
	private record SseView(ServerResponse.SseBuilder sse) implements LiveView {

		@Override
		public void send(LiveEvent event) throws IOException {
			this.sse.id(event.id()).event(event.name()).data(event.data());
		}

		@Override
		public void keepAlive() throws IOException {
			this.sse.comment("keep-alive").send();
		}

		@Override
		public void complete() {
			this.sse.complete();
		}

	}

}
