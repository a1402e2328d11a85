package dev.taskqueue.dashboard;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.util.concurrent.Queues;

import org.springframework.core.io.ClassPathResource;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The dashboard served by WebFlux: its pages, actions, assets and live updates as functional routes, which an
 * application serves by declaring them as a bean (the auto-configuration does, in a reactive web application).
 * <pre>{@code
 * @Bean
 * RouterFunction<ServerResponse> dashboardRoutes(TaskQueueDashboard dashboard) {
 *     return WebFluxDashboardRoutes.routes(dashboard);
 * }
 * }</pre>
 * A page may wait (on remote control, on the broker), so it is drawn on Reactor's bounded elastic scheduler, never
 * on an event loop; its form and Spring Security's CSRF token ({@code Mono<CsrfToken>}, the exchange attribute its
 * filter sets) are read before. The live updates are a {@link Flux} of server-sent events that the
 * {@link DashboardStreams}' thread feeds through a bounded buffer: a browser that does not keep up loses its stream,
 * and reconnects from its last event.
 *
 * @see WebMvcDashboardRoutes
 */
public final class WebFluxDashboardRoutes {

	/** How many events one stream holds for a browser that reads slowly. */
	static final int STREAM_BUFFER = 4096;

	private WebFluxDashboardRoutes() {
	}

	/**
	 * The routes of every page, asset, stream and action of a dashboard.
	 * @param dashboard the dashboard
	 * @return the router function, a bean of which WebFlux serves
	 */
	public static RouterFunction<ServerResponse> routes(TaskQueueDashboard dashboard) {
		RouterFunctions.Builder routes = RouterFunctions.route();
		for (TaskQueueDashboard.Route route : dashboard.routes()) {
			routes.route(RequestPredicates.method(route.method()).and(RequestPredicates.path(route.pattern())),
					(request) -> read(request, dashboard.readOnly())
						.publishOn(Schedulers.boundedElastic())
						.map((page) -> dashboard.handle(route, page))
						.flatMap(WebFluxDashboardRoutes::write));
		}
		routes.resources(dashboard.path() + "/assets/**", new ClassPathResource(TaskQueueDashboard.ASSETS));
		DashboardStreams streams = dashboard.streams();
		if (streams != null) {
			routes.GET(dashboard.path() + "/stream", (request) -> open(streams, request));
		}
		return routes.build();
	}

	/**
	 * The request as a page reads it: its form (a POST's) and Spring Security's CSRF token, read without blocking.
	 * A read-only dashboard renders no form, so it never asks for the token (which would start a session).
	 */
	private static Mono<PageRequest> read(ServerRequest request, boolean readOnly) {
		Mono<MultiValueMap<String, String>> form = HttpMethod.POST.equals(request.method()) ? request.formData()
				: Mono.just(new LinkedMultiValueMap<>());
		Object token = readOnly ? null : request.exchange().getAttribute(PageRequest.CsrfField.REACTIVE_TOKEN);
		Mono<Optional<PageRequest.CsrfField>> csrf = (token instanceof Mono<?> deferred)
				? deferred.map((value) -> Optional.ofNullable(
						PageRequest.CsrfField.of(value, PageRequest.CsrfField.REACTIVE_TOKEN)))
					.defaultIfEmpty(Optional.empty())
				: Mono.just(Optional.empty());
		return Mono.zip(form, csrf, (fields, field) -> new FluxPageRequest(request, fields, field.orElse(null)));
	}

	private static Mono<ServerResponse> write(Page page) {
		ServerResponse.BodyBuilder response = ServerResponse.status(page.status());
		if (page.location() != null) {
			return response.location(page.location()).build();
		}
		if (page.contentType() != null) {
			response.contentType(page.contentType());
		}
		return response.header("Cache-Control", "no-store").bodyValue((page.body() != null) ? page.body() : "");
	}

	/**
	 * A stream of server-sent events, fed by the streams' thread; refused with 503 beyond
	 * {@code taskqueue.dashboard.max-streams}.
	 */
	private static Mono<ServerResponse> open(DashboardStreams streams, ServerRequest request) {
		if (!streams.accepting()) {
			return ServerResponse.status(HttpStatus.SERVICE_UNAVAILABLE)
				.header("Retry-After", "30")
				.bodyValue(streams.refusal());
		}
		Long since = DashboardStreams.since(request.headers().firstHeader("Last-Event-ID"),
				request.queryParam("since").orElse(null));
		FluxView view = new FluxView();
		// what was missed is read and written to JSON off the event loop; the stream itself is not moved
		Flux<ServerSentEvent<String>> events = Mono.fromCallable(() -> streams.open(view, since))
			.subscribeOn(Schedulers.boundedElastic())
			.onErrorReturn(IOException.class, false)
			.flatMapMany((opened) -> opened ? view.events() : Flux.<ServerSentEvent<String>>empty())
			// the headers reach the browser now, not with the first change
			.startWith(ServerSentEvent.<String>builder().comment("taskqueue").build())
			.take(DashboardStreams.STREAM_TIMEOUT)
			.doFinally((signal) -> streams.close(view));
		return ServerResponse.ok()
			.contentType(MediaType.TEXT_EVENT_STREAM)
			.header("Cache-Control", "no-store")
			.body(BodyInserters.fromServerSentEvents(events));
	}

	/**
	 * A request of WebFlux, its form read: its parameters are the query's, then the form's.
	 */
	private record FluxPageRequest(ServerRequest request, MultiValueMap<String, String> form,
			PageRequest.@Nullable CsrfField csrf) implements PageRequest {

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
			Optional<String> query = this.request.queryParam(name);
			return query.isPresent() ? query : Optional.ofNullable(this.form.getFirst(name));
		}

	}

	/**
	 * A stream of WebFlux's server-sent events: what the streams' thread sends waits in a bounded buffer until the
	 * browser reads it.
	 */
	private static final class FluxView implements LiveView {

		private final Sinks.Many<ServerSentEvent<String>> sink = Sinks.many()
			.unicast()
			.onBackpressureBuffer(Queues.<ServerSentEvent<String>>get(STREAM_BUFFER).get());

		Flux<ServerSentEvent<String>> events() {
			return this.sink.asFlux();
		}

		@Override
		public void send(LiveEvent event) throws IOException {
			emit(ServerSentEvent.builder(event.data()).id(event.id()).event(event.name()).build());
		}

		@Override
		public void keepAlive() throws IOException {
			emit(ServerSentEvent.<String>builder().comment("keep-alive").build());
		}

		@Override
		public void complete() {
			// from the streams' stop(), after their pusher ended: a browser reading still may race it
			try {
				this.sink.emitComplete(Sinks.EmitFailureHandler.busyLooping(Duration.ofMillis(100)));
			}
			catch (Sinks.EmissionException ex) {
				// still busy after that: the stream ends at its timeout, or when its browser goes away
			}
		}

		private void emit(ServerSentEvent<String> event) throws IOException {
			Sinks.EmitResult result = this.sink.tryEmitNext(event);
			if (result.isFailure()) {
				throw new IOException("The browser went away or does not keep up (" + result + ")");
			}
		}

	}

}
