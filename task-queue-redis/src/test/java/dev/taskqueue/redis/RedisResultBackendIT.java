package dev.taskqueue.redis;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.taskqueue.TaskFailure;
import dev.taskqueue.TaskState;
import dev.taskqueue.redis.LocalRedis;
import dev.taskqueue.result.TaskResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Redis result backend keeps Celery's keys and documents and wakes waiters by pub/sub.
 */
class RedisResultBackendIT {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private LettuceConnectionFactory connectionFactory;

	private StringRedisTemplate redis;

	private RedisResultBackend backend;

	@BeforeEach
	void connect() {
		this.connectionFactory = LocalRedis.flushed(LocalRedis.RESULT_BACKEND_DB);
		this.redis = new StringRedisTemplate(this.connectionFactory);
		this.backend = new RedisResultBackend(this.connectionFactory, MAPPER, RedisResultBackendSettings.defaults(),
				Clock.systemUTC());
	}

	@AfterEach
	void disconnect() {
		this.backend.close();
		this.connectionFactory.destroy();
	}

	@Test
	void storesCeleryDocumentWithTheExpiry() {
		String id = id();
		this.backend.store(TaskResult.success(id, 5, Instant.parse("2026-11-23T23:02:54.862621Z")));
		String key = "celery-task-meta-" + id;
		JsonNode document = MAPPER.readTree(this.redis.opsForValue().get(key));
		assertThat(document.propertyNames()).containsExactly("status", "result", "traceback", "children", "date_done",
				"task_id");
		assertThat(document.path("status").asString()).isEqualTo("SUCCESS");
		assertThat(document.path("result").asInt()).isEqualTo(5);
		assertThat(document.path("date_done").asString()).isEqualTo("2026-11-23T23:02:54.862621");
		assertThat(this.redis.getExpire(key)).isBetween(86_000L, 86_400L);
		assertThat(this.backend.fetch(id).result()).isEqualTo(5);
	}

	@Test
	void storesFailuresAsCeleryDoes() {
		String id = id();
		this.backend.store(TaskResult.failure(id, new IllegalStateException("boom"), Instant.now()));
		JsonNode document = MAPPER.readTree(this.redis.opsForValue().get("celery-task-meta-" + id));
		assertThat(document.path("status").asString()).isEqualTo("FAILURE");
		assertThat(document.path("result").path("exc_type").asString()).isEqualTo("IllegalStateException");
		assertThat(document.path("result").path("exc_module").asString()).isEqualTo("java.lang");
		assertThat(document.path("result").path("exc_message").get(0).asString()).isEqualTo("boom");
		assertThat(document.path("traceback").asString()).contains("IllegalStateException: boom");
		TaskFailure failure = this.backend.fetch(id).toFailure();
		assertThat(failure.type()).isEqualTo("java.lang.IllegalStateException");
		assertThat(failure.message()).isEqualTo("boom");
	}

	@Test
	void readsACeleryWorkersFailure() {
		String id = id();
		this.redis.opsForValue().set("celery-task-meta-" + id, "{\"status\": \"FAILURE\", \"result\": {\"exc_type\": "
				+ "\"ValueError\", \"exc_message\": [\"boom\"], \"exc_module\": \"builtins\"}, \"traceback\": "
				+ "\"Traceback (most recent call last): ...\", \"children\": [], \"date_done\": "
				+ "\"2026-11-23T23:02:54.862621\", \"task_id\": \"" + id + "\"}");
		TaskResult result = this.backend.fetch(id);
		assertThat(result.state()).isEqualTo(TaskState.FAILURE);
		assertThat(result.toFailure().type()).isEqualTo("ValueError");
		assertThat(result.toFailure().message()).isEqualTo("boom");
	}

	@Test
	void readsACeleryTasksOwnStateWithItsMeta() {
		String id = id();
		// as Celery 5.2.6 stores self.update_state(state='PROGRESS', meta={'current': 3, 'total': 10})
		this.redis.opsForValue().set("celery-task-meta-" + id, "{\"status\": \"PROGRESS\", \"result\": "
				+ "{\"current\": 3, \"total\": 10}, \"traceback\": null, \"children\": [], \"date_done\": null, "
				+ "\"task_id\": \"" + id + "\"}");
		TaskResult result = this.backend.fetch(id);
		assertThat(result.status()).isEqualTo("PROGRESS");
		assertThat(result.state()).isEqualTo(TaskState.CUSTOM);
		assertThat(result.result()).isEqualTo(Map.of("current", 3, "total", 10));
		assertThat(result.toFailure()).isNull();
		assertThat(this.backend.whenReady(id)).isNotDone();
	}

	@Test
	void storesWithoutWaitingAndCompletesOnceStoredAndPublished() throws Exception {
		String id = id();
		CompletableFuture<TaskResult> ready = this.backend.whenReady(id);

		CompletableFuture<Void> stored = this.backend.storeAsync(TaskResult.success(id, 7, Instant.now()),
				null);

		stored.get(5, TimeUnit.SECONDS);
		assertThat(MAPPER.readTree(this.redis.opsForValue().get("celery-task-meta-" + id)).path("result").asInt())
			.isEqualTo(7);
		assertThat(ready.get(5, TimeUnit.SECONDS).result()).isEqualTo(7);
		this.backend.storeAsync(TaskResult.failure(id, new IllegalStateException("late"), Instant.now()), null)
			.get(5, TimeUnit.SECONDS);
		assertThat(this.backend.fetch(id).state()).isEqualTo(TaskState.SUCCESS);
	}

