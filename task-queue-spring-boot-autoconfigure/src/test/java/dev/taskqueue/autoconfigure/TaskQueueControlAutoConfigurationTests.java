package dev.taskqueue.autoconfigure;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

import dev.taskqueue.Task;
import dev.taskqueue.control.CeleryPidbox;
import dev.taskqueue.control.InMemoryPidboxTransport;
import dev.taskqueue.control.TaskControl;
import dev.taskqueue.control.ControlCommand;
import dev.taskqueue.control.PidboxTransport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The worker's side of Celery's remote control is wired in an application that runs a worker on a broker that
 * carries it: the built-in commands and the application's own, the allowed and denied ones honoured, under the
 * worker's name. None elsewhere.
 */
class TaskQueueControlAutoConfigurationTests {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, TaskQueueAutoConfiguration.class,
				TaskQueueControlAutoConfiguration.class))
		.withUserConfiguration(Mailbox.class)
		.withPropertyValues("taskqueue.worker.name=java@control", "taskqueue.worker.concurrency=1");

	@Test
	void aWorkerAnswersTheBuiltInCommandsUnderItsNameOnceStarted() {
		this.runner.run((context) -> {
			CeleryPidbox node = context.getBean(CeleryPidbox.class);
			assertThat(node.getHostname()).isEqualTo("java@control");
			assertThat(node.getCommandNames()).contains("ping", "hello", "stats", "active", "reserved", "scheduled",
					"registered", "revoked", "active_queues", "query_task", "conf", "report", "clock", "rate_limit",
					"time_limit", "add_consumer", "cancel_consumer", "pool_grow", "pool_shrink", "shutdown", "revoke");
			assertThat(node.isRunning()).isTrue();

			JsonNode registered = ask(context.getBean(RecordingTransport.class), "registered");
			assertThat(registered.path("java@control")).isEqualTo(MAPPER.readTree("[\"control.add\"]"));
		});
	}

	@Test
	void theApplicationsControlCommandBeansAreAnsweredAndReplaceBuiltInOnesOfTheirName() {
		this.runner.withUserConfiguration(OwnCommands.class).run((context) -> {
			CeleryPidbox node = context.getBean(CeleryPidbox.class);
			assertThat(node.getCommandNames()).contains("enable_events", "ping");

			RecordingTransport transport = context.getBean(RecordingTransport.class);
			assertThat(ask(transport, "enable_events").path("java@control").path("ok").asString())
				.isEqualTo("task events enabled");
			assertThat(ask(transport, "ping").path("java@control").path("ok").asString()).isEqualTo("pong, mine");
		});
	}

	@Test
	void onlyTheCommandsAllowedAndNotDeniedAreRun() {
		this.runner
			.withPropertyValues("taskqueue.control.allowed=inspect,rate_limit", "taskqueue.control.denied=stats")
			.run((context) -> {
				CeleryPidbox node = context.getBean(CeleryPidbox.class);
				assertThat(node.accepts("ping")).isTrue();
				assertThat(node.accepts("rate_limit")).isTrue();
				assertThat(node.accepts("stats")).isFalse();
				assertThat(node.accepts("shutdown")).isFalse();
				assertThat(node.accepts("pool_grow")).isFalse();
				assertThat(ask(context.getBean(RecordingTransport.class), "shutdown").path("java@control")
					.path("error")
					.asString()).contains("not allowed");
			});
	}

	@Test
	void everyCommandIsAllowedByDefaultAndShutdownStopsOnlyTheWorkers() {
		this.runner.run((context) -> {
			CeleryPidbox node = context.getBean(CeleryPidbox.class);
			assertThat(node.accepts("shutdown")).isTrue();
			assertThat(node.accepts("pool_grow")).isTrue();
			assertThat(context.getBean(TaskQueueControlProperties.class).isShutdownExitsJvm()).isFalse();
		});
	}

	@Test
	void noNodeWithoutAWorker() {
		this.runner.withPropertyValues("taskqueue.worker.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(CeleryPidbox.class));
		this.runner.withPropertyValues("taskqueue.eager=true")
			.run((context) -> assertThat(context).doesNotHaveBean(CeleryPidbox.class));
	}

	@Test
	void theInMemoryBrokerCarriesRemoteControlWithinTheApplication() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(TaskQueueAutoConfiguration.class,
					TaskQueueControlAutoConfiguration.class))
			.run((context) -> assertThat(context).hasSingleBean(CeleryPidbox.class)
				.hasSingleBean(InMemoryPidboxTransport.class));
	}

	@Test
	void taskControlPingsAndInspectsTheApplicationsOwnWorkerOnTheInMemoryBroker() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, TaskQueueAutoConfiguration.class,
					TaskQueueControlAutoConfiguration.class))
			.withPropertyValues("taskqueue.worker.name=java@memory", "taskqueue.worker.concurrency=1")
			.run((context) -> {
				TaskControl control = context.getBean(TaskControl.class);
				assertThat(control.ping().values()).containsEntry("java@memory", "pong");
				assertThat(control.inspect().stats().values()).containsKey("java@memory");
				assertThat(control.poolGrow(1, "java@memory").values()).containsEntry("java@memory", "pool will grow");
				assertThat(control.ping("someone@else").isEmpty()).isTrue();
			});
	}

	@Test
	void noNodeWhenTheApplicationKeepsAwayFromCelery() {
		this.runner.withPropertyValues("taskqueue.celery-control=off")
			.run((context) -> assertThat(context).doesNotHaveBean(CeleryPidbox.class));
		// on Redis with a key prefix, "auto" keeps away too (the condition alone: nothing here connects to Redis)
		new ApplicationContextRunner().withUserConfiguration(CeleryControlProbe.class)
			.withPropertyValues("taskqueue.broker=redis", "taskqueue.redis.key-prefix=app1:")
			.run((context) -> assertThat(context).doesNotHaveBean("probe"));
		new ApplicationContextRunner().withUserConfiguration(CeleryControlProbe.class)
			.withPropertyValues("taskqueue.broker=redis", "taskqueue.redis.key-prefix=app1:",
					"taskqueue.celery-control=on")
			.run((context) -> assertThat(context).hasBean("probe"));
		new ApplicationContextRunner().withUserConfiguration(CeleryControlProbe.class)
			.withPropertyValues("taskqueue.broker=rabbitmq")
			.run((context) -> assertThat(context).hasBean("probe"));
	}

	/**
	 * Sends a command as {@code celery inspect} does, to the node listening on the recording transport, and
	 * returns the reply.
	 */
	private static JsonNode ask(RecordingTransport transport, String method) {
		int before = transport.replies.size();
		Map<String, @Nullable Object> command = new java.util.LinkedHashMap<>();
		command.put("method", method);
		command.put("arguments", Map.of());
		command.put("destination", null);
		command.put("ticket", "ticket-" + before);
		command.put("reply_to", Map.of("exchange", "reply.celery.pidbox", "routing_key", "oid"));
		transport.handler.received(MAPPER.writeValueAsBytes(command), Map.of("clock", 1));
		org.awaitility.Awaitility.await().until(() -> transport.replies.size() > before);
		return MAPPER.readTree(transport.replies.get(before));
	}

	@Configuration(proxyBeanMethods = false)
	static class Mailbox {

		@Bean
		RecordingTransport pidboxTransport() {
			return new RecordingTransport();
		}

		@Bean
		AddTask addTask() {
			return new AddTask();
		}

	}

	static class AddTask {

		@Task("control.add")
		int add(int x, int y) {
			return x + y;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnCommands {

		@Bean
		ControlCommand enableEvents() {
			return new Fixed("enable_events", ControlCommand.Kind.CONTROL, Map.of("ok", "task events enabled"));
		}

		@Bean
		ControlCommand ownPing() {
			return new Fixed("ping", ControlCommand.Kind.INSPECT, Map.of("ok", "pong, mine"));
		}

	}

	record Fixed(String name, Kind kind, Object reply) implements ControlCommand {

		@Override
		public Object handle(JsonNode arguments) {
			return this.reply;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Conditional(OnCeleryControlCondition.class)
	static class CeleryControlProbe {

		@Bean
		String probe() {
			return "probe";
		}

	}

	/**
	 * A mailbox of the test's own: the test delivers commands to the node's handler and reads its replies.
	 */
	static class RecordingTransport implements PidboxTransport {

		final List<byte[]> replies = new CopyOnWriteArrayList<>();

		volatile Handler handler;

		@Override
		public void broadcast(byte[] command, Map<String, Object> headers) {
		}

		@Override
		public void reply(String exchange, String routingKey, byte[] reply, Map<String, Object> headers) {
			this.replies.add(reply);
		}

		@Override
		public void listen(String hostname, Handler handler) {
			this.handler = handler;
		}

		@Override
		public void close() {
		}

	}

}
