package dev.taskqueue.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import dev.taskqueue.worker.LocalRateLimiter;
import dev.taskqueue.worker.RateLimiter;
import dev.taskqueue.redis.RedisRateLimiter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code taskqueue.worker.rate-limits} chooses between per-worker and cluster-wide rate limits. Nothing here
 * connects to Redis.
 */
class RateLimiterConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, TaskQueueAutoConfiguration.class))
		.withPropertyValues("taskqueue.worker.shutdown-timeout=1s");

	@Test
	void perWorkerByDefault() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(RateLimiter.class);
			assertThat(context).hasSingleBean(LocalRateLimiter.class);
		});
	}

	@Test
	void perWorkerWhenAskedFor() {
		this.runner.withPropertyValues("taskqueue.worker.rate-limits=local")
			.run((context) -> assertThat(context).hasSingleBean(LocalRateLimiter.class));
	}

	@Test
	void inRedisForTheCluster() {
		this.runner.withPropertyValues("taskqueue.worker.rate-limits=cluster").run((context) -> {
			assertThat(context).hasSingleBean(RateLimiter.class);
			assertThat(context).hasSingleBean(RedisRateLimiter.class);
		});
	}

	@Test
	void clusterWithoutRedisFailsNamingTheProperty() {
		this.runner.withClassLoader(new FilteredClassLoader(RedisConnectionFactory.class))
			.withPropertyValues("taskqueue.worker.rate-limits=cluster")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("taskqueue.worker.rate-limits")
				.hasMessageContaining("kept in Redis"));
	}

	@Test
	void aRateLimiterBeanOfTheApplicationWins() {
		this.runner.withPropertyValues("taskqueue.worker.rate-limits=cluster")
			.withBean("customRateLimiter", RateLimiter.class, LocalRateLimiter::new)
			.run((context) -> assertThat(context).getBean(RateLimiter.class).isExactlyInstanceOf(LocalRateLimiter.class));
	}

}
