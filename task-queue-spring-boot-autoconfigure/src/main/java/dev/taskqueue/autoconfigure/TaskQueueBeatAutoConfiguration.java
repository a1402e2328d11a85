package dev.taskqueue.autoconfigure;

import java.time.Instant;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import dev.taskqueue.TaskClient;
import dev.taskqueue.beat.BeatEntry;
import dev.taskqueue.beat.BeatListener;
import dev.taskqueue.beat.BeatScheduler;
import dev.taskqueue.beat.BeatStore;
import dev.taskqueue.beat.InMemoryBeatStore;
import dev.taskqueue.micrometer.BeatMetricsListener;
import dev.taskqueue.registry.TaskRegistry;

/**
 * Auto-configuration of the beat ({@code taskqueue.beat.enabled=true}): a {@link BeatScheduler} with the entries
 * of {@code taskqueue.beat.schedule} and of {@code @Periodic} tasks, and the {@link BeatStore} of the broker
 * that {@code taskqueue.broker} names, so that the lead and the last runs live where the messages do; with a
 * {@link MeterRegistry}, the {@code taskqueue.beat.sent} counter.
 */
@AutoConfiguration(after = TaskQueueAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnBooleanProperty("taskqueue.beat.enabled")
@EnableConfigurationProperties(TaskQueueBeatProperties.class)
@Import({ TaskQueueBeatAutoConfiguration.MemoryBeatStoreConfiguration.class, RedisBeatStoreConfiguration.class,
		RabbitBeatStoreConfiguration.class, SqsBeatStoreConfiguration.class,
		TaskQueueBeatAutoConfiguration.BeatMetricsConfiguration.class })
public final class TaskQueueBeatAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	BeatScheduler taskBeatScheduler(TaskClient client, BeatStore store, TaskQueueBeatProperties beat,
			TaskRegistry registry, ObjectProvider<BeatListener> listeners, ObjectProvider<JsonMapper> mapper) {
		return BeatScheduler.builder(client, store)
			.clock(TaskQueueAutoConfiguration.CLOCK)
			.timezone(beat.getTimezone())
			.lease(beat.getLease())
			.entries(BeatSettings.entries(beat))
			.periodicTasks(registry)
			.listener(new Listeners(listeners.orderedStream().toList()))
			.jsonMapper(TaskQueueAutoConfiguration.jsonMapper(mapper))
			.build();
	}

	/**
	 * {@code taskqueue.broker=memory}: the application leads itself.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = "taskqueue.broker", havingValue = "memory", matchIfMissing = true)
	static class MemoryBeatStoreConfiguration {

		@Bean
		@ConditionalOnMissingBean
		BeatStore taskBeatStore() {
			return new InMemoryBeatStore(TaskQueueAutoConfiguration.CLOCK);
		}

	}

	/**
	 * {@code taskqueue.beat.sent}, when the application has a {@link MeterRegistry}.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	@ConditionalOnBean(MeterRegistry.class)
	static class BeatMetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		BeatMetricsListener taskBeatMetricsListener(MeterRegistry meterRegistry) {
			return new BeatMetricsListener(meterRegistry);
		}

	}

	/**
	 * The application's {@link BeatListener} beans, told in order.
	 */
	private record Listeners(List<BeatListener> listeners) implements BeatListener {

		@Override
		public void sent(BeatEntry entry, Instant scheduledAt, String taskId) {
			this.listeners.forEach((listener) -> listener.sent(entry, scheduledAt, taskId));
		}

		@Override
		public void leadershipChanged(boolean leading) {
			this.listeners.forEach((listener) -> listener.leadershipChanged(leading));
		}

	}

}
