package dev.taskqueue.autoconfigure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.taskqueue.actuate.health.BeatHealthIndicator;
import dev.taskqueue.actuate.health.BrokerHealthIndicator;
import dev.taskqueue.actuate.health.ResultBackendHealthIndicator;
import dev.taskqueue.actuate.health.WorkerReadiness;
import dev.taskqueue.actuate.health.WorkersHealthIndicator;
import dev.taskqueue.actuate.health.WorkersShutdown;
import dev.taskqueue.beat.BeatSchedule;
import dev.taskqueue.broker.Broker;
import dev.taskqueue.result.ResultBackend;
import dev.taskqueue.worker.Workers;

/**
 * Auto-configuration of the {@code taskQueue} health contributor: one entry per part that can fail, {@code broker},
 * {@code resultBackend} and, in an application that runs workers, {@code workers}, and the beat, {@code beat}; and of
 * {@link WorkerReadiness}, which makes the application's readiness follow its workers' consumers. Switched off
 * with {@code management.health.taskqueue.enabled=false} (readiness alone with
 * {@code management.health.taskqueue.readiness.enabled=false}). A bean named {@code taskQueueHealthContributor}
 * replaces the contributor.
 */
@AutoConfiguration(after = TaskQueueAutoConfiguration.class,
		afterName = "org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration")
@ConditionalOnClass({ HealthContributor.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean({ Broker.class, ResultBackend.class })
@ConditionalOnEnabledHealthIndicator("taskqueue")
public final class TaskQueueHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	WorkersShutdown taskQueueWorkersShutdown() {
		return new WorkersShutdown();
	}

	@Bean
	@ConditionalOnMissingBean(name = { "taskQueueHealthIndicator", "taskQueueHealthContributor" })
	HealthContributor taskQueueHealthContributor(Broker broker, ResultBackend backend,
			ObjectProvider<Workers> workers, WorkersShutdown shutdown, ObjectProvider<BeatSchedule> beat) {
		Workers running = workers.getIfAvailable();
		Map<String, HealthContributor> entries = new LinkedHashMap<>();
		entries.put("broker",
				new BrokerHealthIndicator(broker, () -> (running != null) ? running.snapshot() : List.of()));
		entries.put("resultBackend", new ResultBackendHealthIndicator(backend));
		if (running != null) {
			entries.put("workers", new WorkersHealthIndicator(running, shutdown));
		}
		BeatSchedule schedule = beat.getIfAvailable();
		if (schedule != null) {
			entries.put("beat", new BeatHealthIndicator(schedule, TaskQueueAutoConfiguration.CLOCK));
		}
		return CompositeHealthContributor.fromMap(entries);
	}

	/**
	 * Readiness that follows the workers, in an application that runs them.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean({ Workers.class, ApplicationAvailability.class })
	@ConditionalOnBooleanProperty(name = "management.health.taskqueue.readiness.enabled", matchIfMissing = true)
	static class WorkerReadinessConfiguration {

		@Bean
		@ConditionalOnMissingBean
		WorkerReadiness taskQueueWorkerReadiness(Workers workers, ApplicationAvailability availability,
				ApplicationEventPublisher publisher) {
			return new WorkerReadiness(workers, availability, publisher, WorkerReadiness.DEFAULT_INTERVAL);
		}

	}

}
