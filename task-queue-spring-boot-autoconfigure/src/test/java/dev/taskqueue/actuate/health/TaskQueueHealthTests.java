package dev.taskqueue.actuate.health;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.event.ContextClosedEvent;

import dev.taskqueue.actuate.ActuatorTasks;
import dev.taskqueue.actuate.DetachableBroker;
import dev.taskqueue.autoconfigure.TaskQueueAutoConfiguration;
import dev.taskqueue.autoconfigure.TaskQueueHealthContributorAutoConfiguration;
import dev.taskqueue.worker.Workers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What each entry of {@code taskQueue} says as the broker comes and goes, a queue is paused and the workers shut
 * down, and how the application's readiness follows (its liveness never does). The broker is the in-memory one,
 * cut off as a network would cut it; the real outages are {@code RedisHealthIT} and {@code RabbitHealthIT}.
 */
@SuppressWarnings("unchecked")
class TaskQueueHealthTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, TaskQueueAutoConfiguration.class,
				ApplicationAvailabilityAutoConfiguration.class, TaskQueueHealthContributorAutoConfiguration.class))
		.withBean(DetachableBroker.class)
		.withBean(ActuatorTasks.class)
		.withPropertyValues("taskqueue.worker.name=health", "taskqueue.worker.queues=celery,reports",
				"taskqueue.worker.concurrency=2", "taskqueue.worker.shutdown-timeout=1s");

	@Test
	void aConnectedBrokerAndConsumingWorkersAreUpWithTheirDetails() {
		this.runner.run((context) -> {
			Health broker = entry(context, "broker");
			assertThat(broker.getStatus()).isEqualTo(Status.UP);
			assertThat(broker.getDetails()).containsEntry("server", "memory")
				.containsEntry("type", "DetachableBroker")
				.containsEntry("consumers", Map.of("celery", true, "reports", true));
			assertThat(entry(context, "resultBackend").getStatus()).isEqualTo(Status.UP);
			Health workers = entry(context, "workers");
			assertThat(workers.getStatus()).isEqualTo(Status.UP);
			assertThat(workers.getDetails()).containsOnlyKeys("health");
			assertThat((Map<String, Object>) workers.getDetails().get("health")).containsEntry("running", true)
				.containsEntry("consuming", Map.of("celery", true, "reports", true))
				.containsEntry("concurrency", 2)
				.containsEntry("prefetch", 8)
				.containsEntry("active", 0)
				.doesNotContainKey("paused");
		});
	}

	@Test
	void aBrokerThatGoesAwayIsDownWithTheReasonAndUpAgainOnceItIsBack() {
		this.runner.run((context) -> {
			DetachableBroker broker = context.getBean(DetachableBroker.class);
			broker.detach(true);
			Health down = entry(context, "broker");
			assertThat(down.getStatus()).isEqualTo(Status.DOWN);
			assertThat(down.getDetails()).containsEntry("error", "memory broker detached")
				.containsEntry("consumers", Map.of("celery", false, "reports", false));
			assertThat(entry(context, "workers").getStatus()).isEqualTo(Status.DOWN);
			broker.detach(false);
			assertThat(entry(context, "broker").getStatus()).isEqualTo(Status.UP);
			assertThat(entry(context, "workers").getStatus()).isEqualTo(Status.UP);
		});
	}

	@Test
	void aPausedQueueIsNoLostConsumer() {
		this.runner.run((context) -> {
			context.getBean(Workers.class).pause("reports");
			Health workers = entry(context, "workers");
			assertThat(workers.getStatus()).isEqualTo(Status.UP);
			assertThat((Map<String, Object>) workers.getDetails().get("health"))
				.containsEntry("consuming", Map.of("celery", true, "reports", false))
				.containsEntry("paused", java.util.List.of("reports"));
			assertThat(entry(context, "broker").getDetails()).containsEntry("consumers",
					Map.of("celery", true, "reports", false));
		});
	}

	@Test
	void workersShuttingDownAreOutOfServiceNotDown() {
		this.runner.run((context) -> {
			context.getBean(WorkersShutdown.class).onApplicationEvent(new ContextClosedEvent(context.getSourceApplicationContext()));
			// their consumers are cancelled on purpose
			context.getBean(DetachableBroker.class).detach(true);
			Health workers = entry(context, "workers");
			assertThat(workers.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
			assertThat(workers.getDetails()).containsEntry("shuttingDown", true);
		});
	}

	@Test
	void theClosingOfAnotherContextIsNotTheWorkersShutdown() {
		this.runner.run((context) -> {
			this.runner.run((other) -> context.getBean(WorkersShutdown.class)
				.onApplicationEvent(new ContextClosedEvent(other.getSourceApplicationContext())));
			assertThat(context.getBean(WorkersShutdown.class).isShuttingDown()).isFalse();
		});
	}

	@Test
	void readinessIsRefusedWhileTheWorkersHaveLostTheirConsumersAndGivenBackAfterwards() {
		this.runner.run((context) -> {
			ApplicationAvailability availability = context.getBean(ApplicationAvailability.class);
			WorkerReadiness readiness = context.getBean(WorkerReadiness.class);
			ready(context);
			readiness.check();
			assertThat(availability.getReadinessState()).isEqualTo(ReadinessState.ACCEPTING_TRAFFIC);
			context.getBean(DetachableBroker.class).detach(true);
			readiness.check();
			assertThat(availability.getReadinessState()).isEqualTo(ReadinessState.REFUSING_TRAFFIC);
			assertThat(availability.getLivenessState()).isEqualTo(LivenessState.CORRECT);
			context.getBean(DetachableBroker.class).detach(false);
			readiness.check();
			assertThat(availability.getReadinessState()).isEqualTo(ReadinessState.ACCEPTING_TRAFFIC);
		});
	}

	@Test
	void aPausedQueueKeepsTheApplicationReady() {
		this.runner.run((context) -> {
			ready(context);
			context.getBean(Workers.class).pause("celery");
			context.getBean(WorkerReadiness.class).check();
			assertThat(context.getBean(ApplicationAvailability.class).getReadinessState())
				.isEqualTo(ReadinessState.ACCEPTING_TRAFFIC);
		});
	}

	@Test
	void readinessRefusedByAnotherPartOfTheApplicationIsLeftAlone() {
		this.runner.run((context) -> {
			AvailabilityChangeEvent.publish(context, ReadinessState.REFUSING_TRAFFIC);
			context.getBean(WorkerReadiness.class).check();
			assertThat(context.getBean(ApplicationAvailability.class).getReadinessState())
				.isEqualTo(ReadinessState.REFUSING_TRAFFIC);
		});
	}

	@Test
	void workersShuttingDownAreNotReady() {
		this.runner.run((context) -> {
			ready(context);
			context.getBean(WorkerReadiness.class).onApplicationEvent(new ContextClosedEvent(context.getSourceApplicationContext()));
			assertThat(context.getBean(ApplicationAvailability.class).getReadinessState())
				.isEqualTo(ReadinessState.REFUSING_TRAFFIC);
			assertThat(context.getBean(ApplicationAvailability.class).getLivenessState())
				.isEqualTo(LivenessState.CORRECT);
		});
	}

	private static void ready(AssertableApplicationContext context) {
		// what SpringApplication publishes once the application has started
		AvailabilityChangeEvent.publish(context, LivenessState.CORRECT);
		AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
	}

	private static Health entry(AssertableApplicationContext context, String name) {
		CompositeHealthContributor taskQueue = context.getBean("taskQueueHealthContributor",
				CompositeHealthContributor.class);
		return ((HealthIndicator) taskQueue.getContributor(name)).health();
	}

}
