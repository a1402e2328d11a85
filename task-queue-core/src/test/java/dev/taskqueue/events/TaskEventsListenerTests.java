package dev.taskqueue.events;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.SendOptions;
import dev.taskqueue.Task;
import dev.taskqueue.TaskContext;
import dev.taskqueue.broker.AbstractDelivery;
import dev.taskqueue.broker.memory.InMemoryBroker;
import dev.taskqueue.client.TaskTemplate;
import dev.taskqueue.listener.TaskListener;
import dev.taskqueue.protocol.CelerySamples;
import dev.taskqueue.protocol.Envelope;
import dev.taskqueue.protocol.LamportClock;
import dev.taskqueue.registry.TaskAnnotationBeanPostProcessor;
import dev.taskqueue.registry.TaskRegistry;
import dev.taskqueue.result.memory.InMemoryResultBackend;
import dev.taskqueue.revoke.InMemoryRevocations;
import dev.taskqueue.routing.TaskRouter;
import dev.taskqueue.serialization.JsonSerializer;
import dev.taskqueue.serialization.SerializerRegistry;
import dev.taskqueue.serialization.TaskMessageConverter;
import dev.taskqueue.worker.TaskProcessor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A worker's task events, and a client's {@code task-sent}, have the types, fields, field order and value types of
 * the events Celery 5.2.6 sent in the captured samples ({@code events_by_type.json}), with Java's exceptions shown
 * as Celery shows Python's. Built from the engine's parts with the in-memory broker; each message is processed on
 * the test's thread.
 */
class TaskEventsListenerTests {

	private static final String QUEUE = "events-tests";

	private static final JsonNode SAMPLES = CelerySamples.read("events_by_type");

	private final Clock clock = Clock.systemUTC();

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final InMemoryBroker broker = new InMemoryBroker(this.clock);

	private final InMemoryResultBackend results = new InMemoryResultBackend(Duration.ofHours(1), this.clock);

	private final InMemoryRevocations revocations = new InMemoryRevocations(Duration.ofHours(1), this.clock);

	private final TaskRegistry registry = new TaskRegistry();

	private final TaskMessageConverter converter = new TaskMessageConverter(
			new SerializerRegistry(List.of(new JsonSerializer(this.mapper)), List.of("json")), this.clock);

	private final RecordingEventTransport transport = new RecordingEventTransport();

	private final LamportClock lamport = new LamportClock();

	private final EventDispatcher worker = EventDispatcher.builder(this.transport, this.mapper, this.lamport, "w1@test")
		.taskEvents(true)
		.batchTaskEvents(24, Duration.ofHours(1))
		.build();

	private final EventDispatcher sender = EventDispatcher.builder(this.transport, this.mapper, this.lamport,
			"gen1@test")
		.taskEvents(true)
		.build();

	private final TaskEventsListener listener = new TaskEventsListener(this.worker, null);

	private final TaskProcessor processor = processor(List.of(this.listener));

	private final TaskTemplate client = client(List.of());

	TaskEventsListenerTests() {
		new TaskAnnotationBeanPostProcessor(this.registry).postProcessAfterInitialization(new Tasks(), "tasks");
	}

	@AfterEach
	void close() {
		this.processor.close();
		this.broker.close();
		this.worker.close();
		this.sender.close();
	}

	@Test
	void aTaskThatSucceedsIsReceivedStartedAndSucceededAsCeleryTellsIt() throws Exception {
		String id = this.client.send("events.add", 2, 3).id();

		processNext();

		List<JsonNode> events = events();
		assertThat(types(events)).containsExactly("task-received", "task-started", "task-succeeded");
		events.forEach(TaskEventsListenerTests::assertShapedAsCelerys);
		JsonNode received = events.get(0);
		assertThat(received.path("uuid").asString()).isEqualTo(id);
		assertThat(received.path("name").asString()).isEqualTo("events.add");
		assertThat(received.path("args").asString()).isEqualTo("(2, 3)");
		assertThat(received.path("kwargs").asString()).isEqualTo("{}");
		assertThat(received.path("root_id").asString()).isEqualTo(id);
		assertThat(received.path("retries").asInt()).isZero();
		JsonNode succeeded = events.get(2);
		assertThat(succeeded.path("result").asString()).isEqualTo("5");
		assertThat(succeeded.path("runtime").asDouble()).isPositive().isLessThan(5);
		assertThat(this.transport.published()).extracting(RecordingEventTransport.Published::routingKey)
			.containsOnly("task.multi");
		// ordered by the clock, as a monitor orders them
		assertThat(events).extracting((event) -> event.path("clock").asLong()).isSorted();
	}

