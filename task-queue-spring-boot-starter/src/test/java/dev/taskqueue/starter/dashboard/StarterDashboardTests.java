package dev.taskqueue.starter.dashboard;

import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;

import dev.taskqueue.Task;
import dev.taskqueue.TaskClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard as the starter brings it, on a real server (Tomcat, port 0): its pages and assets, the live stream
 * through the servlet container's async support, and an action's redirect. The application's own worker sends no
 * task events until the dashboard asks it to (Celery's {@code enable_events}, as Flower does).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "taskqueue.dashboard.enabled=true", "taskqueue.dashboard.read-only=false",
				"taskqueue.events.heartbeat-interval=500ms" })
class StarterDashboardTests {

	private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

	@Value("${local.server.port}")
	private int port;

	@Autowired
	private TaskClient client;

	@Test
	void thePagesAndTheirAssetsAreServed() throws Exception {
		for (String path : List.of("/taskqueue", "/taskqueue/tasks", "/taskqueue/queues", "/taskqueue/beat",
				"/taskqueue/queues/celery", "/taskqueue/assets/dashboard.js", "/taskqueue/assets/dashboard.css")) {
			HttpResponse<String> response = get(path);
			assertThat(response.statusCode()).as(path).isEqualTo(200);
		}
		assertThat(get("/taskqueue").headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("text/html"));
		await().until(() -> get("/taskqueue").body().contains("<td class=\"status\">online</td>"));
	}

	@Test
	void theStreamPushesATaskAsItChanges() throws Exception {
		List<String> lines = new CopyOnWriteArrayList<>();
		CompletableFuture<HttpResponse<Stream<String>>> stream = this.http.sendAsync(
				HttpRequest.newBuilder(uri("/taskqueue/stream")).build(), HttpResponse.BodyHandlers.ofLines());
		HttpResponse<Stream<String>> response = stream.get();
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("text/event-stream"));
		Thread reader = new Thread(() -> {
			try {
				response.body().forEach(lines::add);
			}
			catch (UncheckedIOException ex) {
				// closed by the test
			}
		});
		reader.setDaemon(true);
		reader.start();
		try {
			// the worker's task events are on once the dashboard's enable_events reached it
			await().untilAsserted(() -> {
				String id = this.client.send("dashboard.add", List.of(2, 3), Map.of()).id();
				await().atMost(java.time.Duration.ofSeconds(2))
					.until(() -> lines.stream().anyMatch((line) -> line.contains(id) && line.contains("SUCCESS")));
			});
			assertThat(lines).contains("event:task");
		}
		finally {
			response.body().close();
		}
	}

	@Test
	void anActionRedirectsBackWithItsMessage() throws Exception {
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(uri("/taskqueue/queues/celery/purge"))
			.POST(HttpRequest.BodyPublishers.noBody())
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(303);
		assertThat(response.headers().firstValue("Location")).hasValueSatisfying(
				(location) -> assertThat(location).contains("/taskqueue/queues?flash=Purged%200%20message"));
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

	@SpringBootApplication
	static class DashboardApplication {

		@Bean
		AddTask addTask() {
			return new AddTask();
		}

	}

	static class AddTask {

		@Task("dashboard.add")
		public int add(int a, int b) {
			return a + b;
		}

	}

}
