package dev.taskqueue.worker;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.taskqueue.AsyncResult;
import dev.taskqueue.Task;
import dev.taskqueue.TaskClient;
import dev.taskqueue.TaskFailedException;
import dev.taskqueue.autoconfigure.TaskQueueAutoConfiguration;
import dev.taskqueue.broker.Broker;
import dev.taskqueue.protocol.TaskMessage;
import dev.taskqueue.protocol.TimeLimit;
import dev.taskqueue.serialization.TaskMessageConverter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Soft limits interrupt the task; hard limits abandon it, record the failure and keep the worker's
 * concurrency by replacing the thread the task still holds.
 */
class TimeLimitTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, TaskQueueAutoConfiguration.class))
		.withUserConfiguration(TasksConfiguration.class)
		.withPropertyValues("taskqueue.worker.concurrency=1", "taskqueue.worker.prefetch=4",
				"taskqueue.worker.shutdown-timeout=1s");

	@Test
	void theSoftLimitInterruptsTheTaskWhichCanCleanUpAndReturn() {
		this.runner.run((context) -> {
			assertThat(client(context).send("limits.tidy").get(WAIT)).isEqualTo("cleaned up");
		});
	}

	@Test
	void aTaskThatFailsAfterTheSoftLimitFailsWithSoftTimeLimitExceeded() {
		this.runner.run((context) -> {
			assertThatExceptionOfType(TaskFailedException.class)
				.isThrownBy(() -> client(context).send("limits.careless").get(WAIT))
				.satisfies((ex) -> {
					assertThat(ex.getFailure().type()).isEqualTo("celery.exceptions.SoftTimeLimitExceeded");
					assertThat(ex.getFailure().message()).contains("soft time limit (PT0.2S) exceeded");
				});
		});
	}

	@Test
	void theHardLimitAbandonsTheTaskAndTheWorkerKeepsItsConcurrency() {
		this.runner.run((context) -> {
			Tasks tasks = context.getBean(Tasks.class);
			AsyncResult<Object> stuck = client(context).send("limits.stubborn");
			assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> stuck.get(WAIT))
				.satisfies((ex) -> assertThat(ex.getFailure().type()).isEqualTo("celery.exceptions.TimeLimitExceeded"));
			Worker worker = context.getBean(Workers.class).getWorkers().get(0);
			assertThat(worker.poolSize()).isEqualTo(2);
			// the stuck task still holds its thread, and the next task runs all the same
			assertThat(client(context).send("limits.quick").get(WAIT)).isEqualTo("quick");
			assertThat(tasks.stubbornReturned.getCount()).isEqualTo(1);
			tasks.release.countDown();
			assertThat(tasks.stubbornReturned.await(10, TimeUnit.SECONDS)).isTrue();
			await().atMost(WAIT).until(() -> worker.poolSize() == 1);
			// what the abandoned task returned late is not stored over its failure
			assertThat(stuck.failure()).hasValueSatisfying(
					(failure) -> assertThat(failure.type()).isEqualTo("celery.exceptions.TimeLimitExceeded"));
		});
	}

	@Test
	void aCeleryTimelimitHeaderIsHonoured() {
		this.runner.run((context) -> {
			String id = UUID.randomUUID().toString();
			TaskMessage message = new TaskMessage(id, "limits.sleepy", "py", null, null, null, null, null, 0,
					new TimeLimit(null, Duration.ofMillis(200)), id, null, "()", "{}", "gen1@test", false, Map.of(),
					List.of(), Map.of(), null);
			context.getBean(Broker.class)
				.publish("celery", context.getBean(TaskMessageConverter.class).toEnvelope(message, "json", null, 0));
			assertThat(client(context).result(id).get(WAIT)).isEqualTo("interrupted");
		});
	}

	@Test
	void aTimelimitHeaderOfZeroOrLessIsNoLimitAndTheTasksOwnLimitsApply() {
		this.runner.run((context) -> {
			// as Celery: a limit that is not positive is no limit; the task's own soft limit (200 ms) applies
			String tidy = publish(context, "limits.tidy", new TimeLimit(Duration.ZERO, Duration.ofSeconds(-1)));
			assertThat(client(context).result(tidy).get(WAIT)).isEqualTo("cleaned up");
			String quick = publish(context, "limits.quick", new TimeLimit(Duration.ofSeconds(-1), Duration.ZERO));
			assertThat(client(context).result(quick).get(WAIT)).isEqualTo("quick");
		});
	}

	private static String publish(AssertableApplicationContext context, String task, TimeLimit limits) {
		String id = UUID.randomUUID().toString();
		TaskMessage message = new TaskMessage(id, task, "py", null, null, null, null, null, 0, limits, id, null, "()",
				"{}", "gen1@test", false, Map.of(), List.of(), Map.of(), null);
		context.getBean(Broker.class)
			.publish("celery", context.getBean(TaskMessageConverter.class).toEnvelope(message, "json", null, 0));
		return id;
	}

	private static TaskClient client(AssertableApplicationContext context) {
		return context.getBean(TaskClient.class);
	}

	static class Tasks {

		final CountDownLatch release = new CountDownLatch(1);

		final CountDownLatch stubbornReturned = new CountDownLatch(1);

		@Task(name = "limits.tidy", softTimeLimit = "200ms")
		String tidy() {
			try {
				Thread.sleep(10_000);
				return "slept";
			}
			catch (InterruptedException ex) {
				return "cleaned up";
			}
		}

		@Task(name = "limits.careless", softTimeLimit = "200ms")
		String careless() throws InterruptedException {
			Thread.sleep(10_000);
			return "slept";
		}

		@Task(name = "limits.stubborn", timeLimit = "300ms")
		String stubborn() {
			// ignores interrupts until released, as code stuck in a blocking call would
			while (true) {
				try {
					this.release.await();
					this.stubbornReturned.countDown();
					return "late";
				}
				catch (InterruptedException ex) {
					// keep waiting
				}
			}
		}

		@Task("limits.quick")
		String quick() {
			return "quick";
		}

		@Task("limits.sleepy")
		String sleepy() {
			try {
				Thread.sleep(10_000);
				return "slept";
			}
			catch (InterruptedException ex) {
				return "interrupted";
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TasksConfiguration {

		@Bean
		Tasks tasks() {
			return new Tasks();
		}

	}

}
