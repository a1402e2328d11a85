package dev.taskqueue.it;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.taskqueue.AsyncResult;
import dev.taskqueue.SendOptions;
import dev.taskqueue.redis.LocalRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link ExecutionSemantics} over the Redis broker and result backend. The visibility timeout is 2s so that
 * an eta of 6s is well beyond it.
 */
class RedisExecutionIT extends ExecutionSemantics {

	private static final Duration WAIT = Duration.ofSeconds(20);

	@Override
	protected void clean() {
		LocalRedis.flushed(LocalRedis.EXECUTION_DB).destroy();
	}

	@Override
	protected ConfigurableApplicationContext startWorker(String... properties) {
		return new SpringApplicationBuilder(RedisWorkerApplication.class).web(WebApplicationType.NONE)
			.properties("spring.data.redis.host=127.0.0.1", "spring.data.redis.database=" + LocalRedis.EXECUTION_DB,
					"taskqueue.broker=redis", "taskqueue.result-backend=redis",
					"taskqueue.default-queue=it-execution", "taskqueue.worker.concurrency=2",
					"taskqueue.worker.shutdown-timeout=2s", "taskqueue.redis.visibility-timeout=2s",
					"taskqueue.redis.claim-refresh=500ms")
			.properties(properties)
			.run();
	}

	@Test
	void anEtaFarBeyondTheVisibilityTimeoutRunsExactlyOnce() {
		Instant eta = Instant.now().plusSeconds(6);
		AsyncResult<Object> later = client().withOptions(SendOptions.defaults().withEta(eta))
			.send("exec.once", List.of("far-eta"), Map.of());
		assertThat(later.get(WAIT)).isEqualTo("far-eta");
		// long enough for a redelivery of an unacked message (visibility timeout 2s) to have run it again
		StringRedisTemplate redis = this.application.getBean(StringRedisTemplate.class);
		await().atMost(WAIT).until(() -> redis.opsForHash().size("unacked") == 0);
		await().pollDelay(Duration.ofSeconds(3)).atMost(WAIT).until(() -> true);
		List<Run> runs = runs("far-eta");
		assertThat(runs).hasSize(1);
		assertThat(runs.get(0).ranAt()).isAfterOrEqualTo(eta.minusMillis(1));
	}

}
