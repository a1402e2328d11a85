package dev.taskqueue.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample as a user drives it: over HTTP, with the embedded broker.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SampleApplicationTests {

	private final HttpClient http = HttpClient.newHttpClient();

	private final JsonMapper json = JsonMapper.builder().build();

	@Value("${local.server.port}")
	private int port;

	@Test
	void addRunsAndReportsSuccess() throws Exception {
		String id = send("sample.add", "{\"args\":[2,3]}");
		assertThat(awaitReady(id)).containsEntry("state", "SUCCESS").containsEntry("result", 5);
	}

	@Test
	void greetBindsKeywordArguments() throws Exception {
		String id = send("sample.greet", "{\"args\":[\"Ada\"],\"kwargs\":{\"greeting\":\"Hello\"}}");
		assertThat(awaitReady(id)).containsEntry("result", "Hello, Ada!");
	}

	@Test
	void echoReturnsAnyJsonValue() throws Exception {
		String id = send("sample.echo", "{\"args\":[{\"a\":[1,2.5,null,true]}]}");
		assertThat(awaitReady(id)).containsEntry("result", Map.of("a", java.util.Arrays.asList(1, 2.5, null, true)));
	}

	@Test
	void failReportsTheErrorTypeAndMessage() throws Exception {
		String id = send("sample.fail", "{\"args\":[\"boom\"]}");
		assertThat(awaitReady(id)).containsEntry("state", "FAILURE")
			.containsEntry("error", Map.of("type", "java.lang.IllegalArgumentException", "message", "boom"));
	}

	@Test
	void aCountdownTaskIsPendingFirst() throws Exception {
		String id = send("sample.add", "{\"args\":[1,1],\"countdown\":0.5}");
		assertThat(get(id)).containsEntry("state", "PENDING");
		assertThat(awaitReady(id)).containsEntry("result", 2);
	}

	private String send(String task, String body) throws Exception {
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(uri("/api/tasks/" + task))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		return (String) this.json.readValue(response.body(), Map.class).get("id");
	}

	private Map<String, Object> awaitReady(String id) {
		return await().atMost(Duration.ofSeconds(10))
			.until(() -> get(id), (body) -> !"PENDING".equals(body.get("state")) && !"STARTED".equals(body.get("state")));
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> get(String id) throws Exception {
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(uri("/api/tasks/" + id)).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		return this.json.readValue(response.body(), Map.class);
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

}
