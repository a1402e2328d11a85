package dev.taskqueue.client;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
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
import dev.taskqueue.ResultTimeoutException;
import dev.taskqueue.SendOptions;
import dev.taskqueue.Task;
import dev.taskqueue.TaskClient;
import dev.taskqueue.TaskContext;
import dev.taskqueue.TaskFailedException;
import dev.taskqueue.TaskQueueException;
import dev.taskqueue.TaskRevokedException;
import dev.taskqueue.TaskState;
import dev.taskqueue.autoconfigure.TaskQueueAutoConfiguration;
import dev.taskqueue.broker.DeadLetter;
import dev.taskqueue.broker.memory.InMemoryBroker;
import dev.taskqueue.result.ResultBackend;
import dev.taskqueue.result.TaskResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The whole path on the in-memory broker: send, route, run, store, read.
 */
class TaskClientTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, TaskQueueAutoConfiguration.class))
		.withUserConfiguration(TasksConfiguration.class)
		.withPropertyValues("taskqueue.worker.concurrency=2", "taskqueue.worker.queues=celery,math",
				"taskqueue.worker.shutdown-timeout=2s");

	@Test
	void sendsByNameWithPositionalArguments() {
		this.runner.run((context) -> {
			AsyncResult<Object> sum = client(context).send("test.add", 2, 3);
			assertThat(sum.get(WAIT)).isEqualTo(5);
			assertThat(sum.state()).isEqualTo(TaskState.SUCCESS);
			assertThat(sum.ready()).isTrue();
			assertThat(sum.successful()).isTrue();
			assertThat(sum.failure()).isEmpty();
		});
	}

	@Test
	void sendsWithoutWaitingForTheBroker() {
		this.runner.run((context) -> {
			CompletableFuture<AsyncResult<Object>> sent = client(context).sendAsync("test.greet", List.of("Ada"),
					Map.of("greeting", "Hello"));
			assertThat(sent.get(10, TimeUnit.SECONDS).get(WAIT)).isEqualTo("Hello, Ada!");
		});
	}

	@Test
	void sendsByNameWithKeywordArguments() {
		this.runner.run((context) -> {
			AsyncResult<Object> greeting = client(context).send("test.greet", List.of("Ada"),
					Map.of("greeting", "Hello"));
			assertThat(greeting.get(WAIT)).isEqualTo("Hello, Ada!");
		});
	}

	@Test
	void sendsTypeSafelyThroughAMethodReference() {
		this.runner.run((context) -> {
			AsyncResult<Integer> sum = client(context).send(TestTasks::add, 20, 22);
			Integer value = sum.get(WAIT);
			assertThat(value).isEqualTo(42);
			AsyncResult<Invoice> invoice = client(context).send(TestTasks::invoice, "ACME", List.of(new Line("bolt",
					new BigDecimal("1.10"), 3)));
			assertThat(invoice.get(WAIT)).isEqualTo(new Invoice("ACME", new BigDecimal("3.30")));
			AsyncResult<Void> nothing = client(context).send(TestTasks::record, "x");
			assertThat(nothing.get(WAIT)).isNull();
			assertThat(context.getBean(TestTasks.class).recorded).containsExactly("x");
		});
	}

	@Test
	void aDerivedNameIsUsedForTasksWithoutOne() {
		this.runner.run((context) -> {
			AsyncResult<LocalDate> next = client(context).send(TestTasks::nextDay, LocalDate.of(2030, 12, 31));
			assertThat(next.get(WAIT)).isEqualTo(LocalDate.of(2031, 1, 1));
			AsyncResult<Object> byName = client(context).send(TestTasks.class.getName() + ".nextDay", "2030-01-01");
			assertThat(byName.as(LocalDate.class).get(WAIT)).isEqualTo(LocalDate.of(2030, 1, 2));
		});
	}

	@Test
	void aLambdaIsRefusedWithAClearMessage() {
		this.runner.run((context) -> assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> client(context).send((TestTasks tasks, Integer a, Integer b) -> a + b, 1, 2))
			.withMessageContaining("method reference to a @Task method"));
	}

	@Test
	void aFailureCarriesTypeMessageAndTraceback() {
		this.runner.run((context) -> {
			AsyncResult<Object> failing = client(context).send("test.fail", "boom");
			assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> failing.get(WAIT))
				.satisfies((ex) -> {
					assertThat(ex.getTaskId()).isEqualTo(failing.id());
					assertThat(ex.getFailure().type()).isEqualTo("java.lang.IllegalArgumentException");
					assertThat(ex.getFailure().message()).isEqualTo("boom");
					assertThat(ex.getFailure().traceback()).contains("TestTasks.fail");
				});
			assertThat(failing.state()).isEqualTo(TaskState.FAILURE);
			assertThat(failing.successful()).isFalse();
			assertThat(failing.failure()).hasValueSatisfying((f) -> assertThat(f.message()).isEqualTo("boom"));
		});
	}

	@Test
	void theFutureViewCompletesWithTheResultOrTheFailure() {
		this.runner.run((context) -> {
			CompletableFuture<Integer> sum = client(context).send(TestTasks::add, 1, 1).toCompletableFuture();
			assertThat(sum.get(10, TimeUnit.SECONDS)).isEqualTo(2);
			CompletableFuture<Object> failing = client(context).send("test.fail", "no").toCompletableFuture();
			await().atMost(WAIT).until(failing::isDone);
			assertThat(failing).isCompletedExceptionally();
			assertThat(failing.handle((value, ex) -> ex.getCause())).succeedsWithin(WAIT)
				.isInstanceOf(TaskFailedException.class);
		});
	}

	@Test
	void aMissingOrMistypedArgumentFailsTheTaskNamingTheParameterAndTheWorkerGoesOn() {
		this.runner.run((context) -> {
			AsyncResult<Object> missing = client(context).send("test.add", 1);
			assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> missing.get(WAIT))
				.satisfies((ex) -> assertThat(ex.getFailure().message()).contains("missing argument 'y'"));
			AsyncResult<Object> mistyped = client(context).send("test.add", "one", 2);
			assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> mistyped.get(WAIT))
				.satisfies((ex) -> assertThat(ex.getFailure().message()).contains("argument 'x' must be int"));
			assertThat(client(context).send("test.add", 1, 2).get(WAIT)).isEqualTo(3);
			InMemoryBroker broker = context.getBean(InMemoryBroker.class);
			await().atMost(WAIT).until(() -> broker.deadLetters().size() == 2);
			List<DeadLetter> deadLetters = broker.deadLetters();
			assertThat(deadLetters).extracting(DeadLetter::reason)
				.anySatisfy((reason) -> assertThat(reason).contains("missing argument 'y'"))
				.anySatisfy((reason) -> assertThat(reason).contains("argument 'x' must be int"));
			assertThat(deadLetters).allSatisfy((letter) -> assertThat(letter.envelope().taskName()).isEqualTo("test.add"));
		});
	}

	@Test
	void anUnknownTaskIsAFailureAndADeadLetter() {
		this.runner.run((context) -> {
			AsyncResult<Object> unknown = client(context).send("no.such.task", 1);
			assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> unknown.get(WAIT))
				.satisfies((ex) -> {
					assertThat(ex.getFailure().type()).isEqualTo("celery.exceptions.NotRegistered");
					assertThat(ex.getFailure().message()).isEqualTo("no.such.task");
				});
			// the result is stored before the message is dead-lettered
			await().atMost(WAIT).untilAsserted(() -> assertThat(context.getBean(InMemoryBroker.class).deadLetters())
				.singleElement()
				.satisfies((letter) -> assertThat(letter.reason()).contains("unregistered task 'no.such.task'")));
		});
	}

	@Test
	void theRunningTaskSeesItsContext() {
		this.runner.run((context) -> {
			String id = UUID.randomUUID().toString();
			AsyncResult<Object> seen = client(context)
				.withOptions(SendOptions.defaults().withTaskId(id).withHeader("x-tenant", "acme"))
				.send("test.context");
			assertThat(seen.id()).isEqualTo(id);
			assertThat(seen.get(WAIT)).isEqualTo(Map.of("id", id, "name", "test.context", "retries", 0, "queue", "celery",
					"tenant", "acme", "same", true));
		});
	}

	@Test
	void theCallsQueueAndTheTasksQueueRoute() {
		this.runner.run((context) -> {
			InMemoryBroker broker = context.getBean(InMemoryBroker.class);
			assertThat(client(context).send("test.where").get(WAIT)).isEqualTo("math");
			assertThat(client(context).withOptions(SendOptions.defaults().withQueue("celery"))
				.send("test.where")
				.get(WAIT)).isEqualTo("celery");
			AsyncResult<Object> elsewhere = client(context).withOptions(SendOptions.defaults().withQueue("nobody"))
				.send("test.where");
			assertThat(broker.size("nobody")).isEqualTo(1);
			assertThat(elsewhere.state()).isEqualTo(TaskState.PENDING);
			assertThatExceptionOfType(ResultTimeoutException.class)
				.isThrownBy(() -> elsewhere.get(Duration.ofMillis(50)))
				.withMessageContaining(elsewhere.id());
		});
	}

	@Test
	void aCountdownDefersTheTaskUntilDue() {
		this.runner.run((context) -> {
			Instant sent = Instant.now();
			AsyncResult<Object> later = client(context)
				.withOptions(SendOptions.defaults().withCountdown(Duration.ofMillis(600)))
				.send("test.now");
			Instant ranAt = Instant.parse((String) later.get(WAIT));
			assertThat(ranAt).isAfterOrEqualTo(sent.plusMillis(600));
		});
	}

	@Test
	void anExpiredTaskIsNotRunButRevoked() {
		this.runner.run((context) -> {
			AsyncResult<Object> expired = client(context)
				.withOptions(SendOptions.defaults().withExpires(Instant.now().minusSeconds(1)))
				.send("test.record", "never");
			assertThatExceptionOfType(TaskRevokedException.class).isThrownBy(() -> expired.get(WAIT))
				.satisfies((ex) -> assertThat(ex.getFailure().message()).isEqualTo("expired"));
			assertThat(expired.state()).isEqualTo(TaskState.REVOKED);
			assertThat(context.getBean(TestTasks.class).recorded).isEmpty();
		});
	}

	@Test
	void trackStartedStoresStartedWhileTheTaskRuns() {
		this.runner.run((context) -> {
			TestTasks tasks = context.getBean(TestTasks.class);
			AsyncResult<Object> blocking = client(context).send("test.block");
			await().atMost(WAIT).until(() -> blocking.state() == TaskState.STARTED);
			assertThat(blocking.ready()).isFalse();
			tasks.release.countDown();
			assertThat(blocking.get(WAIT)).isEqualTo("released");
		});
	}

	@Test
	void aStateOfTheTasksOwnIsReadWithItsMetaAndIsNotReady() {
		this.runner.run((context) -> {
			String id = UUID.randomUUID().toString();
			ResultBackend results = context.getBean(ResultBackend.class);
			// what a Python task's self.update_state(state='PROGRESS', meta={...}) stores, as Celery 5.2.6 writes it
			Map<String, Object> document = new java.util.LinkedHashMap<>();
			document.put("status", "PROGRESS");
			document.put("result", Map.of("current", 3, "total", 10));
			document.put("traceback", null);
			document.put("children", List.of());
			document.put("date_done", null);
			document.put("task_id", id);
			results.store(TaskResult.fromDocument(document));
			AsyncResult<Integer> progress = client(context).result(id).as(Integer.class);
			assertThat(progress.state()).isEqualTo(TaskState.CUSTOM);
			assertThat(progress.status()).isEqualTo("PROGRESS");
			assertThat(progress.info()).isEqualTo(Map.of("current", 3, "total", 10));
			assertThat(progress.meta()).isEqualTo(Map.of("current", 3, "total", 10));
			assertThat(progress.ready()).isFalse();
			assertThat(progress.successful()).isFalse();
			assertThat(progress.failure()).isEmpty();
			assertThatExceptionOfType(ResultTimeoutException.class)
				.isThrownBy(() -> progress.get(Duration.ofMillis(200)));
			results.store(TaskResult.success(id, 10, Instant.now()));
			assertThat(progress.get(WAIT)).isEqualTo(10);
			assertThat(progress.status()).isEqualTo("SUCCESS");
			assertThat(progress.info()).isEqualTo(10);
			assertThat(progress.meta()).isEmpty();
		});
	}

	@Test
	void ignoreResultStoresNothing() {
		this.runner.run((context) -> {
			TestTasks tasks = context.getBean(TestTasks.class);
			AsyncResult<Object> ignored = client(context).send("test.ignored", "y");
			await().atMost(WAIT).until(() -> tasks.recorded.contains("y"));
			assertThat(ignored.state()).isEqualTo(TaskState.PENDING);
		});
	}

	@Test
	void withNoResultBackendSendingWorksAndReadingFailsClearly() {
		this.runner.withPropertyValues("taskqueue.result-backend=none").run((context) -> {
			AsyncResult<Object> sent = client(context).send("test.record", "z");
			await().atMost(WAIT).until(() -> context.getBean(TestTasks.class).recorded.contains("z"));
			assertThat(sent.state()).isEqualTo(TaskState.PENDING);
			assertThatExceptionOfType(TaskQueueException.class).isThrownBy(() -> sent.get(WAIT))
				.withMessageContaining("taskqueue.result-backend=none");
		});
	}

	@Test
	void aResultCanBeReadByIdFromAnotherHandle() {
		this.runner.run((context) -> {
			String id = client(context).send("test.add", 4, 4).id();
			assertThat(client(context).result(id).get(WAIT)).isEqualTo(8);
		});
	}

	private static TaskClient client(AssertableApplicationContext context) {
		return context.getBean(TaskClient.class);
	}

	record Line(String item, BigDecimal price, int quantity) {
	}

	record Invoice(String customer, BigDecimal total) {
	}

	static class TestTasks {

		final List<String> recorded = new java.util.concurrent.CopyOnWriteArrayList<>();

		final CountDownLatch release = new CountDownLatch(1);

		@Task("test.add")
		int add(int x, int y) {
			return x + y;
		}

		@Task("test.greet")
		String greet(String name, String greeting) {
			return greeting + ", " + name + "!";
		}

		@Task("test.invoice")
		Invoice invoice(String customer, List<Line> lines) {
			return new Invoice(customer, lines.stream()
				.map((line) -> line.price().multiply(BigDecimal.valueOf(line.quantity())))
				.reduce(BigDecimal.ZERO, BigDecimal::add));
		}

		@Task("test.record")
		void record(String value) {
			this.recorded.add(value);
		}

		@Task(name = "test.ignored", ignoreResult = true)
		String ignored(String value) {
			this.recorded.add(value);
			return value;
		}

		@Task
		LocalDate nextDay(LocalDate day) {
			return day.plusDays(1);
		}

		@Task("test.fail")
		void fail(String message) {
			throw new IllegalArgumentException(message);
		}

		@Task("test.context")
		Map<String, Object> context(TaskContext context) {
			return Map.of("id", context.taskId(), "name", context.taskName(), "retries", context.retries(), "queue",
					context.queue(), "tenant", context.headers().get("x-tenant"), "same", TaskContext.current() == context);
		}

		@Task(name = "test.where", queue = "math")
		String where(TaskContext context) {
			return context.queue();
		}

		@Task("test.now")
		String now() {
			return Instant.now().toString();
		}

		@Task(name = "test.block", trackStarted = true)
		String block() throws InterruptedException {
			return this.release.await(10, TimeUnit.SECONDS) ? "released" : "timed out";
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TasksConfiguration {

		@Bean
		TestTasks testTasks() {
			return new TestTasks();
		}

	}

}
