package dev.taskqueue.autoconfigure;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.memory.InMemoryBroker;
import dev.taskqueue.control.CeleryRevocations;
import dev.taskqueue.redis.RedisBroker;
import dev.taskqueue.redis.RedisBrokers;
import dev.taskqueue.redis.RedisResultBackend;
import dev.taskqueue.redis.RedisRevocations;
import dev.taskqueue.result.ResultBackend;
import dev.taskqueue.result.memory.InMemoryResultBackend;
import dev.taskqueue.revoke.Revocations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * {@code taskqueue.broker=redis} and {@code taskqueue.result-backend=redis} switch to Redis, and only they do.
 * Nothing here connects to Redis.
 */
class RedisConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, TaskQueueAutoConfiguration.class))
		.withPropertyValues("taskqueue.worker.enabled=false");

	@Test
	void redisBrokerAndResultsWhenAskedFor() {
		this.runner.withPropertyValues("taskqueue.broker=redis", "taskqueue.result-backend=redis").run((context) -> {
			assertThat(context).hasSingleBean(RedisBroker.class);
			// shared with Celery's workers through celery.pidbox, since the keys are shared with Celery
			assertThat(context.getBean(Revocations.class)).isInstanceOf(CeleryRevocations.class);
			assertThat(context).hasSingleBean(RedisResultBackend.class);
			assertThat(context).doesNotHaveBean(InMemoryBroker.class);
			assertThat(context).doesNotHaveBean(InMemoryResultBackend.class);
		});
	}

	@Test
	void revocationsStayAmongOurWorkersWithAKeyPrefixOrWhenAskedTo() {
		for (String property : List.of("taskqueue.redis.key-prefix=app1:", "taskqueue.celery-control=false")) {
			this.runner.withPropertyValues("taskqueue.broker=redis", property)
				.run((context) -> assertThat(context.getBean(Revocations.class)).isExactlyInstanceOf(RedisRevocations.class));
		}
		this.runner.withPropertyValues("taskqueue.broker=redis", "taskqueue.redis.key-prefix=app1:",
				"taskqueue.celery-control=true")
			.run((context) -> assertThat(context.getBean(Revocations.class)).isInstanceOf(CeleryRevocations.class));
	}

	@Test
	void celeryControlOnAndOffForceItEitherWayAndAutoKeepsTheDefault() {
		this.runner.withPropertyValues("taskqueue.broker=redis", "taskqueue.redis.key-prefix=app1:",
				"taskqueue.celery-control=on")
			.run((context) -> assertThat(context.getBean(Revocations.class)).isInstanceOf(CeleryRevocations.class));
		this.runner.withPropertyValues("taskqueue.broker=redis", "taskqueue.celery-control=off")
			.run((context) -> assertThat(context.getBean(Revocations.class))
				.isExactlyInstanceOf(RedisRevocations.class));
		this.runner.withPropertyValues("taskqueue.broker=redis", "taskqueue.celery-control=auto")
			.run((context) -> assertThat(context.getBean(Revocations.class)).isInstanceOf(CeleryRevocations.class));
		this.runner.withPropertyValues("taskqueue.broker=redis", "taskqueue.redis.key-prefix=app1:",
				"taskqueue.celery-control=auto")
			.run((context) -> assertThat(context.getBean(Revocations.class))
				.isExactlyInstanceOf(RedisRevocations.class));
	}

	@Test
	void redisResultsWorkWithTheMemoryBroker() {
		this.runner.withPropertyValues("taskqueue.result-backend=redis").run((context) -> {
			assertThat(context).hasSingleBean(InMemoryBroker.class);
			assertThat(context).hasSingleBean(RedisResultBackend.class);
		});
	}

	@Test
	void noRedisByDefault() {
		this.runner.run((context) -> {
			assertThat(context).doesNotHaveBean(RedisBroker.class);
			assertThat(context).doesNotHaveBean(RedisResultBackend.class);
			assertThat(context).hasSingleBean(InMemoryBroker.class);
		});
	}

	@Test
	void noRedisWithoutSpringDataRedis() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(TaskQueueAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader(RedisConnectionFactory.class))
			.withPropertyValues("taskqueue.worker.enabled=false", "taskqueue.result-backend=redis")
			.run((context) -> {
				// the Redis configuration stays out of the way, so the application learns what is missing
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).hasMessageContaining("ResultBackend");
			});
	}

	@Test
	void backsOffForTheApplicationsOwnBeans() {
		this.runner.withPropertyValues("taskqueue.broker=redis", "taskqueue.result-backend=redis")
			.withBean(Broker.class, () -> mock(Broker.class))
			.withBean(ResultBackend.class, () -> mock(ResultBackend.class))
			.run((context) -> {
				assertThat(context).doesNotHaveBean(RedisBroker.class);
				assertThat(context).doesNotHaveBean(RedisResultBackend.class);
			});
	}

	@Test
	void readsTheRedisProperties() {
		this.runner
			.withPropertyValues("taskqueue.broker=redis", "taskqueue.redis.key-prefix=app1:",
					"taskqueue.redis.visibility-timeout=45s", "taskqueue.redis.claim-refresh=5s")
			.run((context) -> {
				assertThat(RedisBrokers.keyPrefix(context.getBean(RedisBroker.class))).isEqualTo("app1:");
				TaskQueueProperties.Redis redis = context.getBean(TaskQueueProperties.class).getRedis();
				assertThat(redis.getVisibilityTimeout()).hasSeconds(45);
				assertThat(redis.getClaimRefresh()).hasSeconds(5);
			});
	}

	@Test
	void defaultsShareCeleryKeysAndRestoreWithinAMinute() {
		TaskQueueProperties.Redis redis = new TaskQueueProperties().getRedis();
		assertThat(redis.getKeyPrefix()).isEmpty();
		assertThat(redis.getVisibilityTimeout().plusSeconds(1)).isLessThanOrEqualTo(java.time.Duration.ofMinutes(1));
		assertThat(redis.getClaimRefresh()).isLessThan(redis.getVisibilityTimeout());
	}

}
