package dev.taskqueue.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

import dev.taskqueue.result.ResultBackend;
import dev.taskqueue.result.TaskResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample as a user drives it: over HTTP, with the embedded broker.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "taskqueue.max-message-size=64KB")
class SampleApplicationTests {

	private final HttpClient http = HttpClient.newHttpClient();

	private final JsonMapper json = JsonMapper.builder().build();

	@Value("${local.server.port}")
	private int port;

	@Autowired
	private ResultBackend results;

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
	void aCountdownTaskIsPendingUntilItsCountdownIsUp() throws Exception {
		Instant sent = Instant.now();
		String id = send("sample.add", "{\"args\":[1,1],\"countdown\":1.5}");
		Map<String, Object> first = get(id);
		Instant firstLooked = Instant.now();
		// on a busy machine the first look may come late: only a look before the countdown is up must see PENDING
		if (firstLooked.isBefore(sent.plusMillis(1500))) {
			assertThat(first).containsEntry("state", "PENDING");
		}
		assertThat(awaitReady(id)).containsEntry("result", 2);
		// the eta is taken after `sent`: a task that ran early would have been seen ready before it
		assertThat(Instant.now()).isAfterOrEqualTo(sent.plusMillis(1500));
	}

	@Test
	void addTakesIntegersOfAnySizeAsAPythonPeerDoes() throws Exception {
		String id = send("sample.add", "{\"args\":[9223372036854775807,1]}");
		assertThat(awaitReady(id)).containsEntry("state", "SUCCESS")
			.containsEntry("result", new BigInteger("9223372036854775808"));
	}

	@Test
	void aNegativeCountdownIsABadRequestThatSaysSo() throws Exception {
		assertThat(problem(post("sample.add", "{\"args\":[1,1],\"countdown\":-1}"))).containsEntry("status", 400)
			.hasEntrySatisfying("detail", (detail) -> assertThat(detail).asString().contains("countdown"));
	}

	@Test
	void aPriorityOutOfRangeIsABadRequestThatSaysSo() throws Exception {
		assertThat(problem(post("sample.add", "{\"args\":[1,1],\"priority\":256}"))).containsEntry("status", 400)
			.hasEntrySatisfying("detail", (detail) -> assertThat(detail).asString().contains("priority"));
		assertThat(problem(post("sample.add", "{\"args\":[1,1],\"priority\":-1}"))).containsEntry("status", 400);
	}

	@Test
	void argumentsNestedTooDeepAreABadRequestThatSaysSo() throws Exception {
		String nested = "[".repeat(70) + "]".repeat(70);
		assertThat(problem(post("sample.echo", "{\"args\":[" + nested + "]}"))).containsEntry("status", 400)
			.hasEntrySatisfying("detail", (detail) -> assertThat(detail).asString().contains("nest deeper than 64"));
	}

	@Test
	void argumentsOverTheMessageSizeLimitAreABadRequestThatSaysSo() throws Exception {
		String large = "x".repeat(70 * 1024);
		assertThat(problem(post("sample.echo", "{\"args\":[\"" + large + "\"]}"))).containsEntry("status", 400)
			.hasEntrySatisfying("detail",
					(detail) -> assertThat(detail).asString().contains("above the maximum message size"));
	}

	@Test
	void unreadableJsonIsABadRequest() throws Exception {
		assertThat(problem(post("sample.add", "{\"args\":[1,"))).containsEntry("status", 400);
	}

	@Test
	void aStateTheTaskReportsOfItsOwnIsShownWithItsMeta() throws Exception {
		String id = UUID.randomUUID().toString();
		// what a Python task's self.update_state(state='PROGRESS', meta={...}) stores, as Celery 5.2.6 writes it
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("status", "PROGRESS");
		document.put("result", Map.of("current", 3, "total", 10));
		document.put("traceback", null);
		document.put("children", List.of());
		document.put("date_done", null);
		document.put("task_id", id);
		this.results.store(TaskResult.fromDocument(document));
		assertThat(get(id)).containsEntry("state", "PROGRESS")
			.containsEntry("info", Map.of("current", 3, "total", 10));
	}

	private String send(String task, String body) throws Exception {
		HttpResponse<String> response = post(task, body);
		assertThat(response.statusCode()).isEqualTo(200);
		return (String) this.json.readValue(response.body(), Map.class).get("id");
	}

	private HttpResponse<String> post(String task, String body) throws Exception {
		return this.http.send(HttpRequest.newBuilder(uri("/api/tasks/" + task))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> problem(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		return this.json.readValue(response.body(), Map.class);
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
