package dev.taskqueue.dashboard;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import org.springframework.http.server.reactive.ContextPathCompositeHandler;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.reactive.function.server.RouterFunctions;

import dev.taskqueue.broker.memory.InMemoryBroker;
import dev.taskqueue.worker.QueueOverview;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard on a real WebFlux server (Reactor Netty on a port of its own) read by a real HTTP client: pages
 * arrive whole and are drawn off the event loop (a page may wait on the broker), the live updates arrive as they
 * happen (nothing waits in a buffer for the stream to end), and a browser that closes its connection frees its
 * stream.
 */
class WebFluxDashboardServerTests {

	private final ClusterFixture cluster = new ClusterFixture();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final ThreadRecordingBroker broker = new ThreadRecordingBroker();

	private DisposableServer server;

	@BeforeEach
	void start() {
		this.cluster.streams.start();
		TaskQueueDashboard dashboard = TaskQueueDashboard
			.builder(this.cluster.state, this.cluster.control, this.broker,
					new QueueOverview(this.broker, null, this.cluster.registry, "celery"))
			.streams(this.cluster.streams)
			.build();
		ReactorHttpHandlerAdapter adapter = new ReactorHttpHandlerAdapter(
				RouterFunctions.toHttpHandler(WebFluxDashboardRoutes.routes(dashboard)));
		this.server = HttpServer.create().host("127.0.0.1").port(0).handle(adapter).bindNow();
	}

	@AfterEach
	void stop() {
		this.server.disposeNow();
		this.cluster.streams.stop();
	}

	@Test
	void aPageIsServedOverHttp() throws Exception {
		this.cluster.workerOnline("celery@py1");
		HttpResponse<String> page = this.http.send(request("/taskqueue").build(), HttpResponse.BodyHandlers.ofString());
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html;charset=UTF-8");
		assertThat(page.body()).contains("<tr data-worker=\"celery@py1\">").endsWith("</html>");
	}

	@Test
	void aPageThatReadsTheBrokerIsDrawnOffTheEventLoop() throws Exception {
		HttpResponse<String> page = this.http.send(request("/taskqueue/queues").build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("<tr data-queue=\"celery\">");
		assertThat(this.broker.readers).isNotEmpty()
			.allSatisfy((thread) -> assertThat(thread).startsWith("boundedElastic-"));
	}

	@Test
	void underABasePathThePagesLinksStartWithIt() throws Exception {
		// spring.webflux.base-path, as Spring Boot applies it
		HttpHandler application = new ContextPathCompositeHandler(Map.of("/app",
				RouterFunctions.toHttpHandler(WebFluxDashboardRoutes.routes(this.cluster.dashboard(true)))));
		DisposableServer based = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.handle(new ReactorHttpHandlerAdapter(application))
			.bindNow();
		try {
			this.cluster.task("task-received", "t-1", "celery@py1", "name", "sample.add");
			HttpResponse<String> page = this.http.send(HttpRequest
				.newBuilder(URI.create("http://127.0.0.1:" + based.port() + "/app/taskqueue/tasks"))
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(page.statusCode()).isEqualTo(200);
			assertThat(page.body()).contains("data-base=\"/app/taskqueue\"", "<a href=\"/app/taskqueue/tasks/t-1\">");
		}
		finally {
			based.disposeNow();
		}
	}

	@Test
	void aTaskEventReachesTheBrowserWhileTheStreamStaysOpenAndClosingItFreesTheStream() throws Exception {
		CompletableFuture<HttpResponse<Stream<String>>> opened = this.http.sendAsync(
				request("/taskqueue/stream").header("Accept", "text/event-stream").build(),
				HttpResponse.BodyHandlers.ofLines());
		HttpResponse<Stream<String>> response = opened.get();
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("text/event-stream"));
		await().until(() -> this.cluster.streams.openStreams() == 1);

		this.cluster.task("task-received", "t-wire", "celery@py1", "name", "sample.add");

		try (Stream<String> lines = response.body()) {
			Iterator<String> reading = lines.iterator();
			String line = reading.next();
			while (!line.startsWith("data:")) {
				line = reading.next();
			}
			assertThat(line).startsWith("data:{\"id\":\"t-wire\",\"name\":\"sample.add\",\"state\":\"RECEIVED\"");
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> this.cluster.streams.openStreams() == 0);
	}

	/** The in-memory broker, which says on which threads its queues' depths were read. */
	private static final class ThreadRecordingBroker extends InMemoryBroker {

		final Queue<String> readers = new ConcurrentLinkedQueue<>();

		@Override
		public long queueDepth(String queue) {
			this.readers.add(Thread.currentThread().getName());
			return super.queueDepth(queue);
		}

	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.server.port() + path))
			.timeout(Duration.ofSeconds(20));
	}

}
