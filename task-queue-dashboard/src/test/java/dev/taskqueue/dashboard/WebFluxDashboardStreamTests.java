package dev.taskqueue.dashboard;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The live updates served by WebFlux: the same {@code task} and {@code worker} events as Spring MVC's, a
 * {@code Flux} fed by the streams' thread; a stream starts where its page was drawn, is bounded, and is freed when
 * its browser goes away.
 */
class WebFluxDashboardStreamTests {

	private static final ParameterizedTypeReference<ServerSentEvent<String>> EVENT = new ParameterizedTypeReference<>() {
	};

	private final ClusterFixture cluster = new ClusterFixture();

	private final WebTestClient client = this.cluster.webFlux(true)
		.mutate()
		.responseTimeout(Duration.ofSeconds(10))
		.build();

	@BeforeEach
	void start() {
		this.cluster.streams.start();
	}

	@AfterEach
	void stop() {
		this.cluster.streams.stop();
	}

	@Test
	void theStreamSendsATaskEventWhenATaskChanges() {
		Flux<ServerSentEvent<String>> events = open("/taskqueue/stream");
		Sinks.Many<ServerSentEvent<String>> received = Sinks.many().replay().all();
		Disposable reading = events.subscribe(received::tryEmitNext);
		try {
			await().until(() -> this.cluster.streams.openStreams() == 1);
			this.cluster.task("task-received", "t-live", "celery@py1", "name", "sample.add");
			this.cluster.task("task-succeeded", "t-live", "celery@py1", "result", "5", "runtime", 0.25);
			ServerSentEvent<String> succeeded = received.asFlux()
				.filter((event) -> "task".equals(event.event()) && event.data() != null
						&& event.data().contains("\"state\":\"SUCCESS\""))
				.blockFirst(Duration.ofSeconds(10));
			assertThat(succeeded).isNotNull();
			assertThat(succeeded.data()).startsWith("{\"id\":\"t-live\",\"name\":\"sample.add\",\"state\":\"SUCCESS\"")
				.contains("\"runtime\":\"0.250 s\"");
			assertThat(succeeded.id()).matches("\\d+");
		}
		finally {
			reading.dispose();
		}
	}

	@Test
	void aChangeBetweenDrawingThePageAndOpeningItsStreamIsSentFirst() {
		this.cluster.task("task-received", "t-before", "celery@py1", "name", "sample.add");
		String page = this.client.get().uri("/taskqueue/tasks").exchange()
			.expectBody(String.class).returnResult().getResponseBody();
		Matcher drawnAt = Pattern.compile("data-sequence=\"(\\d+)\"").matcher(page);
		assertThat(drawnAt.find()).isTrue();
		this.cluster.workerOnline("celery@py2");

		ServerSentEvent<String> first = open("/taskqueue/stream?since=" + drawnAt.group(1))
			.filter((event) -> event.event() != null)
			.blockFirst(Duration.ofSeconds(10));

		assertThat(first).isNotNull();
		assertThat(first.event()).isEqualTo("worker");
		assertThat(first.data()).startsWith("{\"name\":\"celery@py2\"");
	}

	@Test
	void aReconnectingBrowserGetsWhatChangedAfterItsLastEvent() {
		Flux<ServerSentEvent<String>> events = open("/taskqueue/stream");
		Sinks.Many<ServerSentEvent<String>> received = Sinks.many().replay().all();
		Disposable reading = events.subscribe(received::tryEmitNext);
		ServerSentEvent<String> seen;
		try {
			await().until(() -> this.cluster.streams.openStreams() == 1);
			this.cluster.task("task-received", "t-seen", "celery@py1", "name", "sample.add");
			seen = received.asFlux()
				.filter((event) -> event.data() != null && event.data().contains("t-seen"))
				.blockFirst(Duration.ofSeconds(10));
		}
		finally {
			reading.dispose();
		}
		assertThat(seen).isNotNull();
		this.cluster.task("task-received", "t-missed", "celery@py1", "name", "sample.add");

		ServerSentEvent<String> first = this.client.get()
			.uri("/taskqueue/stream")
			.header("Last-Event-ID", seen.id())
			.accept(MediaType.TEXT_EVENT_STREAM)
			.exchange()
			.returnResult(EVENT)
			.getResponseBody()
			.filter((event) -> event.event() != null)
			.blockFirst(Duration.ofSeconds(10));

		assertThat(first).isNotNull();
		assertThat(first.data()).startsWith("{\"id\":\"t-missed\"");
	}

	@Test
	void stoppingTheStreamsEndsTheOpenOnes() {
		Flux<ServerSentEvent<String>> events = open("/taskqueue/stream");
		Sinks.One<Boolean> ended = Sinks.one();
		Disposable reading = events.doOnComplete(() -> ended.tryEmitValue(true)).subscribe();
		try {
			await().until(() -> this.cluster.streams.openStreams() == 1);
			this.cluster.streams.stop();
			assertThat(ended.asMono().block(Duration.ofSeconds(10))).isTrue();
			assertThat(this.cluster.streams.openStreams()).isZero();
			this.client.get().uri("/taskqueue/stream").exchange().expectStatus().isEqualTo(503);
		}
		finally {
			reading.dispose();
		}
	}

	@Test
	void streamsBeyondTheBoundAreRefusedAndABrowserThatLeavesFreesItsStream() {
		Disposable one = open("/taskqueue/stream").subscribe();
		Disposable two = open("/taskqueue/stream").subscribe();
		try {
			await().until(() -> this.cluster.streams.openStreams() == 2);
			this.client.get().uri("/taskqueue/stream").exchange().expectStatus().isEqualTo(503);

			one.dispose();
			await().until(() -> this.cluster.streams.openStreams() == 1);
			Disposable three = open("/taskqueue/stream").subscribe();
			await().until(() -> this.cluster.streams.openStreams() == 2);
			three.dispose();
		}
		finally {
			one.dispose();
			two.dispose();
		}
	}

	private Flux<ServerSentEvent<String>> open(String uri) {
		return this.client.get()
			.uri(uri)
			.accept(MediaType.TEXT_EVENT_STREAM)
			.exchange()
			.expectStatus().isOk()
			.expectHeader().contentTypeCompatibleWith(MediaType.TEXT_EVENT_STREAM)
			.returnResult(EVENT)
			.getResponseBody();
	}

}
