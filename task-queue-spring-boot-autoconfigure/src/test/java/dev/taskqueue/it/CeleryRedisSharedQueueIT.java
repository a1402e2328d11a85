package dev.taskqueue.it;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.taskqueue.AsyncResult;
import dev.taskqueue.SendOptions;
import dev.taskqueue.TaskClient;
import dev.taskqueue.redis.OwnRedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real Celery 5.2 worker ({@code src/test/python/shared_queue_celery.py}) and ours consume one queue of one
 * Redis database, in Celery's key layout (no key prefix), on a {@code redis-server} of the test's own (so that
 * no other test's flush or restore meets them). Each holds claims while the other restores stale ones: Celery
 * restores every 10 s what its visibility timeout (8 s, longer than its 3 s tasks) says is stale, our worker
 * every second what ours (3 s) says. Our tasks work 19 s, beyond both: only our claim refreshes keep them
 * from being restored by either side. Every task runs exactly once, on one side, and every result arrives.
 */
class CeleryRedisSharedQueueIT {

	private static final Duration WAIT = Duration.ofSeconds(120);

	private static final int TASKS = 8;

	private static final int CELERY_VISIBILITY_TIMEOUT_SECONDS = 8;

	private static final double CELERY_TASK_SECONDS = 3;

	private static final double OUR_TASK_SECONDS = 19;

	private static final File PYTHON_DIR = new File("src/test/python");

	private OwnRedisServer server;

	private LettuceConnectionFactory observer;

	private ConfigurableApplicationContext java;

	private Process celery;

	@BeforeEach
	void start() throws IOException {
		this.server = OwnRedisServer.start();
		this.observer = this.server.connectionFactory();
		this.java = new SpringApplicationBuilder(RedisWorkerApplication.class).web(WebApplicationType.NONE)
			.properties("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + this.server.port(),
					"spring.data.redis.database=0", "taskqueue.broker=redis", "taskqueue.result-backend=redis",
					"taskqueue.default-queue=shared", "taskqueue.worker.queues=shared",
					"taskqueue.worker.concurrency=2", "taskqueue.worker.prefetch=2", "taskqueue.worker.acks-late=true",
					"taskqueue.worker.name=java-shared", "taskqueue.redis.visibility-timeout=3s",
					"taskqueue.redis.claim-refresh=500ms")
			.run();
		File log = logFile();
		ProcessBuilder builder = new ProcessBuilder("/usr/bin/python3", "shared_queue_celery.py", "worker", "shared",
				"py@shared")
			.directory(PYTHON_DIR)
			.redirectErrorStream(true)
			.redirectOutput(log);
		builder.environment().put("SHARED_REDIS_PORT", String.valueOf(this.server.port()));
		builder.environment().put("SHARED_VISIBILITY_TIMEOUT", String.valueOf(CELERY_VISIBILITY_TIMEOUT_SECONDS));
		this.celery = builder.start();
		await().atMost(WAIT).until(() -> Files.readString(log.toPath()).contains("ready."));
	}

	@AfterEach
	void stop() throws InterruptedException {
		if (this.celery != null) {
			this.celery.destroy();
			if (!this.celery.waitFor(20, TimeUnit.SECONDS)) {
				this.celery.destroyForcibly();
			}
		}
		if (this.java != null) {
			this.java.close();
		}
		if (this.observer != null) {
			this.observer.destroy();
		}
		if (this.server != null) {
			this.server.close();
		}
	}

	@Test
	void bothWorkersRunEveryTaskOfTheSharedQueueExactlyOnceAndNeitherTakesTheOthersClaims() {
		TaskClient client = this.java.getBean(TaskClient.class).withOptions(SendOptions.defaults().withQueue("shared"));
		StringRedisTemplate redis = new StringRedisTemplate(this.observer);
		List<AsyncResult<Object>> results = new ArrayList<>();
		for (int i = 0; i < TASKS; i++) {
			results.add(client.send("shared.slow", List.of("t" + i, CELERY_TASK_SECONDS, OUR_TASK_SECONDS), Map.of()));
		}

		List<Object> ranBy = new ArrayList<>();
		for (AsyncResult<Object> result : results) {
			ranBy.add(result.get(WAIT));
		}

		for (int i = 0; i < TASKS; i++) {
			assertThat(ranBy.get(i)).as("result of t%d", i).isIn("java:t" + i, "celery:t" + i);
			assertThat(redis.opsForValue().get("shared:runs:t" + i)).as("runs of t%d", i).isEqualTo("1");
		}
		// both sides took part, each held its claims for the whole run: nothing ran twice, nothing is left
		assertThat(ranBy).anySatisfy((who) -> assertThat(who).asString().startsWith("java:"));
		assertThat(ranBy).anySatisfy((who) -> assertThat(who).asString().startsWith("celery:"));
		assertThat(redis.opsForList().size("shared:ran-by")).isEqualTo(TASKS);
		assertThat(redis.opsForList().size("shared")).isZero();
		await().atMost(Duration.ofSeconds(30)).until(() -> redis.opsForHash().size("unacked") == 0);
	}

	private static File logFile() {
		File directory = new File("target/worker-processes");
		directory.mkdirs();
		return new File(directory, "shared-queue-celery.log");
	}

}
