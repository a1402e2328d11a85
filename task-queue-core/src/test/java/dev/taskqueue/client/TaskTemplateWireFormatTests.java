package dev.taskqueue.client;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.AsyncResult;
import dev.taskqueue.SendOptions;
import dev.taskqueue.broker.AbstractDelivery;
import dev.taskqueue.broker.memory.InMemoryBroker;
import dev.taskqueue.protocol.CelerySamples;
import dev.taskqueue.protocol.CelerySamples.CapturedTask;
import dev.taskqueue.protocol.Envelope;
import dev.taskqueue.protocol.ProtocolHeaders;
import dev.taskqueue.protocol.TaskMessage;
import dev.taskqueue.registry.TaskRegistry;
import dev.taskqueue.result.memory.InMemoryResultBackend;
import dev.taskqueue.routing.TaskRouter;
import dev.taskqueue.serialization.JsonSerializer;
import dev.taskqueue.serialization.SerializerRegistry;
import dev.taskqueue.serialization.TaskMessageConverter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@link TaskTemplate} publishes is what a Celery 5.2 worker reads: all 16 protocol v2 headers in
 * Celery's order with Celery's types, the 3-element body, and the message properties, checked against the
 * messages real Celery clients published (the captured samples).
 */
class TaskTemplateWireFormatTests {

	private static final Instant NOW = Instant.parse("2026-11-23T23:01:27.438854Z");

	private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final JsonSerializer json = new JsonSerializer(this.mapper);

	private final TaskMessageConverter converter = new TaskMessageConverter(
			new SerializerRegistry(List.of(this.json), List.of("json")), this.clock);

	private final InMemoryBroker broker = new InMemoryBroker(this.clock);

	private final TaskTemplate client = TaskTemplate
		.builder(this.broker, this.converter, TaskRouter.builder(new TaskRegistry()).defaultQueue("celery").build(),
				new InMemoryResultBackend(Duration.ofHours(1), this.clock))
		.jsonMapper(this.mapper)
		.clock(this.clock)
		.build();

	@AfterEach
	void closeBroker() {
		this.broker.close();
	}

	@Test
	void hasEveryHeaderACeleryWorkerReadsInCeleryOrderWithCeleryTypes() {
		AsyncResult<Object> sent = this.client.send("sample.add", 2, 3);
		Envelope envelope = take("celery");
		Map<String, Object> headers = envelope.headers();

		// Celery's 16, in Celery's order, then ours: when it was sent, which a Celery worker ignores
		assertThat(headers.keySet()).containsExactlyElementsOf(withSent(ProtocolHeaders.ALL));
		assertThat(headers).containsEntry(ProtocolHeaders.SENT, NOW.toEpochMilli());
		assertThat(headers).containsEntry("lang", "java")
			.containsEntry("task", "sample.add")
			.containsEntry("id", sent.id())
			.containsEntry("shadow", null)
			.containsEntry("eta", null)
			.containsEntry("expires", null)
			.containsEntry("group", null)
			.containsEntry("group_index", null)
			.containsEntry("retries", 0)
			.containsEntry("timelimit", Arrays.asList(null, null))
			.containsEntry("root_id", sent.id())
			.containsEntry("parent_id", null)
			.containsEntry("argsrepr", "(2, 3)")
			.containsEntry("kwargsrepr", "{}")
			.containsEntry("ignore_result", false);
		assertThat(UUID.fromString(sent.id())).hasToString(sent.id());
		assertThat((String) headers.get("origin")).matches("gen\\d+@.+");
		assertThat(envelope.correlationId()).isEqualTo(sent.id());
		assertThat(envelope.replyTo()).isNotBlank();
		assertThat(envelope.contentType()).isEqualTo("application/json");
		assertThat(envelope.contentEncoding()).isEqualTo("utf-8");
		assertThat(envelope.priority()).isZero();
		assertThat(envelope.expiration()).isNull();
	}

	@Test
	void headerNamesAndTypesMatchWhatCeleryPublishesOverRedis() {
		this.client.send("sample.add", 2, 3);
		Envelope ours = take("celery");
		CapturedTask celery = CelerySamples.first("redis_publish_plain_apply_async");
		assertThat(ours.headers().keySet()).containsExactlyElementsOf(withSent(celery.envelope().headers().keySet()));
		// as a Redis transport writes them: through JSON
		Map<String, Object> ourJsonHeaders = roundTrip(ours.headers());
		celery.envelope().headers().forEach((name, value) -> assertThat(pythonType(ourJsonHeaders.get(name)))
			.as("type of header '%s'", name)
			.isEqualTo(pythonType(value)));
		assertThat(ourJsonHeaders.get(ProtocolHeaders.SENT)).isEqualTo(NOW.toEpochMilli());
	}