	@Test
	void aFailureCarriesItsExceptionAsAReprAndJavasStackTraceAsTheTraceback() throws Exception {
		String id = this.client.send("events.fail", "boom").id();

		processNext();

		List<JsonNode> events = events();
		assertThat(types(events)).containsExactly("task-received", "task-started", "task-failed");
		JsonNode failed = events.get(2);
		assertShapedAsCelerys(failed);
		assertThat(failed.path("uuid").asString()).isEqualTo(id);
		assertThat(failed.path("exception").asString()).isEqualTo("IllegalArgumentException('boom')");
		assertThat(failed.path("traceback").asString()).startsWith("java.lang.IllegalArgumentException: boom");
	}

	@Test
	void aRetryIsTaskRetriedWithTheReasonAndItsNextRunIsReceivedAgain() throws Exception {
		this.client.send("events.retryOnce").id();

		processNext();
		processNext();

		List<JsonNode> events = events();
		assertThat(types(events)).containsExactly("task-received", "task-started", "task-retried", "task-received",
				"task-started", "task-succeeded");
		assertShapedAsCelerys(events.get(2));
		assertThat(events.get(2).path("exception").asString()).isEqualTo("IllegalStateException('not yet')");
		assertThat(events.get(3).path("retries").asInt()).isEqualTo(1);
	}

	@Test
	void aTaskRevokedBeforeItRunsIsOnlyTaskRevoked() throws Exception {
		String id = this.client.send("events.add", 1, 1).id();
		this.revocations.revoke(id, false);

		processNext();

		List<JsonNode> events = events();
		assertThat(types(events)).containsExactly("task-revoked");
		assertShapedAsCelerys(events.get(0));
		assertThat(events.get(0).path("terminated").asBoolean()).isFalse();
		assertThat(events.get(0).path("signum").isNull()).isTrue();
		assertThat(events.get(0).path("expired").asBoolean()).isFalse();
	}

	@Test
	void aTaskThatExpiredBeforeItRanIsTaskRevokedExpired() throws Exception {
		this.client.withOptions(SendOptions.defaults().withExpires(Instant.now().minusSeconds(5)))
			.send("events.add", 1, 1);

		processNext();

		List<JsonNode> events = events();
		assertThat(types(events)).containsExactly("task-revoked");
		assertThat(events.get(0).path("expired").asBoolean()).isTrue();
	}

	@Test
	void anUnknownTaskIsTaskFailedNotRegisteredWithoutATraceback() throws Exception {
		String id = this.client.send("events.nobody", 1).id();

		processNext();

		List<JsonNode> events = events();
		assertThat(types(events)).containsExactly("task-failed");
		assertThat(events.get(0).path("uuid").asString()).isEqualTo(id);
		assertThat(events.get(0).path("exception").asString()).isEqualTo("NotRegistered('events.nobody')");
		assertThat(events.get(0).has("traceback")).isFalse();
	}

	@Test
	void aTaskDeadLetteredWhenItsRetriesAreUsedUpFailsAndIsRejected() throws Exception {
		String id = this.client.send("events.exhausted").id();

		processNext();

		List<JsonNode> events = events();
		assertThat(types(events)).containsExactly("task-received", "task-started", "task-failed", "task-rejected");
		assertThat(events.get(3).path("uuid").asString()).isEqualTo(id);
		assertThat(events.get(3).path("requeue").asBoolean(true)).isFalse();
	}

	@Test
	void aCeleryClientsTaskIsDescribedByWhatItsMessageSays() throws Exception {
		Envelope celery = CelerySamples.first("redis_publish_plain_apply_async").envelope();
		this.broker.publish(QUEUE, celery);

		processNext();

		// the sample's task (capapp.add) is unknown here: no task-received, as Celery
		JsonNode failed = events().get(0);
		assertThat(failed.path("uuid").asString()).isEqualTo(celery.correlationId());
		assertThat(failed.path("exception").asString()).isEqualTo("NotRegistered('" + celery.taskName() + "')");
	}

	@Test
	void noTaskEventIsSentWhileTaskEventsAreOff() throws Exception {
		this.worker.disableTaskEvents();
		this.client.send("events.add", 2, 3);

		processNext();
		this.worker.close();

		assertThat(this.transport.published()).isEmpty();
	}

