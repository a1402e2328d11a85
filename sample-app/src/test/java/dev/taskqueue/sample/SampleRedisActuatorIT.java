package dev.taskqueue.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.taskqueue.redis.OwnRedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The demonstration, with the sample on Redis (broker and results) of its own: {@code /actuator/health} has
 * {@code taskQueue} UP with the broker's, the result backend's and the worker's details; that Redis stopped, it is
 * DOWN within 10 seconds (the application not ready, still alive); that Redis started again, it is UP again without
 * a restart of the application. And after ten {@code sample.add} runs, {@code taskqueue.tasks.execution} counts ten
 * successes.
 */
@SuppressWarnings("unchecked")
class SampleRedisActuatorIT {

	private static final Duration OUTAGE_SEEN = Duration.ofSeconds(10);

	private static final Duration RECOVERY = Duration.ofSeconds(60);

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final JsonMapper json = JsonMapper.builder().build();

	private OwnRedisServer redis;

	private ConfigurableApplicationContext sample;

	private int port;

	@BeforeEach
	void start() {
		this.redis = OwnRedisServer.start();
		// as a user runs it: command-line arguments over application.yml's memory broker
		this.sample = new SpringApplicationBuilder(SampleApplication.class).run("--server.port=0",
				"--spring.data.redis.host=127.0.0.1", "--spring.data.redis.port=" + this.redis.port(),
				"--taskqueue.broker=redis", "--taskqueue.result-backend=redis", "--taskqueue.worker.name=sample",
				"--taskqueue.worker.shutdown-timeout=2s");
		this.port = ((WebServerApplicationContext) this.sample).getWebServer().getPort();
	}

	@AfterEach
	void stop() {
		try {
			this.sample.close();
		}
		finally {
			this.redis.close();
		}
	}

	@Test
	void taskQueueIsUpDownWithinTenSecondsOfRedisStoppingAndUpAgainOnceItIsBack() throws Exception {
		await().atMost(RECOVERY).until(() -> taskQueue().get("status"), "UP"::equals);
		Map<String, Object> components = (Map<String, Object>) taskQueue().get("components");
		assertThat(details(components, "broker")).containsEntry("type", "RedisBroker")
			.containsEntry("port", this.redis.port())
			.containsKey("version")
			.containsEntry("consumers", Map.of("celery", true));
		assertThat(details(components, "resultBackend")).containsEntry("type", "RedisResultBackend")
			.containsKey("version");
		assertThat(details(components, "workers")).containsKey("sample");
		assertThat((Map<String, Object>) details(components, "workers").get("sample")).containsEntry("running", true)
			.containsEntry("concurrency", 4)
			.containsEntry("active", 0);

		this.redis.shutdown();
		await().atMost(OUTAGE_SEEN).until(() -> taskQueue().get("status"), "DOWN"::equals);
		assertThat(status("/actuator/health")).isEqualTo(503);
		await().atMost(OUTAGE_SEEN).until(() -> status("/actuator/health/readiness"), (status) -> status == 503);
		assertThat(status("/actuator/health/liveness")).isEqualTo(200);

		this.redis.startAgain();
		await().atMost(RECOVERY).until(() -> taskQueue().get("status"), "UP"::equals);
		await().atMost(OUTAGE_SEEN).until(() -> status("/actuator/health/readiness"), (status) -> status == 200);
	}

	@Test
	void tenAddRunsAreCountedAsTenSuccesses() throws Exception {
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			HttpResponse<String> sent = this.http.send(HttpRequest.newBuilder(uri("/api/tasks/sample.add"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString("{\"args\":[" + i + ",1]}"))
				.build(), HttpResponse.BodyHandlers.ofString());
			ids.add((String) this.json.readValue(sent.body(), Map.class).get("id"));
		}
		for (String id : ids) {
			await().atMost(RECOVERY).until(() -> get("/api/tasks/" + id).get("state"), "SUCCESS"::equals);
		}
		// a run is timed once its outcome is decided, which may be a moment after the result is readable
		await().atMost(OUTAGE_SEEN).until(() -> successes(), (count) -> count == 10.0);
	}

	private double successes() throws Exception {
		Map<String, Object> execution = get(
				"/actuator/metrics/taskqueue.tasks.execution?tag=outcome:success&tag=task:sample.add");
		List<Map<String, Object>> measurements = (List<Map<String, Object>>) execution.get("measurements");
		return (measurements == null) ? 0 : measurements.stream()
			.filter((measurement) -> "COUNT".equals(measurement.get("statistic")))
			.mapToDouble((measurement) -> ((Number) measurement.get("value")).doubleValue())
			.sum();
	}

	private Map<String, Object> get(String path) throws Exception {
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(uri(path))
			.timeout(Duration.ofSeconds(10))
			.build(), HttpResponse.BodyHandlers.ofString());
		return this.json.readValue(response.body(), Map.class);
	}

	private Map<String, Object> taskQueue() throws Exception {
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(uri("/actuator/health/taskQueue"))
			.timeout(Duration.ofSeconds(10))
			.build(), HttpResponse.BodyHandlers.ofString());
		return this.json.readValue(response.body(), Map.class);
	}

	private int status(String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).build(),
				HttpResponse.BodyHandlers.discarding()).statusCode();
	}

	private static Map<String, Object> details(Map<String, Object> components, String name) {
		return (Map<String, Object>) ((Map<String, Object>) components.get(name)).get("details");
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

}
