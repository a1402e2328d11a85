package dev.taskqueue.client;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.taskqueue.AsyncResult;
import dev.taskqueue.SendOptions;
import dev.taskqueue.Task;
import dev.taskqueue.TaskClient;
import dev.taskqueue.TaskContext;
import dev.taskqueue.TaskFailedException;
import dev.taskqueue.autoconfigure.TaskQueueAutoConfiguration;
import dev.taskqueue.broker.DeadLetter;
import dev.taskqueue.broker.memory.InMemoryBroker;
import dev.taskqueue.protocol.Envelope;
import dev.taskqueue.protocol.ProtocolHeaders;
import dev.taskqueue.routing.Route;
import dev.taskqueue.routing.Router;
import dev.taskqueue.serialization.MessageTooLargeException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Routing tables, worker groups, serializers, compression and limits, configured as a user would and run
 * end to end on the memory broker.
 */
class RoutingAndSerializationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, TaskQueueAutoConfiguration.class))
		.withUserConfiguration(Tasks.class, Recording.class)
		.withPropertyValues("taskqueue.worker.concurrency=1", "taskqueue.worker.shutdown-timeout=1s");

	@Test
	void routesFromYamlSendTasksToTheirQueues() {
		this.runner
			.withPropertyValues("taskqueue.worker.queues=celery,reports,urgent,emails",
					"taskqueue.routes[0].pattern=reports.urgent", "taskqueue.routes[0].queue=urgent",
					"taskqueue.routes[1].pattern=reports.*", "taskqueue.routes[1].queue=reports",
					"taskqueue.routes[2].pattern=regex:(emails|sms)\\.send", "taskqueue.routes[2].queue=emails")
			.run((context) -> {
				assertThat(client(context).send("reports.urgent").get(WAIT)).isEqualTo("urgent");
				assertThat(client(context).send("reports.daily", List.of(), Map.of("size", "any")).get(WAIT))
					.isEqualTo("reports");
				assertThat(client(context).send("emails.send").get(WAIT)).isEqualTo("emails");
				assertThat(client(context).send("other").get(WAIT)).isEqualTo("celery");
				assertThat(client(context).withOptions(SendOptions.defaults().withQueue("celery"))
					.send("reports.daily", List.of(), Map.of("size", "any"))
					.get(WAIT)).isEqualTo("celery");
			});
	}

	@Test
	void aRouterBeanIsAskedBeforeTheTable() {
		this.runner.withUserConfiguration(BigReports.class)
			.withPropertyValues("taskqueue.worker.queues=reports,big", "taskqueue.routes[0].pattern=reports.*",
					"taskqueue.routes[0].queue=reports")
			.run((context) -> {
				assertThat(client(context).send("reports.daily", List.of(), Map.of("size", "big")).get(WAIT))
					.isEqualTo("big");
				assertThat(client(context).send("reports.daily", List.of(), Map.of("size", "small")).get(WAIT))
					.isEqualTo("reports");
			});
	}

	@Test
	void perTaskYamlOverridesTheAnnotation() {
		this.runner.withPropertyValues("taskqueue.worker.queues=celery,annotated,operators",
				"taskqueue.tasks.[annotated.task].queue=operators").run((context) -> {
					assertThat(client(context).send("annotated.task").get(WAIT)).isEqualTo("operators");
				});
	}

	@Test
	void workerGroupsConsumeOnlyTheirQueues() {
		this.runner
			.withPropertyValues("taskqueue.worker.groups.reports.queues=reports",
					"taskqueue.worker.groups.emails.queues=emails", "taskqueue.worker.groups.emails.concurrency=2")
			.run((context) -> {
				Tasks tasks = context.getBean(Tasks.class);
				assertThat(client(context).withOptions(SendOptions.defaults().withQueue("reports"))
					.send("thread.name")
					.get(WAIT)).asString().contains("-reports-");
				assertThat(client(context).withOptions(SendOptions.defaults().withQueue("emails"))
					.send("thread.name")
					.get(WAIT)).asString().contains("-emails-");
				client(context).send("thread.name");
				assertThat(context.getBean(InMemoryBroker.class).size("celery")).isEqualTo(1);
				assertThat(tasks.threads).noneMatch((name) -> name.contains("celery"));
			});
	}

	@Test
	void everySerializerCarriesTheTypesATaskTakes() {
		this.runner.withPropertyValues("taskqueue.accept-content=json,msgpack,yaml").run((context) -> {
			for (String serializer : List.of("json", "msgpack", "yaml")) {
				AsyncResult<Object> echoed = client(context).withOptions(SendOptions.defaults().withSerializer(serializer))
					.send("typed.echo", new BigDecimal("1.10"), List.of(Map.of("k", List.of(1, 2))), "text", 7L);
				assertThat(echoed.get(WAIT)).as(serializer)
					.isEqualTo(List.of("1.10", List.of(Map.of("k", List.of(1, 2))), "text", 7L));
			}
			assertThat(context.getBean(RecordingBroker.class).contentTypes).containsExactly("application/json",
					"application/x-msgpack", "application/x-yaml");
		});
	}

	@Test
	void theSerializerCanComeFromTheTaskOrTheApplication() {
		this.runner.withPropertyValues("taskqueue.accept-content=json,msgpack,yaml", "taskqueue.serializer=yaml")
			.run((context) -> {
				client(context).send("typed.echo", BigDecimal.ONE, List.of(), "a", 1L).get(WAIT);
				client(context).send("msgpack.task").get(WAIT);
				assertThat(context.getBean(RecordingBroker.class).contentTypes).containsExactly("application/x-yaml",
						"application/x-msgpack");
			});
	}

	@Test
	void aContentTypeNotAcceptedIsDeadLetteredWithoutBeingRead() {
		this.runner.run((context) -> {
			AsyncResult<Object> refused = client(context).withOptions(SendOptions.defaults().withSerializer("msgpack"))
				.send("typed.echo", BigDecimal.ONE, List.of(), "a", 1L);
			InMemoryBroker broker = context.getBean(InMemoryBroker.class);
			await().atMost(WAIT).until(() -> broker.deadLetters().size() == 1);
			DeadLetter letter = broker.deadLetters().get(0);
			assertThat(letter.reason()).contains("Refusing to deserialize content of type 'application/x-msgpack'");
			assertThat(letter.envelope().correlationId()).isEqualTo(refused.id());
			assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> refused.get(WAIT))
				.satisfies((ex) -> assertThat(ex.getFailure().message()).contains("Refusing to deserialize"));
			assertThat(client(context).send("typed.echo", BigDecimal.ONE, List.of(), "a", 1L).get(WAIT)).isNotNull();
		});
	}

	@Test
	void compressionIsAppliedOnSendAndUndoneOnReceive() {
		this.runner.run((context) -> {
			for (String compression : List.of("zlib", "gzip", "bzip2", "lzma")) {
				AsyncResult<Object> echoed = client(context)
					.withOptions(SendOptions.defaults().withCompression(compression))
					.send("typed.echo", BigDecimal.TEN, List.of(), "x".repeat(1000), 1L);
				assertThat(echoed.get(WAIT)).as(compression).isEqualTo(List.of("10", List.of(), "x".repeat(1000), 1L));
			}
			assertThat(context.getBean(RecordingBroker.class).compressions).containsExactly("application/x-gzip",
					"application/x-gzip", "application/x-bz2", "application/x-lzma");
		});
	}

	@Test
	void aMessageOverTheSizeLimitIsRefusedOnSendAndDeadLetteredOnReceive() {
		this.runner.withPropertyValues("taskqueue.max-message-size=1KB").run((context) -> {
			assertThatExceptionOfType(MessageTooLargeException.class)
				.isThrownBy(() -> client(context).send("typed.echo", BigDecimal.ONE, List.of(), "x".repeat(2000), 1L))
				.withMessageContaining("above the maximum message size of 1024 bytes");
			InMemoryBroker broker = context.getBean(InMemoryBroker.class);
			broker.publish("celery", new Envelope(("[[\"" + "x".repeat(2000) + "\"], {}, {}]").getBytes(StandardCharsets.UTF_8),
					"application/json", "utf-8", Map.of(ProtocolHeaders.TASK, "typed.echo", ProtocolHeaders.ID, "big-1"),
					"big-1", null, 0, null));
			await().atMost(WAIT).until(() -> broker.deadLetters().size() == 1);
			assertThat(broker.deadLetters().get(0).reason()).contains("above the maximum message size");
		});
	}

	@Test
	void argumentsNestedTooDeeplyAreRefusedOnSendAndDeadLetteredOnReceive() {
		this.runner.withPropertyValues("taskqueue.max-nesting-depth=5").run((context) -> {
			Object deep = List.of(List.of(List.of(List.of(List.of(List.of("deep"))))));
			assertThatExceptionOfType(MessageTooLargeException.class)
				.isThrownBy(() -> client(context).send("typed.echo", BigDecimal.ONE, deep, "a", 1L))
				.withMessageContaining("nest deeper than 5 levels");
			InMemoryBroker broker = context.getBean(InMemoryBroker.class);
			broker.publish("celery", new Envelope("[[[[[[[1]]]]]], {}, {}]".getBytes(StandardCharsets.UTF_8),
					"application/json", "utf-8", Map.of(ProtocolHeaders.TASK, "typed.echo", ProtocolHeaders.ID, "deep-1"),
					"deep-1", null, 0, null));
			await().atMost(WAIT).until(() -> broker.deadLetters().size() == 1);
			assertThat(broker.deadLetters().get(0).reason()).contains("nest deeper than 5 levels");
		});
	}

	private static TaskClient client(AssertableApplicationContext context) {
		return context.getBean(TaskClient.class);
	}

	static class Tasks {

		final List<String> threads = new java.util.concurrent.CopyOnWriteArrayList<>();

		@Task("reports.urgent")
		String urgent(TaskContext context) {
			return context.queue();
		}

		@Task("reports.daily")
		String daily(TaskContext context, String size) {
			return context.queue();
		}

		@Task("emails.send")
		String email(TaskContext context) {
			return context.queue();
		}

		@Task("other")
		String other(TaskContext context) {
			return context.queue();
		}

		@Task(name = "annotated.task", queue = "annotated")
		String annotated(TaskContext context) {
			return context.queue();
		}

		@Task("thread.name")
		String threadName() {
			this.threads.add(Thread.currentThread().getName());
			return Thread.currentThread().getName();
		}

		@Task("typed.echo")
		List<Object> echo(BigDecimal amount, Object nested, String text, long number) {
			List<Object> result = new ArrayList<>();
			result.add(amount);
			result.add(nested);
			result.add(text);
			result.add(number);
			return result;
		}

		@Task(name = "msgpack.task", serializer = "msgpack")
		String msgpackTask() {
			return "ok";
		}

	}

	/**
	 * The memory broker, noting what each published message says of its body.
	 */
	static class RecordingBroker extends InMemoryBroker {

		final List<String> contentTypes = new java.util.concurrent.CopyOnWriteArrayList<>();

		final List<String> compressions = new java.util.concurrent.CopyOnWriteArrayList<>();

		@Override
		public void publish(String queue, Envelope envelope) {
			if ("typed.echo".equals(envelope.taskName()) || "msgpack.task".equals(envelope.taskName())) {
				this.contentTypes.add(envelope.contentType());
				Object compression = envelope.headers().get(ProtocolHeaders.COMPRESSION);
				if (compression != null) {
					this.compressions.add(compression.toString());
				}
			}
			super.publish(queue, envelope);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Recording {

		@Bean
		RecordingBroker recordingBroker() {
			return new RecordingBroker();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class BigReports {

		@Bean
		Router bigReports() {
			return (task, args, kwargs) -> "big".equals(kwargs.get("size")) ? Route.toQueue("big") : null;
		}

	}

}
