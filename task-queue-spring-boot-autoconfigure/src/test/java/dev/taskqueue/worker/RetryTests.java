package dev.taskqueue.worker;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

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
import dev.taskqueue.TaskContext;
import dev.taskqueue.TaskFailedException;
import dev.taskqueue.TaskState;
import dev.taskqueue.autoconfigure.TaskQueueAutoConfiguration;
import dev.taskqueue.broker.DeadLetter;
import dev.taskqueue.broker.DeadLetterQueue;
import dev.taskqueue.broker.memory.InMemoryBroker;
import dev.taskqueue.protocol.IsoTime;
import dev.taskqueue.registry.RetryPolicy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Retries as Celery does them: same id, one more retry, published with an eta, RETRY stored, FAILURE with
 * the last exception once exhausted. Waits are read from the messages' eta headers, not measured by sleeping.
 */
class RetryTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, TaskQueueAutoConfiguration.class))
		.withUserConfiguration(TasksConfiguration.class)
		.withPropertyValues("taskqueue.worker.concurrency=2", "taskqueue.worker.shutdown-timeout=1s");

	@Test
	void autoretryWithExponentialBackoffThenSuccess() {
		this.runner.run((context) -> {
			Tasks tasks = context.getBean(Tasks.class);
			AsyncResult<Object> flaky = client(context).send("retry.flaky", 3);
			assertThat(flaky.get(WAIT)).isEqualTo("ok after 3 retries");
			assertThat(tasks.runs).extracting(Run::retries).containsExactly(0, 1, 2, 3);
			assertThat(tasks.runs).extracting(Run::id).containsOnly(flaky.id());
			// the eta of each retry is 200 ms, 400 ms, 800 ms after the run that failed (backoff 200ms, no jitter)
			for (int i = 1; i < tasks.runs.size(); i++) {
				Duration wait = Duration.between(tasks.runs.get(i - 1).ranAt(), tasks.runs.get(i).eta());
				// the eta is set when the run fails, a few ms after it started; a busy machine may add more
				assertThat(wait).isBetween(Duration.ofMillis(200L << (i - 1)), Duration.ofMillis((200L << (i - 1)) + 500));
				assertThat(tasks.runs.get(i).ranAt()).isAfterOrEqualTo(tasks.runs.get(i).eta());
			}
		});
	}

	@Test
	void exhaustedRetriesFailWithTheLastException() {
		this.runner.run((context) -> {
			Tasks tasks = context.getBean(Tasks.class);
			AsyncResult<Object> hopeless = client(context).send("retry.flaky", 100);
			assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> hopeless.get(WAIT))
				.satisfies((ex) -> {
					assertThat(ex.getFailure().type()).isEqualTo("java.io.UncheckedIOException");
					assertThat(ex.getFailure().message()).isEqualTo("java.io.IOException: try 3 failed");
				});
			// the first run and its three retries (maxRetries = 3)
			assertThat(tasks.runs).extracting(Run::retries).containsExactly(0, 1, 2, 3);
			// acknowledged, as Celery does, unless asked otherwise
			assertThat(context.getBean(InMemoryBroker.class).deadLetters()).isEmpty();
		});
	}

	@Test
	void exhaustedRetriesAreDeadLetteredWhenTheTaskSaysSoAndFailureIsStillStored() {
		this.runner.run((context) -> {
			AsyncResult<Object> doomed = client(context).send("retry.doomed");
			assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> doomed.get(WAIT))
				.satisfies((ex) -> assertThat(ex.getFailure().message()).isEqualTo("java.io.IOException: try 2 failed"));
			DeadLetterQueue deadLetters = context.getBean(DeadLetterQueue.class);
			await().atMost(WAIT).until(() -> deadLetters.listDeadLetters(null, 10).size() == 1);
			DeadLetter letter = deadLetters.listDeadLetters(null, 10).get(0);
			assertThat(letter.queue()).isEqualTo("celery");
			assertThat(letter.reason())
				.isEqualTo("retries exhausted (2 of 2): java.io.UncheckedIOException: java.io.IOException: try 2 failed");
			// the message of the last run, as it was received
			assertThat(letter.envelope().correlationId()).isEqualTo(doomed.id());
			assertThat(letter.envelope().headers()).containsEntry("retries", 2);
		});
	}

	@Test
	void theWorkerDefaultDeadLettersExhaustedRetriesOfEveryTaskThatDoesNotSayOtherwise() {
		this.runner
			.withPropertyValues("taskqueue.worker.on-retries-exhausted=dead-letter",
					"taskqueue.tasks.[retry.explicit].max-retries=0",
					"taskqueue.tasks.[retry.kept].on-retries-exhausted=fail")
			.run((context) -> {
				DeadLetterQueue deadLetters = context.getBean(DeadLetterQueue.class);
				assertThatExceptionOfType(TaskFailedException.class)
					.isThrownBy(() -> client(context).send("retry.flaky", 100).get(WAIT));
				// an explicit retry counts, an exception that is not retried does not, and YAML wins over the default
				assertThatExceptionOfType(TaskFailedException.class)
					.isThrownBy(() -> client(context).send("retry.explicit").get(WAIT));
				assertThatExceptionOfType(TaskFailedException.class)
					.isThrownBy(() -> client(context).send("retry.wrong").get(WAIT));
				assertThatExceptionOfType(TaskFailedException.class)
					.isThrownBy(() -> client(context).send("retry.kept").get(WAIT));
				await().atMost(WAIT).until(() -> deadLetters.listDeadLetters(null, 10).size() == 2);
				await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> deadLetters.listDeadLetters(null, 10).size() == 2);
				assertThat(deadLetters.listDeadLetters(null, 10)).extracting((letter) -> letter.envelope().taskName())
					.containsExactlyInAnyOrder("retry.flaky", "retry.explicit");
				assertThat(deadLetters.listDeadLetters(null, 10)).extracting(DeadLetter::reason)
					.anySatisfy((reason) -> assertThat(reason).startsWith("retries exhausted (3 of 3): "))
					.anySatisfy((reason) -> assertThat(reason)
						.isEqualTo("retries exhausted (0 of 0): java.lang.IllegalStateException: busy"));
			});
	}

	@Test
	void anExceptionNotListedFailsAtOnce() {
		this.runner.run((context) -> {
			Tasks tasks = context.getBean(Tasks.class);
			assertThatExceptionOfType(TaskFailedException.class)
				.isThrownBy(() -> client(context).send("retry.wrong").get(WAIT))
				.satisfies((ex) -> assertThat(ex.getFailure().type()).isEqualTo("java.lang.IllegalStateException"));
			assertThat(tasks.runs).hasSize(1);
		});
	}

	@Test
	void anExplicitRetryWaitsItsCountdownAndShowsRetryMeanwhile() {
		this.runner.run((context) -> {
			Tasks tasks = context.getBean(Tasks.class);
			AsyncResult<Object> explicit = client(context).send("retry.explicit");
			await().atMost(WAIT).until(() -> explicit.state() == TaskState.RETRY);
			assertThat(explicit.ready()).isFalse();
			assertThat(explicit.failure()).hasValueSatisfying((failure) -> {
				assertThat(failure.type()).isEqualTo("java.lang.IllegalStateException");
				assertThat(failure.message()).isEqualTo("busy");
			});
			assertThat(explicit.get(WAIT)).isEqualTo(1);
			Duration wait = Duration.between(tasks.runs.get(0).ranAt(), tasks.runs.get(1).eta());
			assertThat(wait).isBetween(Duration.ofMillis(700), Duration.ofMillis(1200));
		});
	}

	@Test
	void yamlSettingsOverrideTheRetryPolicyOfTheAnnotation() {
		this.runner.withPropertyValues("taskqueue.tasks.[retry.flaky].max-retries=1").run((context) -> {
			Tasks tasks = context.getBean(Tasks.class);
			assertThatExceptionOfType(TaskFailedException.class)
				.isThrownBy(() -> client(context).send("retry.flaky", 100).get(WAIT));
			assertThat(tasks.runs).hasSize(2);
		});
	}

	@Test
	void backoffIsCappedAndJitterStaysWithinIt() {
		RetryPolicy exact = new RetryPolicy(null, null, null, Duration.ofSeconds(1), Duration.ofSeconds(5), false);
		assertThat(exact.countdown(0)).isEqualTo(Duration.ofSeconds(1));
		assertThat(exact.countdown(2)).isEqualTo(Duration.ofSeconds(4));
		assertThat(exact.countdown(3)).isEqualTo(Duration.ofSeconds(5));
		assertThat(exact.countdown(60)).isEqualTo(Duration.ofSeconds(5));
		RetryPolicy jittered = new RetryPolicy(null, null, null, Duration.ofSeconds(1), Duration.ofSeconds(5), null);
		for (int i = 0; i < 100; i++) {
			assertThat(jittered.countdown(2)).isBetween(Duration.ZERO, Duration.ofSeconds(4));
		}
		assertThat(RetryPolicy.DEFAULTS.countdown(5)).isEqualTo(Duration.ofMinutes(3));
		assertThat(RetryPolicy.DEFAULTS.retryLimit()).isEqualTo(3);
	}

	private static TaskClient client(AssertableApplicationContext context) {
		return context.getBean(TaskClient.class);
	}

	record Run(String id, int retries, Instant eta, Instant ranAt) {
	}

	static class Tasks {

		final List<Run> runs = new CopyOnWriteArrayList<>();

		final AtomicInteger explicitRuns = new AtomicInteger();

		@Task(name = "retry.flaky", autoretryFor = UncheckedIOException.class, maxRetries = 3, retryBackoff = "200ms",
				retryJitter = false)
		String flaky(int failures, TaskContext context) {
			record(context);
			if (context.retries() < failures) {
				throw new UncheckedIOException(new java.io.IOException("try " + context.retries() + " failed"));
			}
			return "ok after " + context.retries() + " retries";
		}

		@Task(name = "retry.wrong", autoretryFor = UncheckedIOException.class)
		void wrong(TaskContext context) {
			record(context);
			throw new IllegalStateException("not retried");
		}

		@Task(name = "retry.doomed", autoretryFor = UncheckedIOException.class, maxRetries = 2, retryBackoff = "10ms",
				retryJitter = false, onRetriesExhausted = Task.RetriesExhausted.DEAD_LETTER)
		void doomed(TaskContext context) {
			record(context);
			throw new UncheckedIOException(new java.io.IOException("try " + context.retries() + " failed"));
		}

		@Task(name = "retry.kept", autoretryFor = UncheckedIOException.class, maxRetries = 0,
				onRetriesExhausted = Task.RetriesExhausted.DEAD_LETTER)
		void kept(TaskContext context) {
			record(context);
			throw new UncheckedIOException(new java.io.IOException("kept"));
		}

		@Task("retry.explicit")
		int explicit(TaskContext context) {
			record(context);
			if (context.retries() == 0) {
				throw context.retry(new IllegalStateException("busy"), Duration.ofMillis(700));
			}
			return context.retries();
		}

		private void record(TaskContext context) {
			Object eta = context.headers().get("eta");
			this.runs.add(new Run(context.taskId(), context.retries(), (eta != null) ? IsoTime.parse((String) eta) : null,
					Instant.now()));
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