	@Test
	void aClientSendsTaskSentWithWhatItsMessageSays() {
		TaskTemplate client = client(List.of(new TaskEventsListener(null, this.sender)));

		String id = client.withOptions(SendOptions.defaults().withCountdown(Duration.ofMinutes(1)))
			.send("events.add", 2, 3)
			.id();
		this.sender.close();

		assertThat(this.transport.published()).hasSize(1);
		RecordingEventTransport.Published message = this.transport.published().get(0);
		assertThat(message.routingKey()).isEqualTo("task.sent");
		JsonNode sent = message.body();
		assertShapedAsCelerys(sent);
		assertThat(sent.path("hostname").asString()).isEqualTo("gen1@test");
		assertThat(sent.path("uuid").asString()).isEqualTo(id);
		assertThat(sent.path("root_id").asString()).isEqualTo(id);
		assertThat(sent.path("name").asString()).isEqualTo("events.add");
		assertThat(sent.path("args").asString()).isEqualTo("(2, 3)");
		assertThat(sent.path("eta").asString()).isNotEmpty();
		assertThat(sent.path("queue").asString()).isEqualTo(QUEUE);
		assertThat(sent.path("exchange").asString()).isEmpty();
		assertThat(sent.path("routing_key").asString()).isEqualTo(QUEUE);
	}

	@Test
	void aJavaExceptionReadsAsAPythonOne() {
		assertThat(TaskEventsListener.exceptionRepr(new IllegalStateException("it's \"bad\""))).isEqualTo(
				"IllegalStateException('it\\'s \"bad\"')");
		assertThat(TaskEventsListener.exceptionRepr(new UnsupportedOperationException()))
			.isEqualTo("UnsupportedOperationException()");
		assertThat(TaskEventsListener.resultRepr("x".repeat(2000))).hasSize(TaskEventsListener.RESULT_REPR_MAX)
			.endsWith("...");
	}

	/**
	 * The event has the fields of Celery's event of its type, in Celery's order, each with the JSON type Celery's
	 * has where Celery's is not {@code null}.
	 */
	static void assertShapedAsCelerys(JsonNode event) {
		String type = event.path("type").asString();
		JsonNode celery = SAMPLES.path(type).path("redis").path("event");
		assertThat(celery.isObject()).as("a captured %s", type).isTrue();
		assertThat(new ArrayList<>(event.propertyNames())).as(type)
			.containsExactlyElementsOf(new ArrayList<>(celery.propertyNames()));
		for (String field : celery.propertyNames()) {
			JsonNode theirs = celery.path(field);
			JsonNode ours = event.path(field);
			if (!theirs.isNull() && !ours.isNull()) {
				assertThat(ours.getNodeType()).as("%s.%s", type, field).isEqualTo(theirs.getNodeType());
				assertThat(ours.isIntegralNumber()).as("%s.%s is an integer", type, field)
					.isEqualTo(theirs.isIntegralNumber());
			}
		}
	}

	private List<JsonNode> events() {
		this.worker.close();
		return this.transport.published().stream().flatMap((message) -> message.events().stream()).toList();
	}

	private static List<String> types(List<JsonNode> events) {
		return events.stream().map((event) -> event.path("type").asString()).toList();
	}

	private void processNext() throws InterruptedException {
		AbstractDelivery delivery = this.broker.poll(List.of(QUEUE), Duration.ofSeconds(5));
		assertThat(delivery).as("a message in " + QUEUE).isNotNull();
		this.processor.process(delivery);
	}

	private TaskTemplate client(List<TaskListener> listeners) {
		return TaskTemplate
			.builder(this.broker, this.converter, TaskRouter.builder(this.registry).defaultQueue(QUEUE).build(),
					this.results)
			.jsonMapper(this.mapper)
			.clock(this.clock)
			.listeners(listeners)
			.build();
	}

	private TaskProcessor processor(List<TaskListener> listeners) {
		return TaskProcessor.builder(this.converter, this.registry, this.results, this.broker)
			.jsonMapper(this.mapper)
			.clock(this.clock)
			.hostname("w1@test")
			.revocations(this.revocations)
			.listeners(listeners)
			.build();
	}

	/**
	 * A task for each outcome.
	 */
	public static class Tasks {

		@Task(name = "events.add")
		public int add(int a, int b) {
			return a + b;
		}

		@Task(name = "events.fail")
		public void fail(String message) {
			throw new IllegalArgumentException(message);
		}

		@Task(name = "events.retryOnce")
		public String retryOnce() {
			TaskContext context = TaskContext.current();
			if (context.retries() == 0) {
				throw context.retry(new IllegalStateException("not yet"), Duration.ZERO);
			}
			return "done";
		}

		@Task(name = "events.exhausted", autoretryFor = IllegalStateException.class, maxRetries = 0,
				onRetriesExhausted = Task.RetriesExhausted.DEAD_LETTER, acks = Task.Acks.LATE)
		public void exhausted() {
			throw new IllegalStateException("always");
		}

	}

}
