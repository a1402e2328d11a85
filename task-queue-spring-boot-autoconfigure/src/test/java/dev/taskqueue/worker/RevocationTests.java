package dev.taskqueue.worker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.taskqueue.AsyncResult;
import dev.taskqueue.MovableClock;
import dev.taskqueue.SendOptions;
import dev.taskqueue.Task;
import dev.taskqueue.TaskClient;
import dev.taskqueue.TaskRevokedException;
import dev.taskqueue.TaskState;
import dev.taskqueue.autoconfigure.TaskQueueAutoConfiguration;
import dev.taskqueue.control.TaskControl;
import dev.taskqueue.revoke.InMemoryRevocations;
import dev.taskqueue.revoke.Revocations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Revocation with the in-memory broker: a revoked task is not run, and a terminating revocation
 * interrupts a running one whose outcome stays REVOKED.
 */
class RevocationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, TaskQueueAutoConfiguration.class))
		.withUserConfiguration(TasksConfiguration.class)
		.withPropertyValues("taskqueue.worker.concurrency=1", "taskqueue.worker.shutdown-timeout=1s");

	@Test
	void aTaskRevokedBeforeItStartsIsNotRun() {
		this.runner.run((context) -> {
			Tasks tasks = context.getBean(Tasks.class);
			TaskClient client = context.getBean(TaskClient.class);
			AsyncResult<Object> blocker = client.send("revoke.block");
			assertThat(tasks.blocking.await(10, TimeUnit.SECONDS)).isTrue();
			AsyncResult<Object> revoked = client.send("revoke.count");
			context.getBean(TaskControl.class).revoke(revoked.id());
			tasks.release.countDown();
			assertThat(blocker.get(WAIT)).isEqualTo("released");
			// one worker thread, in order: once this ran, the revoked one was met and skipped
			assertThat(client.send("revoke.count").get(WAIT)).isEqualTo(1);
			assertThat(tasks.counted).hasValue(1);
			assertThat(revoked.state()).isEqualTo(TaskState.REVOKED);
			assertThatExceptionOfType(TaskRevokedException.class).isThrownBy(() -> revoked.get(WAIT));
		});
	}

	@Test
	void aTerminatingRevocationInterruptsTheRunningTaskAndItStaysRevoked() {
		this.runner.run((context) -> {
			Tasks tasks = context.getBean(Tasks.class);
			AsyncResult<Object> running = context.getBean(TaskClient.class).send("revoke.block");
			assertThat(tasks.blocking.await(10, TimeUnit.SECONDS)).isTrue();
			context.getBean(TaskControl.class).revoke(running.id(), true);
			assertThat(tasks.interrupted.await(10, TimeUnit.SECONDS)).isTrue();
			assertThatExceptionOfType(TaskRevokedException.class).isThrownBy(() -> running.get(WAIT));
			// the worker goes on with the next task, its thread no longer interrupted
			assertThat(context.getBean(TaskClient.class).send("revoke.count").get(WAIT)).isEqualTo(1);
			assertThat(running.state()).isEqualTo(TaskState.REVOKED);
		});
	}

	@Test
	void theMemoryBrokerKeepsRevocationsInTheApplication() {
		this.runner.withPropertyValues("taskqueue.worker.revocation-window=1m").run((context) -> {
			assertThat(context.getBean(Revocations.class)).isInstanceOf(InMemoryRevocations.class);
			assertThat(context).hasSingleBean(TaskControl.class);
		});
	}

	@Test
	void aWorkerStartedAfterTheRevocationSkipsTheTask() {
		// the cluster's revocations (Redis or RabbitMQ in production) knew of it before this worker existed
		Revocations cluster = new InMemoryRevocations(Duration.ofHours(3), Clock.systemUTC());
		cluster.revoke("revoked-before-start", false);
		this.runner.withBean(Revocations.class, () -> cluster).run((context) -> {
			Tasks tasks = context.getBean(Tasks.class);
			TaskClient client = context.getBean(TaskClient.class);
			AsyncResult<Object> revoked = client
				.withOptions(SendOptions.defaults().withTaskId("revoked-before-start"))
				.send("revoke.count");
			assertThatExceptionOfType(TaskRevokedException.class).isThrownBy(() -> revoked.get(WAIT));
			// one worker thread, in order: once this ran, the revoked one was met and skipped
			assertThat(client.send("revoke.count").get(WAIT)).isEqualTo(1);
			assertThat(tasks.counted).hasValue(1);
		});
	}

	@Test
	void aRevocationGateSeesTheRevocationsMadeBeforeItWasMade() {
		Revocations shared = new InMemoryRevocations(Duration.ofHours(3), Clock.systemUTC());
		shared.revoke("revoked-before-start", false);
		RevocationGate gate = new RevocationGate(shared);
		assertThat(gate.isRevoked("revoked-before-start")).isTrue();
		assertThat(gate.isRevoked("another")).isFalse();
	}

	@Test
	void revocationsOlderThanTheWindowAreForgotten() {
		MovableClock clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));
		Revocations revocations = new InMemoryRevocations(Duration.ofHours(3), clock);
		revocations.revoke("old", false);
		clock.advance(Duration.ofHours(3));
		assertThat(revocations.isRevoked("old")).isTrue();
		clock.advance(Duration.ofSeconds(1));
		assertThat(revocations.isRevoked("old")).isFalse();
	}

	static class Tasks {

		final CountDownLatch blocking = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		final CountDownLatch interrupted = new CountDownLatch(1);

		final AtomicInteger counted = new AtomicInteger();

		@Task("revoke.block")
		String block() {
			this.blocking.countDown();
			try {
				this.release.await();
				return "released";
			}
			catch (InterruptedException ex) {
				this.interrupted.countDown();
				// returns normally, as a task catching the interrupt would: its outcome is REVOKED all the same
				return "interrupted";
			}
		}

		@Task("revoke.count")
		int count() {
			return this.counted.incrementAndGet();
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
