package dev.taskqueue.autoconfigure;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.context.properties.source.MutuallyExclusiveConfigurationPropertiesException;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.taskqueue.SendOptions;
import dev.taskqueue.Task;
import dev.taskqueue.TaskContext;
import dev.taskqueue.beat.BeatEntry;
import dev.taskqueue.beat.BeatListener;
import dev.taskqueue.beat.BeatSchedule;
import dev.taskqueue.beat.BeatScheduler;
import dev.taskqueue.beat.BeatStore;
import dev.taskqueue.beat.CatchUp;
import dev.taskqueue.beat.CronSchedule;
import dev.taskqueue.beat.InMemoryBeatStore;
import dev.taskqueue.beat.Periodic;
import dev.taskqueue.beat.Schedule;
import dev.taskqueue.micrometer.BeatMetricsListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The beat's wiring: off unless enabled, the entries of {@code taskqueue.beat.schedule} exactly as the issue
 * writes them, start-up failures naming the entry and the field, and a beat that runs its tasks once a second.
 */
class TaskQueueBeatAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, TaskQueueAutoConfiguration.class,
				TaskQueueBeatAutoConfiguration.class))
		.withPropertyValues("taskqueue.worker.enabled=false");

	@Test
	void theBeatIsOffUnlessEnabled() {
		this.runner.run((context) -> {
			assertThat(context).doesNotHaveBean(BeatScheduler.class);
			assertThat(context).doesNotHaveBean(BeatStore.class);
		});
		this.runner.withPropertyValues("taskqueue.beat.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(BeatScheduler.class));
	}

	@Test
	void theEntriesOfConfigurationAreTheSchedule() {
		this.runner
			.withPropertyValues("taskqueue.beat.enabled=true", "taskqueue.beat.timezone=Europe/Paris",
					"taskqueue.beat.schedule.nightly-report.task=reports.render",
					"taskqueue.beat.schedule.nightly-report.cron=0 7 * * mon-fri",
					"taskqueue.beat.schedule.nightly-report.args[0]=42",
					"taskqueue.beat.schedule.nightly-report.kwargs.format=pdf",
					"taskqueue.beat.schedule.nightly-report.queue=reports",
					"taskqueue.beat.schedule.nightly-report.priority=5",
					"taskqueue.beat.schedule.nightly-report.expires=10m",
					"taskqueue.beat.schedule.nightly-report.catch-up=skip",
					"taskqueue.beat.schedule.heartbeat.task=sample.echo",
					"taskqueue.beat.schedule.heartbeat.every=30s", "taskqueue.beat.schedule.heartbeat.args=tick")
			.run((context) -> {
				assertThat(context).hasSingleBean(BeatScheduler.class).hasSingleBean(InMemoryBeatStore.class);
				BeatSchedule beat = context.getBean(BeatSchedule.class);
				assertThat(beat.timezone()).isEqualTo(ZoneId.of("Europe/Paris"));
				assertThat(beat.entries()).containsOnlyKeys("nightly-report", "heartbeat");
				assertThat(beat.entries().get("nightly-report")).isEqualTo(BeatEntry
					.of("nightly-report", "reports.render", CronSchedule.parse("0 7 * * mon-fri", ZoneId.of("Europe/Paris")))
					// a property value is text; a YAML number would stay a number
					.withArgs(List.of("42"))
					.withKwargs(Map.of("format", "pdf"))
					.withOptions(SendOptions.defaults().withQueue("reports").withPriority(5)
						.withExpires(Duration.ofMinutes(10)))
					.withCatchUp(CatchUp.SKIP));
				assertThat(beat.entries().get("heartbeat")).isEqualTo(
						BeatEntry.of("heartbeat", "sample.echo", Schedule.every(Duration.ofSeconds(30)))
							.withArgs(List.of("tick")));
			});
	}

	@Test
	void anUnparsableCronFailsTheStartUpNamingTheEntryAndTheField() {
		this.runner
			.withPropertyValues("taskqueue.beat.enabled=true", "taskqueue.beat.schedule.nightly.task=reports.render",
					"taskqueue.beat.schedule.nightly.cron=0 7 * * someday")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, (ex) -> {
					assertThat(ex.getName()).isEqualTo("taskqueue.beat.schedule.nightly.cron");
					assertThat(ex.getValue()).isEqualTo("0 7 * * someday");
					assertThat(ex.getReason()).startsWith("The day_of_week field 'someday'");
				}));
	}

	@Test
	void anEntryWithoutATaskFailsTheStartUpNamingIt() {
		this.runner
			.withPropertyValues("taskqueue.beat.enabled=true", "taskqueue.beat.schedule.nightly.cron=0 7 * * *")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class,
						(ex) -> assertThat(ex.getName()).isEqualTo("taskqueue.beat.schedule.nightly.task")));
	}

	@Test
	void anEntryWithBothCronAndEveryFailsTheStartUpNamingBoth() {
		this.runner
			.withPropertyValues("taskqueue.beat.enabled=true", "taskqueue.beat.schedule.nightly.task=reports.render",
					"taskqueue.beat.schedule.nightly.cron=0 7 * * *", "taskqueue.beat.schedule.nightly.every=1h")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOfSatisfying(MutuallyExclusiveConfigurationPropertiesException.class,
						(ex) -> assertThat(ex.getConfiguredNames()).containsExactlyInAnyOrder(
								"taskqueue.beat.schedule.nightly.cron", "taskqueue.beat.schedule.nightly.every")));
	}

	@Test
	void anEntryWithNeitherCronNorEveryFailsTheStartUp() {
		this.runner
			.withPropertyValues("taskqueue.beat.enabled=true", "taskqueue.beat.schedule.nightly.task=reports.render")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class,
						(ex) -> assertThat(ex.getReason()).contains("needs a schedule")));
	}

	@Test
	void theBeatRunsItsTasksOnceASecondAndListenersHearOfIt() {
		this.runner.withUserConfiguration(Tasks.class)
			.withPropertyValues("taskqueue.worker.enabled=true", "taskqueue.worker.shutdown-timeout=1s",
					"taskqueue.beat.enabled=true", "taskqueue.beat.schedule.tick.task=beat.echo",
					"taskqueue.beat.schedule.tick.every=1s", "taskqueue.beat.schedule.tick.args=tick")
			.run((context) -> {
				Tasks tasks = context.getBean(Tasks.class);
				await().atMost(Duration.ofSeconds(15)).until(() -> tasks.echoed.size() >= 3);
				assertThat(tasks.echoed).allSatisfy((echo) -> assertThat(echo).isEqualTo("tick"));
				assertThat(tasks.ids).doesNotHaveDuplicates();
				assertThat(tasks.sent).hasSizeGreaterThanOrEqualTo(3);
				// the @Periodic task is in the schedule too
				assertThat(context.getBean(BeatSchedule.class).entries()).containsKey("beat.periodic");
				assertThat(context.getBean(BeatScheduler.class).status().leading()).isTrue();
			});
	}

	@Test
	void theSendsAreCountedWhenTheApplicationHasAMeterRegistry() {
		this.runner.withBean(SimpleMeterRegistry.class)
			.withPropertyValues("taskqueue.beat.enabled=true", "taskqueue.beat.schedule.tick.task=beat.echo",
					"taskqueue.beat.schedule.tick.every=1s")
			.run((context) -> {
				assertThat(context).hasSingleBean(BeatMetricsListener.class);
				SimpleMeterRegistry registry = context.getBean(SimpleMeterRegistry.class);
				await().atMost(Duration.ofSeconds(15))
					.until(() -> registry.find("taskqueue.beat.sent").tag("entry", "tick").counter() != null
							&& registry.get("taskqueue.beat.sent").counter().count() >= 2);
			});
		this.runner.withPropertyValues("taskqueue.beat.enabled=true")
			.run((context) -> assertThat(context).doesNotHaveBean(BeatMetricsListener.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class Tasks {

		final List<String> echoed = new CopyOnWriteArrayList<>();

		final List<String> ids = new CopyOnWriteArrayList<>();

		final List<Instant> sent = new CopyOnWriteArrayList<>();

		@Task("beat.echo")
		String echo(String text) {
			this.echoed.add(text);
			this.ids.add(TaskContext.current().taskId());
			return text;
		}

		@Task("beat.periodic")
		@Periodic(cron = "0 0 1 1 *")
		void periodic() {
		}

		@Bean
		BeatListener recordingListener() {
			return new BeatListener() {

				@Override
				public void sent(BeatEntry entry, Instant scheduledAt, String taskId) {
					Tasks.this.sent.add(scheduledAt);
				}

			};
		}

	}

}