	@Test
	void headerTypesMatchWhatCeleryPublishesOverAmqp() {
		this.client.send("sample.add", 2, 3);
		Map<String, Object> ours = take("celery").headers();
		Map<String, Object> celery = CelerySamples.first("amqp_publish_plain_apply_async").wireHeaders();
		assertThat(ours.keySet()).containsExactlyElementsOf(withSent(celery.keySet()));
		// a number of epoch millis, past an int: a long long, as py-amqp writes a Python int that large
		assertThat(amqpTags(ours.get(ProtocolHeaders.SENT))).isEqualTo("L");
		celery.forEach((name, tagged) -> assertThat(amqpTags(ours.get(name))).as("AMQP type of header '%s'", name)
			.isEqualTo(tagsOf(tagged)));
	}

	@Test
	void etaAndExpiresAreStringsLikeCelerysOverAmqp() {
		this.client.withOptions(SendOptions.defaults()
			.withCountdown(Duration.ofSeconds(60))
			.withExpires(Duration.ofSeconds(120))).send("sample.add", 1, 1);
		Envelope ours = take("celery");
		Map<String, Object> celery = CelerySamples.first("amqp_publish_countdown_expires").wireHeaders();
		assertThat(amqpTags(ours.headers().get("eta"))).isEqualTo(tagsOf(celery.get("eta"))).isEqualTo("S");
		assertThat(amqpTags(ours.headers().get("expires"))).isEqualTo(tagsOf(celery.get("expires"))).isEqualTo("S");
	}

	@Test
	void bodyIsArgsKwargsAndEmbed() {
		this.client.send("sample.greet", List.of("Ada"), Map.of("greeting", "Hello"));
		Envelope envelope = take("celery");
		Object body = this.json.deserialize(envelope.body());
		assertThat(body).isInstanceOf(List.class);
		List<?> parts = (List<?>) body;
		assertThat(parts).hasSize(3);
		assertThat(parts.get(0)).isEqualTo(List.of("Ada"));
		assertThat(parts.get(1)).isEqualTo(Map.of("greeting", "Hello"));
		assertThat(parts.get(2)).isEqualTo(TaskMessage.emptyEmbed());
		assertThat(new ArrayList<Object>(((Map<?, ?>) parts.get(2)).keySet())).containsExactly("callbacks", "errbacks",
				"chain", "chord");
		assertThat(envelope.headers()).containsEntry("argsrepr", "('Ada',)")
			.containsEntry("kwargsrepr", "{'greeting': 'Hello'}");
		// the same shape as the body a Celery client sent
		Object celeryBody = this.json.deserialize(CelerySamples.first("redis_publish_send_task_kwargs").envelope().body());
		assertThat(((List<?>) celeryBody).get(2)).isEqualTo(parts.get(2));
	}

	@Test
	void countdownAndExpiresArePythonIsoformatInUtc() {
		this.client.withOptions(SendOptions.defaults()
			.withCountdown(Duration.ofSeconds(60))
			.withExpires(Duration.ofSeconds(120))).send("sample.add", 1, 1);
		Envelope envelope = take("celery");
		assertThat(envelope.headers()).containsEntry("eta", "2026-11-23T23:02:27.438854+00:00")
			.containsEntry("expires", "2026-11-23T23:03:27.438854+00:00");
		// as Celery: the expiry is also the message's time to live, in milliseconds
		assertThat(envelope.expiration()).isEqualTo("120000");
	}

	@Test
	void etaWithoutMicrosecondsHasNoFraction() {
		this.client.withOptions(SendOptions.defaults().withEta(Instant.parse("2030-01-02T03:04:05Z")))
			.send("sample.add", 1, 1);
		assertThat(take("celery").headers()).containsEntry("eta", "2030-01-02T03:04:05+00:00");
	}

	@Test
	void userHeadersAreMergedAtTopLevelAfterTheProtocolHeaders() {
		this.client.withOptions(SendOptions.defaults()
			.withHeader("x-custom", "hello")
			.withHeader("n", 7)
			.withHeader("none", null)
			.withHeader("id", "not-the-id")).send("sample.add", 1, 1);
		Envelope envelope = take("celery");
		List<String> names = new ArrayList<>(envelope.headers().keySet());
		assertThat(names.subList(0, 16)).containsExactlyElementsOf(ProtocolHeaders.ALL);
		assertThat(names.subList(16, names.size())).containsExactly(ProtocolHeaders.SENT, "x-custom", "n", "none");
		assertThat(envelope.headers()).containsEntry("x-custom", "hello")
			.containsEntry("n", 7)
			.containsEntry("none", null)
			.containsEntry("id", envelope.correlationId());
		// a worker sees them as the message's extra headers
		assertThat(this.converter.fromEnvelope(envelope).extraHeaders()).containsEntry("x-custom", "hello")
			.containsEntry("n", 7);
	}

