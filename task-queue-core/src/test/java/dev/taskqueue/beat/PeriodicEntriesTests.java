package dev.taskqueue.beat;

import java.lang.reflect.Method;
import java.time.Duration;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

import dev.taskqueue.Task;
import dev.taskqueue.registry.TaskDefinition;
import dev.taskqueue.registry.TaskOptions;
import dev.taskqueue.registry.TaskRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@link Periodic @Periodic} on task methods: the entries it declares, and the start-up failures of a wrong one.
 */
class PeriodicEntriesTests {

	private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

	@Test
	void aCronOrAnIntervalOnATaskWithoutArgumentsIsAnEntryNamedAfterTheTask() {
		TaskRegistry registry = registry("nightly", "poll", "plain");
		assertThat(PeriodicEntries.of(registry, PARIS)).containsExactlyInAnyOrder(
				BeatEntry.of("reports.nightly", "reports.nightly", CronSchedule.parse("0 7 * * mon-fri", PARIS)),
				BeatEntry.of("every-five", "feeds.poll", Schedule.every(Duration.ofMinutes(5)))
					.withCatchUp(CatchUp.SKIP));
	}

	@Test
	void aPeriodicTaskWithParametersFailsNamingTheMethod() {
		assertThatIllegalStateException().isThrownBy(() -> PeriodicEntries.of(registry("withArgument"), PARIS))
			.withMessageStartingWith("@Periodic on ")
			.withMessageContaining("withArgument(String)")
			.withMessageContaining("takes no arguments");
	}

	@Test
	void bothCronAndEveryOrNeitherFail() {
		assertThatIllegalStateException().isThrownBy(() -> PeriodicEntries.of(registry("both"), PARIS))
			.withMessageContaining("give exactly one of cron and every");
		assertThatIllegalStateException().isThrownBy(() -> PeriodicEntries.of(registry("neither"), PARIS))
			.withMessageContaining("give exactly one of cron and every");
	}

	@Test
	void anUnreadableCronOrIntervalFailsNamingTheAttribute() {
		assertThatIllegalStateException().isThrownBy(() -> PeriodicEntries.of(registry("badCron"), PARIS))
			.withMessageContaining("cron is invalid: The day_of_week field 'someday'");
		assertThatIllegalStateException().isThrownBy(() -> PeriodicEntries.of(registry("badEvery"), PARIS))
			.withMessageContaining("every is invalid");
	}

	private static TaskRegistry registry(String... methods) {
		TaskRegistry registry = new TaskRegistry();
		Tasks bean = new Tasks();
		for (Method method : Tasks.class.getDeclaredMethods()) {
			for (String name : methods) {
				if (method.getName().equals(name)) {
					Task task = method.getAnnotation(Task.class);
					String taskName = (task != null && !task.value().isEmpty()) ? task.value() : name;
					registry.register(new TaskDefinition(taskName, bean, method, TaskOptions.of(task)));
				}
			}
		}
		return registry;
	}

	static class Tasks {

		@Task("reports.nightly")
		@Periodic(cron = "0 7 * * mon-fri")
		void nightly() {
		}

		@Task("feeds.poll")
		@Periodic(every = "5m", name = "every-five", catchUp = CatchUp.SKIP)
		void poll() {
		}

		@Task("plain")
		void plain() {
		}

		@Task("withArgument")
		@Periodic(every = "1m")
		void withArgument(String argument) {
		}

		@Task("both")
		@Periodic(cron = "* * * * *", every = "1m")
		void both() {
		}

		@Task("neither")
		@Periodic
		void neither() {
		}

		@Task("badCron")
		@Periodic(cron = "0 7 * * someday")
		void badCron() {
		}

		@Task("badEvery")
		@Periodic(every = "often")
		void badEvery() {
		}

	}

}