	@Test
	void manyStoresUnderWayAtOnceAllLandAndWakeTheirWaiters() {
		List<String> ids = java.util.stream.IntStream.range(0, 300).mapToObj((i) -> id()).toList();
		List<CompletableFuture<TaskResult>> waiting = ids.stream().map(this.backend::whenReady).toList();

		// stores made while one run is under way go together in the next run
		List<CompletableFuture<Void>> stored = ids.parallelStream()
			.map((id) -> this.backend.storeAsync(TaskResult.success(id, id.length(), Instant.now()), null))
			.toList();

		assertThat(CompletableFuture.allOf(stored.toArray(CompletableFuture[]::new))).succeedsWithin(Duration.ofSeconds(10));
		assertThat(waiting).allSatisfy((ready) -> assertThat(ready).succeedsWithin(Duration.ofSeconds(10))
			.satisfies((result) -> assertThat(result.state()).isEqualTo(TaskState.SUCCESS)));
		assertThat(ids).allSatisfy((id) -> assertThat(this.redis.getExpire("celery-task-meta-" + id))
			.isBetween(86_000L, 86_400L));
	}

	@Test
	void aResultAlreadyStoredIsReturnedWithoutSubscribing() {
		String id = id();
		this.backend.store(TaskResult.success(id, "there", Instant.now()));

		CompletableFuture<TaskResult> ready = this.backend.whenReady(id);

		assertThat(ready).isCompleted();
		assertThat(ready.join().result()).isEqualTo("there");
		assertThat(this.backend.waiting()).isZero();
	}

	@Test
	void doesNotOverwriteASuccess() {
		String id = id();
		this.backend.store(TaskResult.success(id, "first", Instant.now()));
		this.backend.store(TaskResult.failure(id, new IllegalStateException("late"), Instant.now()));
		assertThat(this.backend.fetch(id).state()).isEqualTo(TaskState.SUCCESS);
		assertThat(this.backend.fetch(id).result()).isEqualTo("first");
	}

	@Test
	void aStartedTaskCanStillFail() {
		String id = id();
		this.backend.store(TaskResult.started(id, "worker@host", 42));
		this.backend.store(TaskResult.failure(id, new IllegalStateException("then"), Instant.now()));
		assertThat(this.backend.fetch(id).state()).isEqualTo(TaskState.FAILURE);
	}

	@Test
	void wakesWaitersOnPublish() {
		String id = id();
		CompletableFuture<TaskResult> ready = this.backend.whenReady(id);
		this.backend.store(TaskResult.started(id, "worker@host", 42));
		assertThat(ready).isNotDone();
		this.backend.store(TaskResult.success(id, List.of(1, 2), Instant.now()));
		assertThat(ready).succeedsWithin(Duration.ofSeconds(5)).extracting(TaskResult::result).isEqualTo(List.of(1, 2));
		await().atMost(Duration.ofSeconds(5)).until(() -> this.backend.waiting() == 0);
	}

	@Test
	void completesAtOnceWhenTheResultIsThere() {
		String id = id();
		this.backend.store(TaskResult.success(id, "done", Instant.now()));
		assertThat(this.backend.whenReady(id)).succeedsWithin(Duration.ofSeconds(5))
			.extracting(TaskResult::result)
			.isEqualTo("done");
	}

	@Test
	void missesNoResultStoredWhileSubscribing() {
		// a writer stores results as fast as it can while waiters subscribe: every waiter completes
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 200; i++) {
			ids.add(id());
		}
		CompletableFuture<Void> writer = CompletableFuture
			.runAsync(() -> ids.forEach((id) -> this.backend.store(TaskResult.success(id, id, Instant.now()))));
		List<CompletableFuture<TaskResult>> waiting = ids.stream().map(this.backend::whenReady).toList();
		writer.join();
		assertThat(CompletableFuture.allOf(waiting.toArray(CompletableFuture[]::new))).succeedsWithin(Duration.ofSeconds(10));
	}

	@Test
	void sharesOnePubSubConnection() {
		List<CompletableFuture<TaskResult>> waiting = new ArrayList<>();
		for (int i = 0; i < 50; i++) {
			waiting.add(this.backend.whenReady(id()));
		}
		long subscribers = this.redis.execute((org.springframework.data.redis.core.RedisCallback<Long>) (connection) -> connection
			.serverCommands()
			.getClientList()
			.stream()
			.filter((client) -> String.valueOf(LocalRedis.RESULT_BACKEND_DB).equals(client.get("db"))
					&& !"0".equals(client.get("sub")))
			.count());
		assertThat(subscribers).isOne();
		assertThat(waiting).allMatch((future) -> !future.isDone());
	}

	@Test
	void forgets() {
		String id = id();
		this.backend.store(TaskResult.success(id, Map.of("a", 1), Instant.now()));
		this.backend.forget(id);
		assertThat(this.backend.fetch(id)).isNull();
	}

	private static String id() {
		return UUID.randomUUID().toString();
	}

}