	@Test
	void priorityAndQueueAreMessagePropertiesNotHeaders() {
		this.client.withOptions(SendOptions.defaults().withQueue("wire-format-tests").withPriority(7))
			.send("sample.add", 1, 1);
		Envelope envelope = take("wire-format-tests");
		assertThat(envelope.priority()).isEqualTo(7);
		assertThat(envelope.headers()).doesNotContainKeys("priority", "queue");
		assertThat(this.broker.size("celery")).isZero();
	}

	@Test
	void givenTaskIdIsTheIdTheRootIdAndTheCorrelationId() {
		String id = "5a0a1c50-6b8e-4a64-9a6b-0f2f1d0b6d0e";
		this.client.withOptions(SendOptions.defaults().withTaskId(id)).send("sample.add", 1, 1);
		Envelope envelope = take("celery");
		assertThat(envelope.headers()).containsEntry("id", id).containsEntry("root_id", id);
		assertThat(envelope.correlationId()).isEqualTo(id);
	}

	@Test
	void aWorkerReadsBackWhatTheClientSent() {
		this.client.withOptions(SendOptions.defaults().withCountdown(Duration.ofSeconds(5)))
			.send("sample.echo", List.of(Map.of("big", new BigInteger("1180591620717411303424"), "s", "ünï")), Map.of());
		TaskMessage message = this.converter.fromEnvelope(take("celery"));
		assertThat(message.task()).isEqualTo("sample.echo");
		assertThat(message.eta()).isEqualTo(NOW.plusSeconds(5));
		assertThat(message.args()).containsExactly(Map.of("big", new BigInteger("1180591620717411303424"), "s", "ünï"));
		assertThat(message.lang()).isEqualTo("java");
	}

	/**
	 * Celery's header names, then {@code taskqueue_sent}, which our client adds after them.
	 */
	private static List<String> withSent(java.util.Collection<String> celeryHeaders) {
		List<String> names = new ArrayList<>(celeryHeaders);
		names.add(ProtocolHeaders.SENT);
		return names;
	}

	private Envelope take(String queue) {
		try {
			AbstractDelivery delivery = this.broker.poll(List.of(queue), Duration.ZERO);
			assertThat(delivery).as("a message in queue '%s'", queue).isNotNull();
			delivery.ack();
			return delivery.envelope();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> roundTrip(Map<String, Object> headers) {
		return (Map<String, Object>) this.json.deserialize(this.json.serialize(headers));
	}

	// the Python type a JSON value decodes to
	private static String pythonType(Object value) {
		if (value == null) {
			return "NoneType";
		}
		if (value instanceof String) {
			return "str";
		}
		if (value instanceof Boolean) {
			return "bool";
		}
		if (value instanceof Integer || value instanceof Long || value instanceof BigInteger) {
			return "int";
		}
		if (value instanceof Double || value instanceof Float) {
			return "float";
		}
		if (value instanceof List<?> list) {
			return "list" + list.stream().map(TaskTemplateWireFormatTests::pythonType).toList();
		}
		if (value instanceof Map) {
			return "dict";
		}
		return value.getClass().getName();
	}

	// the AMQP field type py-amqp gives a Python value, nested types in brackets: "A[V, V]"
	private static String amqpTags(Object value) {
		if (value == null) {
			return "V";
		}
		if (value instanceof String) {
			return "S";
		}
		if (value instanceof Boolean) {
			return "t";
		}
		if (value instanceof Integer) {
			return "I";
		}
		if (value instanceof Long number) {
			return (number == number.intValue()) ? "I" : "L";
		}
		if (value instanceof Double) {
			return "d";
		}
		if (value instanceof List<?> list) {
			return "A" + list.stream().map(TaskTemplateWireFormatTests::amqpTags).toList();
		}
		if (value instanceof Map) {
			return "F";
		}
		return value.getClass().getName();
	}

	private static String tagsOf(Object tagged) {
		List<?> field = (List<?>) tagged;
		String tag = (String) field.get(0);
		return "A".equals(tag) ? "A" + ((List<?>) field.get(1)).stream().map(TaskTemplateWireFormatTests::tagsOf).toList()
				: tag;
	}

}
