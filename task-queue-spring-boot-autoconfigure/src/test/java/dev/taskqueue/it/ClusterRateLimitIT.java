package dev.taskqueue.it;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.taskqueue.AsyncResult;
import dev.taskqueue.TaskClient;
import dev.taskqueue.redis.LocalRedis;
import dev.taskqueue.it.ExecutionSemantics.Run;
import dev.taskqueue.registry.RateLimit;
import dev.taskqueue.redis.RedisRateLimiter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code taskqueue.worker.rate-limits=cluster}: slots reserved in Redis, and two workers (two application
 * contexts) that together hold one task's rate. Shares database {@link LocalRedis#EXECUTION_DB} with the
 * execution ITs, under a key prefix of its own, and removes only its own keys.
 */
class ClusterRateLimitIT {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static final String PREFIX = "cluster-rate-it:";

	@BeforeEach
	void clean() {
		LettuceConnectionFactory factory = LocalRedis.connect(LocalRedis.EXECUTION_DB);
		try {
			StringRedisTemplate redis = new StringRedisTemplate(factory);
			Set<String> keys = redis.keys(PREFIX + "*");
			keys.addAll(redis.keys("exec:cluster*"));
			redis.delete(keys);
		}
		finally {
			factory.destroy();
		}
	}

	@Test
	void reservesEvenlySpacedSlotsInRedis() {
		LettuceConnectionFactory factory = LocalRedis.connect(LocalRedis.EXECUTION_DB);
		try {
			RedisRateLimiter limiter = new RedisRateLimiter(factory, PREFIX);
			RateLimit onePerSecond = RateLimit.parse("1/s");
			// Redis decides a slot on its own clock at some instant between our call and its return, so each
			// slot is known to lie in [called + wait, returned + wait] on our clock. Consecutive slots are one
			// interval apart exactly: that must lie within what the two windows allow, however slow the calls.
			Slot first = slot(limiter, onePerSecond);
			Slot second = slot(limiter, onePerSecond);
			Slot third = slot(limiter, onePerSecond);
			assertThat(first.delay()).isZero();
			assertThat(second.delay()).isPositive();
			assertOneIntervalApart(first, second, Duration.ofSeconds(1));
			assertOneIntervalApart(second, third, Duration.ofSeconds(1));
			assertThat(limiter.reserve("other", onePerSecond)).as("another task's first slot is now").isZero();
			StringRedisTemplate redis = new StringRedisTemplate(factory);
			assertThat(redis.hasKey(PREFIX + "taskqueue.rate.direct")).isTrue();
			assertThat(redis.getExpire(PREFIX + "taskqueue.rate.direct")).isPositive();
		}
		finally {
			factory.destroy();
		}
	}

	@Test
	void twoWorkersTogetherHoldOneTasksRate() {
		try (ConfigurableApplicationContext one = startWorker("one");
				ConfigurableApplicationContext two = startWorker("two")) {
			TaskClient client = one.getBean(TaskClient.class);
			Instant sent = Instant.now();
			List<AsyncResult<Object>> ticks = new ArrayList<>();
			for (int i = 0; i < 10; i++) {
				ticks.add(client.send("exec.tick", List.of("cluster"), Map.of()));
			}
			ticks.forEach((tick) -> tick.get(WAIT));
			List<Run> runs = one.getBean(StringRedisTemplate.class)
				.opsForList()
				.range("exec:cluster", 0, -1)
				.stream()
				.map(Run::parse)
				.sorted((a, b) -> a.ranAt().compareTo(b.ranAt()))
				.toList();
			assertThat(runs).hasSize(10);
			// both workers took part, so the rate held across them rather than inside one
			assertThat(runs).extracting(Run::worker).contains("cluster-one", "cluster-two");
			// 5/s across both workers: the tenth slot is nine intervals of 200 ms after the first, which is no
			// sooner than the sends (two workers at 5/s each would take half as long)
			assertThat(Duration.between(sent, runs.get(9).ranAt())).isGreaterThanOrEqualTo(Duration.ofMillis(1780));
		}
	}

	private static Slot slot(RedisRateLimiter limiter, RateLimit limit) {
		long called = System.nanoTime();
		Duration delay = limiter.reserve("direct", limit);
		return new Slot(called, System.nanoTime(), delay);
	}

	private static void assertOneIntervalApart(Slot earlier, Slot later, Duration interval) {
		// a microsecond of slack for Redis' rounding of the slot to whole microseconds
		long slack = 1_000;
		long shortest = (later.called() + later.delay().toNanos()) - (earlier.returned() + earlier.delay().toNanos());
		long longest = (later.returned() + later.delay().toNanos()) - (earlier.called() + earlier.delay().toNanos());
		assertThat(interval.toNanos()).isBetween(shortest - slack, longest + slack);
	}

	/**
	 * One reservation: when it was asked for and answered on our monotonic clock, and the wait (delay) it returned.
	 */
	private record Slot(long called, long returned, Duration delay) {
	}

	private static ConfigurableApplicationContext startWorker(String name) {
		return new SpringApplicationBuilder(RedisWorkerApplication.class).web(WebApplicationType.NONE)
			.properties("spring.data.redis.host=127.0.0.1", "spring.data.redis.database=" + LocalRedis.EXECUTION_DB,
					"taskqueue.broker=redis", "taskqueue.result-backend=redis", "taskqueue.redis.key-prefix=" + PREFIX,
					"taskqueue.default-queue=it-cluster-rate", "taskqueue.worker.concurrency=1",
					"taskqueue.worker.prefetch=1", "taskqueue.worker.name=cluster-" + name,
					"taskqueue.worker.shutdown-timeout=2s", "taskqueue.worker.rate-limits=cluster")
			.run();
	}

}
