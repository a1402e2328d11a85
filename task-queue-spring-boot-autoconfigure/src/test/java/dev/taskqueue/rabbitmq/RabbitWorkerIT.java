package dev.taskqueue.rabbitmq;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.LongString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.AsyncResult;
import dev.taskqueue.SendOptions;
import dev.taskqueue.Task;
import dev.taskqueue.TaskClient;
import dev.taskqueue.protocol.CelerySamples;
import dev.taskqueue.TaskFailedException;
import dev.taskqueue.autoconfigure.TaskQueueAutoConfiguration;
import dev.taskqueue.protocol.ProtocolHeaders;
import dev.taskqueue.result.ResultBackend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * A whole application on RabbitMQ: worker, client, rpc results and the topology from properties, against the
 * local broker in a virtual host of its own.
 */
class RabbitWorkerIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static RabbitVhost vhost;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, TaskQueueAutoConfiguration.class))
		.withUserConfiguration(ItTasks.class)
		.withPropertyValues("spring.rabbitmq.host=127.0.0.1", "spring.rabbitmq.port=5672",
				"spring.rabbitmq.username=guest", "spring.rabbitmq.password=guest",
				"spring.rabbitmq.virtual-host=" + vhost.name(), "taskqueue.broker=rabbitmq",
				"taskqueue.result-backend=rpc", "taskqueue.default-queue=it.tasks",
				"taskqueue.worker.concurrency=2", "taskqueue.worker.name=it-worker",
				"taskqueue.worker.shutdown-timeout=5s");

	@BeforeAll
	static void createVhost() {
		vhost = RabbitVhost.create("taskqueue-it-rabbit-worker");
	}

	@AfterAll
	static void deleteVhost() {
		vhost.delete();
	}

	@BeforeEach
	void emptyQueues() {
		withAdmin((admin) -> {
			for (String queue : List.of("it.tasks", "it.prio", "it.clash", "it.bound", "it.quorum", "taskqueue.dead-letter")) {
				admin.deleteQueue(queue);
			}
			admin.deleteExchange("it.events");
		});
	}

	@Test
	void runsTasksAndReturnsResultsThroughRpc() {
		this.runner.run((context) -> {
			TaskClient client = context.getBean(TaskClient.class);
			assertThat(client.send("it.add", List.of(2, 3), Map.of()).get(TIMEOUT)).isEqualTo(5);
			assertThat(client.send("it.add", List.of(2), Map.of("y", 40)).get(TIMEOUT)).isEqualTo(42);
			assertThatExceptionOfType(TaskFailedException.class)
				.isThrownBy(() -> client.send("it.fail", List.of("boom"), Map.of()).get(TIMEOUT))
				.withMessageContaining("boom")
				.withMessageContaining("IllegalStateException");
		});
	}

	@Test
	void aTaskSentFromJavaHasTheHeaderTypesAndPropertiesCeleryPublishes() {
		JsonNode sample = CelerySamples.read("amqp_publish_plain_apply_async")
			.get("published")
			.get(0);
		this.runner.withPropertyValues("taskqueue.worker.enabled=false").run((context) -> {
			String id = context.getBean(TaskClient.class).send("capapp.add", List.of(2, 3), Map.of()).id();
			GetResponse sent = context.getBean(RabbitTemplate.class)
				.execute((channel) -> channel.basicGet("it.tasks", true));
			Map<String, String> expected = new TreeMap<>();
			sample.get("properties").get("headers").properties()
				.forEach((header) -> expected.put(header.getKey(), tags(header.getValue())));
			Map<String, String> actual = new TreeMap<>();
			sent.getProps().getHeaders().forEach((name, value) -> actual.put(name, tags(value)));
			// Celery's headers with Celery's types, and our send time, a long, which Celery ignores
			expected.put(ProtocolHeaders.SENT, "Long");
			assertThat(actual).isEqualTo(expected);
			assertThat(sent.getEnvelope().getExchange()).isEqualTo(sample.get("exchange").asString());
			assertThat(sent.getProps().getContentType()).isEqualTo("application/json");
			assertThat(sent.getProps().getContentEncoding()).isEqualTo("utf-8");
			assertThat(sent.getProps().getDeliveryMode()).isEqualTo(2);
			assertThat(sent.getProps().getPriority()).isZero();
			assertThat(sent.getProps().getCorrelationId()).isEqualTo(id);
			assertThat(sent.getProps().getReplyTo()).isEqualTo(context.getBean(ResultBackend.class).replyTo());
			assertThat(JsonMapper.builder().build().readTree(sent.getBody()))
				.isEqualTo(JsonMapper.builder().build().readTree(sample.get("body_raw").asString()));
		});
	}

	/** The sample's type tags, as {@code S}, {@code V}, {@code A[V,V]}. */
	private static String tags(JsonNode tagged) {
		String tag = tagged.get(0).asString();
		if (tag.equals("A")) {
			List<String> items = new ArrayList<>();
			tagged.get(1).forEach((item) -> items.add(tags(item)));
			return "A" + items;
		}
		return tag;
	}

	/** The AMQP client's decoded field, as the sample's type tags. */
	private static String tags(Object value) {
		if (value instanceof List<?> list) {
			List<String> items = new ArrayList<>();
			list.forEach((item) -> items.add(tags(item)));
			return "A" + items;
		}
		if (value == null) {
			return "V";
		}
		if (value instanceof LongString) {
			return "S";
		}
		if (value instanceof Integer) {
			return "I";
		}
		if (value instanceof Boolean) {
			return "t";
		}
		return value.getClass().getSimpleName();
	}

	@Test
	void poisonMessagesAreDeadLetteredWithTheirReasonWhileTheWorkerGoesOn() {
		this.runner.run((context) -> {
			RabbitTemplate template = context.getBean(RabbitTemplate.class);
			template.send("", "it.tasks", message("not json at all", "application/json", "it.add", "bad-json"));
			template.send("", "it.tasks", message("[[1],{},{}]", "application/json", "it.unknown", "unknown"));
			template.send("", "it.tasks",
					message("[[1],{},{}]", "application/x-python-serialize", "it.add", "pickled"));
			TaskClient client = context.getBean(TaskClient.class);
			assertThat(client.send("it.add", List.of(20, 22), Map.of()).get(TIMEOUT)).isEqualTo(42);
			Map<String, String> reasons = new HashMap<>();
			await().atMost(TIMEOUT).until(() -> {
				GetResponse dead = template.execute((channel) -> channel.basicGet("taskqueue.dead-letter", true));
				if (dead != null) {
					reasons.put(dead.getProps().getCorrelationId(),
							String.valueOf(dead.getProps().getHeaders().get(RabbitBroker.REASON_HEADER)));
				}
				return reasons.size() == 3;
			});
			assertThat(reasons.get("bad-json")).startsWith("undecodable message");
			assertThat(reasons.get("unknown")).contains("unregistered task 'it.unknown'");
			assertThat(reasons.get("pickled")).contains("application/x-python-serialize");
			assertThat(context.getBean(RabbitAdmin.class).getQueueInfo("it.tasks").getMessageCount()).isZero();
		});
	}

	@Test
	void anUndecodableMessageWithOnlyAnIdHeaderStoresFailureForThatId() {
		// results in memory: the message has no reply_to, so rpc would send its FAILURE nowhere
		this.runner.withPropertyValues("taskqueue.result-backend=memory").run((context) -> {
			org.springframework.amqp.core.Message unparseable = message("not json at all", "application/json",
					"it.add", "header-id-only");
			unparseable.getMessageProperties().setCorrelationId(null);
			context.getBean(RabbitTemplate.class).send("", "it.tasks", unparseable);
			AsyncResult<Object> waiting = context.getBean(TaskClient.class).result("header-id-only");
			assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> waiting.get(TIMEOUT))
				.satisfies((ex) -> assertThat(ex.getFailure().type()).contains("SerializationException"));
		});
	}

	@Test
	void workerAndClientRecoverWhenTheBrokerClosesTheirConnections() {
		// results in memory here: client and worker are one application, and rpc results sent while the reply
		// consumer reconnects are lost by design (as Celery's)
		this.runner.withPropertyValues("taskqueue.result-backend=memory").run((context) -> {
			TaskClient client = context.getBean(TaskClient.class);
			List<dev.taskqueue.AsyncResult<Object>> results = new ArrayList<>();
			for (int i = 0; i < 200; i++) {
				if (i == 100) {
					vhost.closeAllConnections();
				}
				List<Object> args = List.of(i, 1);
				// a send that fails while the connection is down is reported to the sender, who sends again
				results.add(await().atMost(TIMEOUT)
					.ignoreException(dev.taskqueue.broker.BrokerException.class)
					.until(() -> client.send("it.add", args, Map.of()), (result) -> true));
			}
			for (int i = 0; i < 200; i++) {
				assertThat(((Number) results.get(i).get(TIMEOUT)).longValue()).isEqualTo(i + 1L);
			}
		});
	}

	@Test
	void countdownRunsTheTaskNoEarlierThanItsEta() {
		this.runner.run((context) -> {
			TaskClient client = context.getBean(TaskClient.class);
			Instant sent = Instant.now();
			Object ranAt = client.withOptions(SendOptions.defaults().withCountdown(Duration.ofSeconds(3)))
				.send("it.now", List.of(), Map.of())
				.get(TIMEOUT);
			assertThat(((Number) ranAt).longValue()).isGreaterThanOrEqualTo(sent.plusSeconds(3).toEpochMilli());
		});
	}

	@Test
	void declaresTheTopologyFromProperties() {
		this.runner
			.withPropertyValues("taskqueue.rabbitmq.exchanges[0].name=it.events",
					"taskqueue.rabbitmq.exchanges[0].type=topic", "taskqueue.rabbitmq.queues[0].name=it.prio",
					"taskqueue.rabbitmq.queues[0].max-priority=10", "taskqueue.rabbitmq.queues[0].message-ttl=10m",
					"taskqueue.rabbitmq.queues[1].name=it.bound",
					"taskqueue.rabbitmq.queues[1].arguments.x-max-length=100",
					"taskqueue.rabbitmq.bindings[0].exchange=it.events", "taskqueue.rabbitmq.bindings[0].queue=it.bound",
					"taskqueue.rabbitmq.bindings[0].routing-key=orders.#")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				String queues = RabbitVhost.rabbitmqctl("list_queues", "-p", vhost.name(), "-q", "--no-table-headers",
						"name", "durable", "arguments");
				assertThat(queues).containsPattern("it\\.prio\\s+true\\s+.*x-max-priority.*10")
					.containsPattern("it\\.prio\\s+true\\s+.*x-message-ttl.*600000")
					.containsPattern("it\\.bound\\s+true\\s+.*x-max-length.*100")
					.containsPattern("it\\.tasks\\s+true\\s+\\[\\]")
					.containsPattern("taskqueue\\.dead-letter\\s+true");
				RabbitTemplate template = context.getBean(RabbitTemplate.class);
				template.convertAndSend("it.events", "orders.new", "hello");
				await().atMost(TIMEOUT)
					.until(() -> context.getBean(RabbitAdmin.class).getQueueInfo("it.bound").getMessageCount() == 1);
			});
	}

	@Test
	void theRoutingTableSendsThroughAnExchangeAndAnUnboundKeyFailsTheSend() {
		this.runner
			.withPropertyValues("taskqueue.rabbitmq.exchanges[0].name=it.events",
					"taskqueue.rabbitmq.exchanges[0].type=topic", "taskqueue.rabbitmq.queues[0].name=it.bound",
					"taskqueue.rabbitmq.bindings[0].exchange=it.events", "taskqueue.rabbitmq.bindings[0].queue=it.bound",
					"taskqueue.rabbitmq.bindings[0].routing-key=orders.#", "taskqueue.worker.queues=it.bound",
					"taskqueue.routes[0].pattern=it.add", "taskqueue.routes[0].queue=it.bound",
					"taskqueue.routes[0].exchange=it.events", "taskqueue.routes[0].routing-key=orders.add",
					"taskqueue.routes[1].pattern=it.now", "taskqueue.routes[1].queue=it.bound",
					"taskqueue.routes[1].exchange=it.events", "taskqueue.routes[1].routing-key=nobody.listens")
			.run((context) -> {
				TaskClient client = context.getBean(TaskClient.class);
				assertThat(client.send("it.add", 2, 3).get(TIMEOUT)).isEqualTo(5);
				assertThatExceptionOfType(dev.taskqueue.broker.BrokerException.class)
					.isThrownBy(() -> client.send("it.now"));
			});
	}

	@Test
	void consumesAQuorumQueueAlongsideAnother() {
		// quorum queues refuse a channel-wide (global) prefetch: the worker falls back to one per queue
		this.runner
			.withPropertyValues("taskqueue.rabbitmq.queues[0].name=it.quorum", "taskqueue.rabbitmq.queues[0].quorum=true",
					"taskqueue.worker.queues=it.quorum,it.tasks")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				TaskClient client = context.getBean(TaskClient.class);
				assertThat(client.withOptions(SendOptions.defaults().withQueue("it.quorum"))
					.send("it.add", List.of(1, 2), Map.of())
					.get(TIMEOUT)).isEqualTo(3);
				assertThat(client.send("it.add", List.of(3, 4), Map.of()).get(TIMEOUT)).isEqualTo(7);
				assertThat(RabbitVhost.rabbitmqctl("list_queues", "-p", vhost.name(), "-q", "--no-table-headers", "name",
						"type")).containsPattern("it\\.quorum\\s+quorum");
			});
	}

	@Test
	void aClashingDeclarationFailsTheStartUpNamingQueueAndArgument() {
		withAdmin((admin) -> admin.declareQueue(new Queue("it.clash", true, false, false)));
		this.runner
			.withPropertyValues("taskqueue.rabbitmq.queues[0].name=it.clash",
					"taskqueue.rabbitmq.queues[0].max-priority=10")
			.run((context) -> {
				assertThat(context).hasFailed();
				Throwable failure = context.getStartupFailure();
				List<String> messages = new ArrayList<>();
				for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
					messages.add(cause.getMessage());
				}
				assertThat(messages).anySatisfy((message) -> assertThat(message).contains("queue 'it.clash'")
					.contains("x-max-priority")
					.contains("taskqueue.rabbitmq"));
			});
	}

	private static org.springframework.amqp.core.Message message(String body, String contentType, String task,
			String id) {
		MessageProperties properties = new MessageProperties();
		properties.setContentType(contentType);
		properties.setContentEncoding("utf-8");
		properties.setHeader("task", task);
		properties.setHeader("id", id);
		properties.setCorrelationId(id);
		return new org.springframework.amqp.core.Message(body.getBytes(StandardCharsets.UTF_8), properties);
	}

	private static void withAdmin(java.util.function.Consumer<RabbitAdmin> action) {
		CachingConnectionFactory connectionFactory = vhost.connectionFactory();
		try {
			action.accept(new RabbitAdmin(connectionFactory));
		}
		finally {
			connectionFactory.destroy();
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class ItTasks {

		@Bean
		Tasks itTasks() {
			return new Tasks();
		}

	}

	public static class Tasks {

		@Task("it.add")
		public long add(long x, long y) {
			return x + y;
		}

		@Task("it.fail")
		public void fail(String message) {
			throw new IllegalStateException(message);
		}

		@Task("it.now")
		public long now() {
			return System.currentTimeMillis();
		}

	}

}
