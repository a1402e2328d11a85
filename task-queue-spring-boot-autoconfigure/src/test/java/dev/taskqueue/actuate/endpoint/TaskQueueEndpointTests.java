package dev.taskqueue.actuate.endpoint;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.taskqueue.AsyncResult;
import dev.taskqueue.TaskClient;
import dev.taskqueue.TaskState;
import dev.taskqueue.actuate.ActuatorTasks;
import dev.taskqueue.actuate.DetachableBroker;
import dev.taskqueue.autoconfigure.TaskQueueAutoConfiguration;
import dev.taskqueue.autoconfigure.TaskQueueEndpointAutoConfiguration;
import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.DeliveryHandler;
import dev.taskqueue.broker.Subscription;
import dev.taskqueue.broker.memory.InMemoryBroker;
import dev.taskqueue.protocol.Envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * What an operator reads and does through the {@code taskqueue} endpoint, on the in-memory broker: the workers and
 * their running tasks, the tasks' settings, depths, dead letters and revocations; pausing, purging, redriving and
 * revoking; and the answer, over HTTP, to what cannot be done. The same on Redis and RabbitMQ is
 * {@code RedisEndpointIT} and {@code RabbitEndpointIT}.
 */
class TaskQueueEndpointTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final ApplicationContextRunner withoutBroker = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, TaskQueueAutoConfiguration.class,
				TaskQueueEndpointAutoConfiguration.class))
		.withBean(ActuatorTasks.class)
		.withPropertyValues("management.endpoints.web.exposure.include=taskqueue", "taskqueue.worker.name=ops",
				"taskqueue.worker.queues=celery,tuned", "taskqueue.worker.concurrency=2",
				"taskqueue.worker.shutdown-timeout=1s");

	private final ApplicationContextRunner runner = this.withoutBroker.withBean(DetachableBroker.class);

	@Test
	void theReportShowsTheWorkersTheTasksTheQueuesAndTheRevocations() {
		this.runner.run((context) -> {
			TaskQueueReport report = endpoint(context).report();
			assertThat(report.workers()).singleElement().satisfies((worker) -> {
				assertThat(worker.name()).isEqualTo("ops");
				assertThat(worker.running()).isTrue();
				assertThat(worker.queues()).containsExactly("celery", "tuned");
				assertThat(worker.consuming()).isEqualTo(Map.of("celery", true, "tuned", true));
				assertThat(worker.concurrency()).isEqualTo(2);
				assertThat(worker.prefetch()).isEqualTo(8);
				assertThat(worker.active()).isEmpty();
			});
			assertThat(report.tasks()).containsOnlyKeys("actuate.add", "actuate.tuned", "actuate.hold");
			assertThat(report.queues()).containsOnlyKeys("celery", "tuned");
			assertThat(report.queues().get("celery")).isEqualTo(new TaskQueueReport.Queue(0L, 0L, true, null));
			assertThat(report.revoked()).isEmpty();
			assertThat(report.errors()).isEmpty();
		});
	}

	@Test
	void aTasksSettingsAreItsAnnotationsAsCeleryNamesThem() {
		this.runner.run((context) -> {
			TaskQueueReport.Task tuned = (TaskQueueReport.Task) endpoint(context).item("tasks", "actuate.tuned", null);
			assertThat(tuned.method()).isEqualTo("dev.taskqueue.actuate.ActuatorTasks.tuned(String)");
			assertThat(tuned.queue()).isEqualTo("tuned");
			assertThat(tuned.priority()).isEqualTo(5);
			assertThat(tuned.acksLate()).isFalse();
			assertThat(tuned.rateLimit()).isEqualTo("10/m");
			assertThat(tuned.timeLimit()).isEqualTo(30.0);
			assertThat(tuned.softTimeLimit()).isEqualTo(20.0);
			assertThat(tuned.expires()).isEqualTo(3600.0);
			assertThat(tuned.retry()).isEqualTo(new TaskQueueReport.Retry(List.of("java.lang.IllegalStateException"),
					5, 2.0, null, null, null));
			TaskQueueReport.Task add = (TaskQueueReport.Task) endpoint(context).item("tasks", "actuate.add", null);
			assertThat(add.queue()).isNull();
			// the workers' default, taskqueue.worker.acks-late
			assertThat(add.acksLate()).isTrue();
			assertThat(add.retry().maxRetries()).isEqualTo(3);
			assertThat(endpoint(context).item("tasks", "no.such.task", null)).isNull();
		});
	}

	@Test
	void aRunningTaskIsShownWithItsIdNameAndRuntime() {
		this.runner.run((context) -> {
			ActuatorTasks tasks = context.getBean(ActuatorTasks.class);
			tasks.release = new CountDownLatch(1);
			AsyncResult<Object> held = context.getBean(TaskClient.class).send("actuate.hold");
			assertThat(tasks.started.await(10, TimeUnit.SECONDS)).isTrue();
			TaskQueueReport.Worker worker = (TaskQueueReport.Worker) endpoint(context).item("workers", "ops", null);
			assertThat(worker.active()).singleElement().satisfies((active) -> {
				assertThat(active.id()).isEqualTo(held.id());
				assertThat(active.name()).isEqualTo("actuate.hold");
				assertThat(active.queue()).isEqualTo("celery");
				assertThat(active.runtime()).isGreaterThanOrEqualTo(0.0);
			});
			tasks.release.countDown();
			assertThat(held.get(WAIT)).isEqualTo("released");
		});
	}

	@Test
	void aPausedQueueFillsUpUntilItIsPurgedOrResumed() {
		this.runner.run((context) -> {
			TaskQueueEndpoint endpoint = endpoint(context);
			assertThat(endpoint.act("queues", "celery", "pause", null)).containsEntry("paused", true);
			TaskClient client = context.getBean(TaskClient.class);
			for (int i = 0; i < 3; i++) {
				client.send("actuate.add", 1, i);
			}
			TaskQueueReport.Queue celery = (TaskQueueReport.Queue) endpoint.item("queues", "celery", null);
			assertThat(celery.depth()).isEqualTo(3);
			assertThat(celery.consumed()).isFalse();
			assertThat(endpoint.report().workers().get(0).paused()).containsExactly("celery");
			assertThat(endpoint.act("queues", "celery", "purge", null)).containsEntry("purged", 3);
			assertThat(((TaskQueueReport.Queue) endpoint.item("queues", "celery", null)).depth()).isZero();
			AsyncResult<Object> later = client.send("actuate.add", 2, 3);
			assertThat(endpoint.act("queues", "celery", "resume", null)).containsEntry("paused", false);
			assertThat(later.get(WAIT)).isEqualTo(5);
		});
	}

	@Test
	void deadLettersAreCountedListedRedrivenAndPurgedOneByOneOrAllOfAQueue() {
		this.runner.run((context) -> {
			TaskQueueEndpoint endpoint = endpoint(context);
			TaskClient client = context.getBean(TaskClient.class);
			String first = client.send("no.such.task").id();
			String second = client.send("no.such.task").id();
			await().atMost(WAIT).until(() -> endpoint.section("deadletters"),
					(counts) -> Map.of("deadLetters", Map.of("celery", 2L)).equals(counts));
			assertThat(endpoint.report().queues().get("celery").deadLetters()).isEqualTo(2);
			TaskQueueReport.Letters letters = (TaskQueueReport.Letters) endpoint.item("deadletters", "celery", 1);
			assertThat(letters.count()).isEqualTo(2);
			TaskQueueReport.Letter oldest = letters.letters().get(0);
			assertThat(letters.letters()).hasSize(1);
			assertThat(oldest.taskId()).isIn(first, second);
			assertThat(oldest.task()).isEqualTo("no.such.task");
			assertThat(oldest.reason()).contains("unregistered task");
			assertThat(endpoint.act("deadletters", "celery", "redrive", oldest.id())).containsEntry("redriven", 1);
			// still no such task: it comes back as a dead letter (redriving took it out at once)
			String again = await().atMost(WAIT)
				.until(() -> ((TaskQueueReport.Letters) endpoint.item("deadletters", "celery", 10)).letters()
					.stream()
					.filter((letter) -> oldest.taskId().equals(letter.taskId()))
					.map(TaskQueueReport.Letter::id)
					.findFirst()
					.orElse(null), java.util.Objects::nonNull);
			assertThat(endpoint.delete("deadletters", "celery", again)).containsEntry("purged", 1);
			assertThat(endpoint.delete("deadletters", "celery", null)).containsEntry("purged", 1);
			assertThat(endpoint.section("deadletters")).isEqualTo(Map.of("deadLetters", Map.of()));
			assertThat(endpoint.act("deadletters", "celery", "redrive", null)).containsEntry("redriven", 0);
		});
	}

	@Test
	void aRevokedTaskIsListedAndItsResultRevoked() {
		this.runner.run((context) -> {
			TaskQueueEndpoint endpoint = endpoint(context);
			assertThat(endpoint.revoke("revoked", "task-1", null)).containsEntry("revoked", "task-1")
				.containsEntry("terminate", false);
			assertThat(endpoint.revoke("revoked", "task-2", true)).containsEntry("terminate", true);
			assertThat(endpoint.report().revoked()).containsExactly("task-1", "task-2");
			assertThat(endpoint.section("revoked")).isEqualTo(Map.of("revoked", java.util.Set.of("task-1", "task-2")));
			assertThat(context.getBean(TaskClient.class).result("task-1").state()).isEqualTo(TaskState.REVOKED);
		});
	}

	@Test
	void unknownQueuesDeadLettersAndActionsAreSaidSo() {
		this.runner.run((context) -> {
			TaskQueueEndpoint endpoint = endpoint(context);
			assertThatExceptionOfType(UnknownTargetException.class)
				.isThrownBy(() -> endpoint.act("queues", "nowhere", "pause", null))
				.withMessageContaining("No worker of this application consumes queue 'nowhere'")
				.withMessageContaining("[celery, tuned]");
			assertThatExceptionOfType(UnknownTargetException.class)
				.isThrownBy(() -> endpoint.act("queues", "nowhere", "purge", null))
				.withMessageContaining("'nowhere' is none of this application's");
			assertThatExceptionOfType(UnknownTargetException.class)
				.isThrownBy(() -> endpoint.act("deadletters", "celery", "redrive", "no-such-letter"))
				.withMessageContaining("No dead letter 'no-such-letter'");
			assertThatExceptionOfType(UnknownTargetException.class)
				.isThrownBy(() -> endpoint.delete("deadletters", "celery", "no-such-letter"));
			assertThatExceptionOfType(UnknownTargetException.class)
				.isThrownBy(() -> endpoint.act("queues", "celery", "explode", null));
			assertThatExceptionOfType(UnknownTargetException.class)
				.isThrownBy(() -> endpoint.revoke("tasks", "task-1", null));
			assertThatExceptionOfType(UnknownTargetException.class)
				.isThrownBy(() -> endpoint.delete("queues", "celery", null));
			assertThatExceptionOfType(InvalidEndpointRequestException.class)
				.isThrownBy(() -> endpoint.item("deadletters", "celery", 0));
			assertThat(endpoint.section("nothing")).isNull();
			assertThat(endpoint.item("queues", "nowhere", null)).isNull();
			assertThat(endpoint.item("workers", "nobody", null)).isNull();
		});
	}

	@Test
	void overHttpTheAnswerSaysWhatWentWrong() {
		this.runner.run((context) -> {
			TaskQueueEndpointWebExtension web = context.getBean(TaskQueueEndpointWebExtension.class);
			assertThat(web.act("queues", "celery", "pause", null).getStatus()).isEqualTo(200);
			WebEndpointResponse<Object> unknown = web.act("queues", "nowhere", "pause", null);
			assertThat(unknown.getStatus()).isEqualTo(404);
			assertThat(body(unknown)).containsEntry("status", 404)
				.hasEntrySatisfying("error", (error) -> assertThat(error.toString()).contains("'nowhere'"));
			assertThat(web.delete("deadletters", "celery", "no-such-letter").getStatus()).isEqualTo(404);
			assertThat(web.section("nothing").getStatus()).isEqualTo(404);
			assertThat(web.item("tasks", "no.such.task", null).getStatus()).isEqualTo(404);
			assertThat(web.item("deadletters", "celery", -1).getStatus()).isEqualTo(400);
			context.getBean(DetachableBroker.class).detach(true);
			WebEndpointResponse<Object> away = web.act("queues", "celery", "purge", null);
			assertThat(away.getStatus()).isEqualTo(503);
			assertThat(body(away)).containsEntry("error", "memory broker detached");
		});
	}

	@Test
	void aBrokerThatKeepsNoDeadLettersIsSaidSo() {
		this.withoutBroker.withBean("taskBroker", Broker.class, NoDeadLetters::new).run((context) -> {
			assertThat(endpoint(context).section("deadletters")).isNull();
			assertThat(endpoint(context).report().queues().get("celery").deadLetters()).isNull();
			WebEndpointResponse<Object> redrive = context.getBean(TaskQueueEndpointWebExtension.class)
				.act("deadletters", "celery", "redrive", null);
			assertThat(redrive.getStatus()).isEqualTo(501);
			assertThat(body(redrive)).containsEntry("error", "NoDeadLetters keeps no dead letters");
		});
	}

	@Test
	void theReportOfABrokerThatIsAwayStillShowsTheWorkersAndSaysWhatCouldNotBeRead() {
		this.runner.run((context) -> {
			context.getBean(DetachableBroker.class).detach(true);
			TaskQueueReport report = endpoint(context).report();
			assertThat(report.workers().get(0).consuming()).isEqualTo(Map.of("celery", false, "tuned", false));
			assertThat(report.tasks()).hasSize(3);
			assertThat(report.queues().get("celery"))
				.isEqualTo(new TaskQueueReport.Queue(null, null, false, "memory broker detached"));
			assertThat(report.errors()).containsEntry("deadLetters", "memory broker detached");
			assertThat(report.revoked()).isEmpty();
		});
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> body(WebEndpointResponse<Object> response) {
		return (Map<String, Object>) response.getBody();
	}

	private static TaskQueueEndpoint endpoint(AssertableApplicationContext context) {
		return context.getBean(TaskQueueEndpoint.class);
	}

	/**
	 * A broker of the application's own that keeps no dead letters (nor says its depth).
	 */
	static class NoDeadLetters implements Broker {

		private final InMemoryBroker broker = new InMemoryBroker();

		@Override
		public void publish(String queue, Envelope envelope) {
			this.broker.publish(queue, envelope);
		}

		@Override
		public Subscription subscribe(List<String> queues, int prefetch, DeliveryHandler handler) {
			return this.broker.subscribe(queues, prefetch, handler);
		}

	}

}
