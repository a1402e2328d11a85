package dev.taskqueue.autoconfigure;

import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.DeadLetterQueue;
import dev.taskqueue.micrometer.QueueMetrics;
import dev.taskqueue.micrometer.TaskMetricsListener;
import dev.taskqueue.registry.TaskRegistry;
import dev.taskqueue.worker.WorkerSettings;
import dev.taskqueue.worker.Workers;

/**
 * Micrometer metrics of Task Queue, when the application has a {@link MeterRegistry} (Spring Boot's metrics
 * auto-configuration makes one with the Actuator): the {@code taskqueue.tasks.*} meters of a
 * {@link TaskMetricsListener}, and, where a worker runs, the {@code taskqueue.queue.depth} and
 * {@code taskqueue.dead.letters} gauges of its queues, read from the broker at most once per
 * {@code taskqueue.metrics.queue-depth-refresh}. Switched off as any meter is:
 * {@code management.metrics.enable.taskqueue=false}.
 */
@AutoConfiguration(after = TaskQueueAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ MeterRegistry.class, TaskRegistry.class })
public final class TaskQueueMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	TaskMetricsListener taskMetricsListener(MeterRegistry meterRegistry, TaskRegistry taskRegistry) {
		return new TaskMetricsListener(meterRegistry, taskRegistry, TaskQueueAutoConfiguration.CLOCK);
	}

	/**
	 * The gauges of the queues the application's workers consume; a bound {@code MeterBinder}, as Spring Boot's
	 * own.
	 */
	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean({ Workers.class, Broker.class })
	QueueMetrics taskQueueMetrics(Broker broker, Workers workers, TaskQueueProperties properties) {
		List<String> queues = workers.getSettings()
			.stream()
			.map(WorkerSettings::queues)
			.flatMap(List::stream)
			.distinct()
			.toList();
		@Nullable DeadLetterQueue deadLetters = (broker instanceof DeadLetterQueue queue) ? queue : null;
		return new QueueMetrics(broker, deadLetters, queues, properties.getMetrics().getQueueDepthRefresh());
	}

}
