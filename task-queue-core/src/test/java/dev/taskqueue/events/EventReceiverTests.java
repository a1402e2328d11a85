package dev.taskqueue.events;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.protocol.CelerySamples;
import dev.taskqueue.protocol.LamportClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The receiver hands out Celery's events one by one, whether they came alone or in a worker's batch, keeps the
 * application's clock past theirs, and skips what is not an event.
 */
class EventReceiverTests {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

	private final InMemoryEventTransport transport = new InMemoryEventTransport();

	private final LamportClock clock = new LamportClock();

	private final EventReceiver receiver = new EventReceiver(this.transport, this.clock, MAPPER,
			Clock.fixed(NOW, ZoneOffset.UTC));

	private final List<CeleryEvent> received = new CopyOnWriteArrayList<>();

	@Test
	void aWorkersBatchIsSplitIntoItsEvents() {
		this.receiver.subscribe(this.received::add);
		List<JsonNode> batch = List.of(sample("task-received"), sample("task-started"), sample("task-succeeded"));

		this.transport.publish("task.multi", MAPPER.writeValueAsBytes(batch), Map.of("hostname", "w1@capture"));

		assertThat(this.received).extracting(CeleryEvent::type)
			.containsExactly("task-received", "task-started", "task-succeeded");
		CeleryEvent succeeded = this.received.get(2);
		assertThat(succeeded.hostname()).isEqualTo("w1@capture");
		assertThat(succeeded.uuid()).isEqualTo(sample("task-succeeded").path("uuid").asString());
		assertThat(succeeded.get("result")).isEqualTo("5");
		assertThat(succeeded.pid()).isEqualTo(12957);
		assertThat(succeeded.group()).isEqualTo("task");
	}

	@Test
	void everyCapturedCeleryEventIsReadWithItsFields() {
		this.receiver.subscribe(this.received::add);
		JsonNode captured = CelerySamples.read("amqp_events_received_by_receiver");

		for (JsonNode event : captured) {
			this.transport.publish(event.path("type").asString().replace('-', '.'), MAPPER.writeValueAsBytes(event),
					Map.of());
		}

		assertThat(this.received).hasSize(captured.size());
		assertThat(this.received).extracting(CeleryEvent::type)
			.contains("worker-heartbeat", "task-sent", "task-received", "task-started", "task-succeeded", "task-failed",
					"task-retried", "task-revoked", "worker-offline");
		assertThat(this.received).allSatisfy((event) -> assertThat(event.hostname()).isNotEmpty());
	}

	@Test
	void theApplicationsClockMovesPastEveryWorkerEvent() {
		this.receiver.subscribe(this.received::add);
		Map<String, Object> heartbeat = Map.of("type", "worker-heartbeat", "hostname", "w1@x", "clock", 41,
				"utcoffset", 0, "timestamp", 1.0);

		this.transport.publish("worker.heartbeat", MAPPER.writeValueAsBytes(heartbeat), Map.of());

		assertThat(this.clock.value()).isEqualTo(42);
		assertThat(this.received.get(0).clock()).isEqualTo(41);
	}

	@Test
	void aClientsTaskSentTakesTheReceiversClockAsCelerysDoes() {
		this.receiver.subscribe(this.received::add);
		this.clock.adjust(9);
		assertThat(this.clock.value()).isEqualTo(10);
		Map<String, Object> sent = Map.of("type", "task-sent", "hostname", "gen1@x", "clock", 500, "uuid", "a");

		this.transport.publish("task.sent", MAPPER.writeValueAsBytes(sent), Map.of());

		// clients never synchronise their clock: (value or 1) + CLIENT_CLOCK_SKEW
		assertThat(this.received.get(0).clock()).isEqualTo(9);
		assertThat(this.clock.value()).isEqualTo(11);
	}

	@Test
	void anEventWithoutAClockIsGivenTheNext() {
		this.receiver.subscribe(this.received::add);

		this.transport.publish("custom.thing", "{\"type\": \"custom-thing\"}".getBytes(StandardCharsets.UTF_8), Map.of());

		assertThat(this.received.get(0).clock()).isEqualTo(1);
	}

	@Test
	void timestampsAreMovedIntoThisMachinesTimeZoneAndTheTimeOfReceiptIsAdded() {
		this.receiver.subscribe(this.received::add);
		int here = EventDispatcher.utcoffset(ZoneId.systemDefault(), NOW);
		Map<String, Object> heartbeat = Map.of("type", "worker-heartbeat", "hostname", "w1@x", "clock", 1,
				"utcoffset", here + 2, "timestamp", 100_000.0);

		this.transport.publish("worker.heartbeat", MAPPER.writeValueAsBytes(heartbeat), Map.of());

		// Celery's adjust_timestamp: ts - (offset - here) * 3600
		assertThat(this.received.get(0).timestamp()).isCloseTo(100_000.0 - 7200, within(0.001));
		assertThat(this.received.get(0).get("local_received")).isEqualTo(NOW.toEpochMilli() / 1000.0);
	}

	@Test
	void whatIsNotAnEventIsSkippedAndTheNextOneArrives() {
		this.receiver.subscribe(this.received::add);

		this.transport.publish("worker.heartbeat", "not json".getBytes(StandardCharsets.UTF_8), Map.of());
		this.transport.publish("task.multi", "[1, {\"no\": \"type\"}, {\"type\": \"\"}, {\"type\": \"task-started\"}]"
			.getBytes(StandardCharsets.UTF_8), Map.of());
		this.transport.publish("worker.heartbeat", "\"text\"".getBytes(StandardCharsets.UTF_8), Map.of());

		assertThat(this.received).extracting(CeleryEvent::type).containsExactly("task-started");
	}

	@Test
	void aHandlerThatThrowsDoesNotLoseTheRestOfTheBatch() {
		this.receiver.subscribe((event) -> {
			if (event.type().equals("task-started")) {
				throw new IllegalStateException("handler bug");
			}
			this.received.add(event);
		});

		this.transport.publish("task.multi", MAPPER.writeValueAsBytes(
				List.of(sample("task-received"), sample("task-started"), sample("task-succeeded"))), Map.of());

		assertThat(this.received).extracting(CeleryEvent::type).containsExactly("task-received", "task-succeeded");
	}

	@Test
	void aBindingKeySelectsTheEvents() {
		this.receiver.subscribe(new BindingKey("worker.#"), this.received::add);

		this.transport.publish("task.multi", MAPPER.writeValueAsBytes(List.of(sample("task-started"))), Map.of());
		this.transport.publish("worker.heartbeat", MAPPER.writeValueAsBytes(sample("worker-heartbeat")), Map.of());

		assertThat(this.received).extracting(CeleryEvent::type).containsExactly("worker-heartbeat");
	}

	@Test
	void aClosedSubscriptionReceivesNoMore() {
		EventTransport.Subscription subscription = this.receiver.subscribe(this.received::add);
		subscription.close();

		this.transport.publish("worker.heartbeat", MAPPER.writeValueAsBytes(sample("worker-heartbeat")), Map.of());

		assertThat(this.received).isEmpty();
	}

	private static JsonNode sample(String type) {
		return CelerySamples.read("events_by_type").path(type).path("redis").path("event");
	}

}
