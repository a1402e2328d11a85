package dev.taskqueue.it;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.taskqueue.AsyncResult;
import dev.taskqueue.SendOptions;
import dev.taskqueue.TaskClient;
import dev.taskqueue.TaskFailedException;
import dev.taskqueue.broker.DeadLetterQueue;
import dev.taskqueue.redis.LocalRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Client and worker of a whole application over the Redis broker and result backend.
 */
class RedisWorkerIT {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static ConfigurableApplicationContext application;

	private static TaskClient client;

	private static StringRedisTemplate redis;

	@BeforeAll
	static void start() {
		LocalRedis.flushed(LocalRedis.WORKER_DB).destroy();
		application = new SpringApplicationBuilder(RedisWorkerApplication.class).web(WebApplicationType.NONE)
			.properties("spring.data.redis.host=127.0.0.1", "spring.data.redis.database=" + LocalRedis.WORKER_DB,
					"taskqueue.broker=redis", "taskqueue.result-backend=redis", "taskqueue.default-queue=it-worker",
					"taskqueue.worker.concurrency=4")
			.run();
		client = application.getBean(TaskClient.class);
		redis = application.getBean(StringRedisTemplate.class);
	}

	@AfterAll
	static void stop() {
		application.close();
	}

	@Test
	void runsTasksAndReturnsTheirResults() {
		assertThat(client.send("it.add", List.of(2, 3), Map.of()).get(WAIT)).isEqualTo(5);
		assertThat(client.send("it.greet", List.of(), Map.of("name", "Ada", "greeting", "Hello")).get(WAIT))
			.isEqualTo("Hello, Ada!");
	}

	@Test
	void reportsFailuresWithTypeAndMessage() {
		AsyncResult<Object> result = client.send("it.fail", List.of("no good"), Map.of());
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(WAIT))
			.satisfies((ex) -> {
				assertThat(ex.getFailure().type()).isEqualTo("java.lang.IllegalArgumentException");
				assertThat(ex.getFailure().message()).isEqualTo("no good");
			});
	}

	@Test
	void parksACountdownInRedisUntilDue() {
		Instant sent = Instant.now();
		AsyncResult<Object> result = client.withOptions(SendOptions.defaults().withCountdown(Duration.ofSeconds(2)))
			.send("it.add", List.of(20, 22), Map.of());
		await().atMost(WAIT).until(() -> redis.opsForZSet().size("taskqueue.deferred") == 1);
		assertThat(result.get(WAIT)).isEqualTo(42);
		assertThat(Instant.now()).isAfterOrEqualTo(sent.plusSeconds(2));
		assertThat(redis.opsForZSet().size("taskqueue.deferred")).isZero();
	}

	@Test
	void malformedEnvelopesWhoseIdCanBeReadStoreFailureAndAreDeadLettered() {
		String body = java.util.Base64.getEncoder()
			.encodeToString("[[1, 2], {}, {}]".getBytes(java.nio.charset.StandardCharsets.UTF_8));
		// a body that is not base64, a body that is a number, properties that are null: no envelope can be made
		redis.opsForList()
			.leftPush("it-worker", envelope("\"%%% not base64 %%%\"", "bad-base64", properties("bad-base64")));
		redis.opsForList().leftPush("it-worker", envelope("42", "number-body", properties("number-body")));
		redis.opsForList().leftPush("it-worker", envelope("\"" + body + "\"", "null-properties", "null"));
		for (String id : List.of("bad-base64", "number-body", "null-properties")) {
			AsyncResult<Object> waiting = client.result(id);
			assertThatExceptionOfType(TaskFailedException.class).as(id)
				.isThrownBy(() -> waiting.get(WAIT))
				.satisfies((ex) -> assertThat(ex.getFailure().message()).isNotBlank());
		}
		DeadLetterQueue deadLetters = application.getBean(DeadLetterQueue.class);
		await().atMost(WAIT)
			.until(() -> deadLetters.listDeadLetters("it-worker", 100)
				.stream()
				.filter((letter) -> letter.reason().startsWith("undecodable message"))
				.count() == 3);
		// the worker goes on
		assertThat(client.send("it.add", List.of(1, 2), Map.of()).get(WAIT)).isEqualTo(3);
	}

	private static String envelope(String body, String id, String properties) {
		return "{\"body\": " + body + ", \"content-encoding\": \"utf-8\", "
				+ "\"content-type\": \"application/json\", \"headers\": {\"lang\": \"py\", \"task\": \"it.add\", "
				+ "\"id\": \"" + id + "\", \"root_id\": \"" + id + "\"}, \"properties\": " + properties + "}";
	}

	private static String properties(String id) {
		return "{\"correlation_id\": \"" + id + "\", \"reply_to\": null, \"delivery_mode\": 2, "
				+ "\"delivery_info\": {\"exchange\": \"\", \"routing_key\": \"it-worker\"}, \"priority\": 0, "
				+ "\"body_encoding\": \"base64\", \"delivery_tag\": \"tag-" + id + "\"}";
	}

	@Test
	void runsManyTasksWithNothingLeftBehind() {
		List<AsyncResult<Object>> results = new ArrayList<>();
		for (int i = 0; i < 200; i++) {
			results.add(client.send("it.add", List.of(i, 1), Map.of()));
		}
		for (int i = 0; i < 200; i++) {
			assertThat(results.get(i).get(WAIT)).isEqualTo(i + 1);
		}
		await().atMost(WAIT).until(() -> redis.opsForHash().size("unacked") == 0);
		assertThat(redis.opsForList().size("it-worker")).isZero();
	}

}
