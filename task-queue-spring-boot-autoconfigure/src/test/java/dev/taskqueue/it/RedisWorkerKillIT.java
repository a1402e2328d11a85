package dev.taskqueue.it;

import java.io.IOException;
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
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.taskqueue.AsyncResult;
import dev.taskqueue.TaskClient;
import dev.taskqueue.process.JvmProcesses;
import dev.taskqueue.redis.LocalRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * At least once, with real processes: a worker killed with SIGKILL in the middle of a task loses nothing; the
 * task runs to the end on another worker, and not before the first is dead, although it outlives the
 * visibility timeout.
 */
class RedisWorkerKillIT {

	private static final Duration VISIBILITY_TIMEOUT = Duration.ofSeconds(5);

	private final JvmProcesses workers = new JvmProcesses("target/worker-processes", getClass());

	private ConfigurableApplicationContext client;

	private StringRedisTemplate redis;

	@BeforeEach
	void startClient() {
		LocalRedis.flushed(LocalRedis.KILL_DB).destroy();
		this.client = new SpringApplicationBuilder(RedisWorkerApplication.class).web(WebApplicationType.NONE)
			.properties(commonProperties())
			.properties("taskqueue.worker.enabled=false")
			.run();
		this.redis = this.client.getBean(StringRedisTemplate.class);
	}

	@AfterEach
	void stopEverything() {
		this.workers.killAll();
		this.client.close();
	}

	@Test
	void aTaskOfAKilledWorkerCompletesOnAnotherWorker() throws Exception {
		Process first = startWorker("first");
		TaskClient tasks = this.client.getBean(TaskClient.class);
		// the first worker runs "long" and holds "held" in its prefetch
		AsyncResult<Object> longTask = tasks.send("it.slow", List.of("long", 120), Map.of());
		AsyncResult<Object> heldTask = tasks.send("it.slow", List.of("held", 0.1), Map.of());
		await().atMost(Duration.ofSeconds(60)).until(() -> started().contains("long@" + first.pid()));

		Process second = startWorker("second");
		await().atMost(Duration.ofSeconds(60)).until(() -> output("second").contains("consuming [it-kill]"));
		// the first worker is alive and working: its claim holds beyond the visibility timeout
		await().during(VISIBILITY_TIMEOUT.multipliedBy(2)).atMost(Duration.ofSeconds(30))
			.until(() -> started().equals(List.of("long@" + first.pid())));

		JvmProcesses.kill(first);

		Map<?, ?> longResult = (Map<?, ?>) longTask.get(Duration.ofSeconds(60));
		Map<?, ?> heldResult = (Map<?, ?>) heldTask.get(Duration.ofSeconds(60));
		assertThat(((Number) longResult.get("pid")).longValue()).isEqualTo(second.pid());
		assertThat(((Number) heldResult.get("pid")).longValue()).isEqualTo(second.pid());
		assertThat(started()).containsExactlyInAnyOrder("long@" + first.pid(), "long@" + second.pid() + " again",
				"held@" + second.pid() + " again");
		assertThat(this.redis.opsForList().range("it:completed", 0, -1))
			.containsExactlyInAnyOrder("long@" + second.pid(), "held@" + second.pid());
		await().atMost(Duration.ofSeconds(10)).until(() -> this.redis.opsForHash().size("unacked") == 0);
	}

	@Test
	void aSecondSigtermDuringWarmShutdownHandsTheRunningTaskBackAtOnce() throws Exception {
		Process worker = startWorker("signalled", "taskqueue.worker.shutdown-timeout=10m");
		TaskClient tasks = this.client.getBean(TaskClient.class);
		AsyncResult<Object> longTask = tasks.send("it.slow", List.of("long", 600), Map.of());
		await().atMost(Duration.ofSeconds(60)).until(() -> started().contains("long@" + worker.pid()));

		worker.destroy();
		// the first SIGTERM's warm shutdown waits for the running task
		await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(worker::isAlive);
		assertThat(output("signalled")).contains("warm shutdown");

		worker.destroy();
		assertThat(worker.waitFor(30, TimeUnit.SECONDS)).isTrue();
		assertThat(output("signalled")).contains("cold shutdown");
		// handed back, not acknowledged and not lost: the task is waiting in its queue again
		assertThat(this.redis.opsForHash().size("unacked")).isZero();
		assertThat(this.redis.opsForList().size("it-kill")).isEqualTo(1);
		assertThat(this.redis.opsForList().range("it:completed", 0, -1)).isEmpty();
		assertThat(longTask.ready()).isFalse();
	}

	private List<String> started() {
		return this.redis.opsForList().range("it:started", 0, -1);
	}

	private Process startWorker(String name, String... properties) throws IOException {
		List<String> all = new ArrayList<>(List.of(commonProperties()));
		// no keep-alive: a worker-only process must stay up on its worker's own threads
		all.addAll(List.of("taskqueue.worker.name=" + name, "taskqueue.worker.concurrency=1",
				"taskqueue.worker.prefetch=2",
				"taskqueue.redis.visibility-timeout=" + VISIBILITY_TIMEOUT.toSeconds() + "s",
				"taskqueue.redis.claim-refresh=1s"));
		all.addAll(List.of(properties));
		return this.workers.start(name, RedisWorkerApplication.class, all);
	}

	private String output(String name) throws IOException {
		return this.workers.output(name);
	}

	private static String[] commonProperties() {
		return new String[] { "spring.data.redis.host=127.0.0.1", "spring.data.redis.database=" + LocalRedis.KILL_DB,
				"taskqueue.broker=redis", "taskqueue.result-backend=redis", "taskqueue.default-queue=it-kill" };
	}

}
