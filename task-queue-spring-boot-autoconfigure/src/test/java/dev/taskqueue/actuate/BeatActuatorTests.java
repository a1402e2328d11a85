package dev.taskqueue.actuate;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.health.actuate.endpoint.CompositeHealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.IndicatedHealthDescriptor;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.taskqueue.actuate.endpoint.TaskQueueEndpoint;
import dev.taskqueue.actuate.endpoint.TaskQueueReport;
import dev.taskqueue.autoconfigure.TaskQueueAutoConfiguration;
import dev.taskqueue.autoconfigure.TaskQueueBeatAutoConfiguration;
import dev.taskqueue.autoconfigure.TaskQueueEndpointAutoConfiguration;
import dev.taskqueue.autoconfigure.TaskQueueHealthContributorAutoConfiguration;
import dev.taskqueue.beat.BeatStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The beat in the actuator: a {@code beat} entry in the {@code taskQueue} health, and a {@code beat} part in the
 * {@code taskqueue} endpoint with the leader and each entry's last and next run; neither where the beat is off.
 */
class BeatActuatorTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, TaskQueueAutoConfiguration.class,
				TaskQueueBeatAutoConfiguration.class, ApplicationAvailabilityAutoConfiguration.class,
				HealthContributorAutoConfiguration.class, HealthContributorRegistryAutoConfiguration.class,
				HealthEndpointAutoConfiguration.class, TaskQueueHealthContributorAutoConfiguration.class,
				TaskQueueEndpointAutoConfiguration.class))
		.withPropertyValues("taskqueue.worker.enabled=false", "management.endpoint.health.show-details=always",
				"management.endpoints.web.exposure.include=health,taskqueue");

	@Test
	void theHealthHasABeatEntryThatSaysItLeads() {
		this.runner.withPropertyValues("taskqueue.beat.enabled=true", "taskqueue.beat.schedule.tick.task=sample.echo",
				"taskqueue.beat.schedule.tick.every=1s")
			.run((context) -> {
				HealthEndpoint endpoint = context.getBean(HealthEndpoint.class);
				await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
					HealthDescriptor taskQueue = endpoint.healthForPath("taskQueue");
					HealthDescriptor beat = ((CompositeHealthDescriptor) taskQueue).getComponents().get("beat");
					assertThat(beat.getStatus()).isEqualTo(Status.UP);
					assertThat(((IndicatedHealthDescriptor) beat).getDetails()).containsEntry("leading", true)
						.containsEntry("entries", 1);
				});
			});
	}

	@Test
	void theEndpointShowsTheLeaderAndEachEntrysLastAndNextRun() {
		this.runner.withPropertyValues("taskqueue.beat.enabled=true", "taskqueue.beat.schedule.tick.task=sample.echo",
				"taskqueue.beat.schedule.tick.every=1s")
			.run((context) -> {
				TaskQueueEndpoint endpoint = context.getBean(TaskQueueEndpoint.class);
				await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
					BeatStatus beat = endpoint.report().beat();
					assertThat(beat.leading()).isTrue();
					assertThat(beat.entries()).singleElement().satisfies((entry) -> {
						assertThat(entry.name()).isEqualTo("tick");
						assertThat(entry.lastRun()).isNotNull();
						assertThat(entry.nextRun()).isEqualTo(entry.lastRun().plusSeconds(1));
					});
				});
				Map<?, ?> section = (Map<?, ?>) endpoint.section("beat");
				assertThat(section.get("beat")).isInstanceOf(BeatStatus.class);
			});
	}

	@Test
	void neitherHasABeatPartWhereTheBeatIsOff() {
		this.runner.run((context) -> {
			HealthDescriptor taskQueue = context.getBean(HealthEndpoint.class).healthForPath("taskQueue");
			assertThat(((CompositeHealthDescriptor) taskQueue).getComponents()).doesNotContainKey("beat");
			TaskQueueEndpoint endpoint = context.getBean(TaskQueueEndpoint.class);
			TaskQueueReport report = endpoint.report();
			assertThat(report.beat()).isNull();
			assertThat(endpoint.section("beat")).isNull();
		});
	}

}
