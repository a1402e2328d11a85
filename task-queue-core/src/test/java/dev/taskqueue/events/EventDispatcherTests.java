package dev.taskqueue.events;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.protocol.LamportClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dispatcher stamps every event as Celery's does, batches a worker's task events under {@code task.multi},
 * sends worker events one by one, follows {@code enable_events} / {@code disable_events}, and never makes its
 * caller wait for the broker.
 */
class EventDispatcherTests {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private final RecordingEventTransport transport = new RecordingEventTransport();

	private final LamportClock clock = new LamportClock();

	private EventDispatcher dispatcher;

	@AfterEach
	void close() {
		this.transport.hang(false);
		if (this.dispatcher != null) {
			this.dispatcher.close();
		}
	}

	private EventDispatcher worker(int bufferLimit, Duration flushInterval) {
		this.dispatcher = EventDispatcher.builder(this.transport, MAPPER, this.clock, "w1@host")
			.taskEvents(true)
			.batchTaskEvents(bufferLimit, flushInterval)
			.build();
		return this.dispatcher;
	}

	@Test
	void everyEventCarriesCeleryStampsInCeleryOrder() {
		EventDispatcher events = worker(24, Duration.ofMillis(50));

		events.send("worker-online", Map.of("freq", 2.0));

		await().until(() -> this.transport.published().size() == 1);
		RecordingEventTransport.Published message = this.transport.published().get(0);
		assertThat(message.routingKey()).isEqualTo("worker.online");
		assertThat(message.headers()).isEqualTo(Map.of("hostname", "w1@host"));
		JsonNode event = message.body();
		assertThat(event.propertyNames()).containsExactly("hostname", "utcoffset", "pid", "clock", "freq", "timestamp",
				"type");
		assertThat(event.path("hostname").asString()).isEqualTo("w1@host");
		assertThat(event.path("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
		assertThat(event.path("clock").asLong()).isEqualTo(1);
		assertThat(event.path("type").asString()).isEqualTo("worker-online");
		// a float of seconds, as Python's time.time(), written plainly
		assertThat(event.path("timestamp").isNumber()).isTrue();
		assertThat(event.path("timestamp").asDouble()).isCloseTo(Instant.now().toEpochMilli() / 1000.0,
				org.assertj.core.data.Offset.offset(5.0));
		assertThat(message.text()).containsPattern("\"timestamp\":\\d{10}\\.\\d{6},");
	}

	@Test
	void eachEventMovesTheApplicationsClockForward() {
		EventDispatcher events = worker(24, Duration.ofMillis(50));
		this.clock.adjust(41);

		events.send("worker-heartbeat", Map.of());
		events.send("worker-heartbeat", Map.of());

		await().until(() -> this.transport.published().size() == 2);
		assertThat(this.transport.published()).extracting((message) -> message.body().path("clock").asLong())
			.containsExactly(43L, 44L);
		assertThat(this.clock.value()).isEqualTo(44);
	}

	@Test
	void aWorkersTaskEventsGoTogetherUnderTaskMultiOnceTheBufferIsFull() {
		EventDispatcher events = worker(3, Duration.ofHours(1));

		events.send("task-received", Map.of("uuid", "a"));
		events.send("task-started", Map.of("uuid", "a"));
		events.send("task-succeeded", Map.of("uuid", "a"));

		await().until(() -> this.transport.published().size() == 1);
		RecordingEventTransport.Published batch = this.transport.published().get(0);
		assertThat(batch.routingKey()).isEqualTo("task.multi");
		assertThat(batch.body().isArray()).isTrue();
		assertThat(batch.events()).extracting((event) -> event.path("type").asString())
			.containsExactly("task-received", "task-started", "task-succeeded");
	}

	@Test
	void bufferedTaskEventsGoAfterTheFlushIntervalAtTheLatest() {
		EventDispatcher events = worker(24, Duration.ofMillis(100));

		events.send("task-started", Map.of("uuid", "a"));

		await().atMost(Duration.ofSeconds(2)).until(() -> this.transport.published().size() == 1);
		assertThat(this.transport.published().get(0).routingKey()).isEqualTo("task.multi");
		assertThat(this.transport.published().get(0).events()).hasSize(1);
	}

	@Test
	void closingSendsWhatIsStillBuffered() {
		EventDispatcher events = worker(24, Duration.ofHours(1));
		events.send("task-started", Map.of("uuid", "a"));
		events.send("worker-offline", Map.of());

		events.close();

		assertThat(this.transport.published()).extracting(RecordingEventTransport.Published::routingKey)
			.containsExactlyInAnyOrder("worker.offline", "task.multi");
	}

	@Test
	void aClientSendsItsTaskEventsOneByOne() {
		this.dispatcher = EventDispatcher.builder(this.transport, MAPPER, this.clock, "gen1@host").taskEvents(true).build();

		this.dispatcher.send("task-sent", Map.of("uuid", "a"));

		await().until(() -> this.transport.published().size() == 1);
		assertThat(this.transport.published().get(0).routingKey()).isEqualTo("task.sent");
		assertThat(this.transport.published().get(0).body().isObject()).isTrue();
	}

	@Test
	void taskEventsFollowEnableAndDisableWhileWorkerEventsAlwaysGo() {
		this.dispatcher = EventDispatcher.builder(this.transport, MAPPER, this.clock, "w1@host")
			.batchTaskEvents(1, Duration.ofMillis(50))
			.build();
		assertThat(this.dispatcher.isTaskEventsEnabled()).isFalse();

		this.dispatcher.send("task-started", Map.of("uuid", "off"));
		this.dispatcher.send("worker-heartbeat", Map.of());
		assertThat(this.dispatcher.enableTaskEvents()).isTrue();
		assertThat(this.dispatcher.enableTaskEvents()).isFalse();
		this.dispatcher.send("task-started", Map.of("uuid", "on"));
		assertThat(this.dispatcher.disableTaskEvents()).isTrue();
		assertThat(this.dispatcher.disableTaskEvents()).isFalse();
		this.dispatcher.send("task-started", Map.of("uuid", "off-again"));
		this.dispatcher.close();

		assertThat(this.transport.published()).flatExtracting(RecordingEventTransport.Published::events)
			.extracting((event) -> event.path("type").asString() + " " + event.path("uuid").asString(""))
			.containsExactlyInAnyOrder("worker-heartbeat ", "task-started on");
	}

	@Test
	void aBrokerThatHangsNeverHoldsTheSenderAndWhatItCannotTakeIsDroppedWithOneLogLine() {
		ListAppender<ILoggingEvent> log = capture();
		try {
			EventDispatcher events = EventDispatcher.builder(this.transport, MAPPER, this.clock, "w1@host")
				.taskEvents(true)
				.batchTaskEvents(1, Duration.ofMillis(10))
				.maxPending(10)
				.build();
			this.dispatcher = events;
			this.transport.hang(true);

			long started = System.nanoTime();
			for (int i = 0; i < 1000; i++) {
				events.send("task-started", Map.of("uuid", "t" + i));
			}

			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
			this.transport.hang(false);
			await().until(() -> log.list.stream()
				.anyMatch((line) -> line.getFormattedMessage().startsWith("Events from w1@host are sent again")));
			assertThat(log.list).filteredOn((line) -> line.getFormattedMessage().contains("are dropped")).hasSize(1);
		}
		finally {
			release(log);
		}
	}

	@Test
	void whileTheBrokerRefusesEventsAreDroppedWithOneLogLineAndSentAgainOnceItTakesThem() {
		ListAppender<ILoggingEvent> log = capture();
		try {
			EventDispatcher events = worker(1, Duration.ofMillis(10));
			this.transport.refuse(true);
			for (int i = 0; i < 5; i++) {
				events.send("worker-heartbeat", Map.of("n", i));
			}
			await().until(() -> warnings(log) == 1);

			this.transport.refuse(false);
			events.send("worker-heartbeat", Map.of("n", 5));

			await().until(() -> this.transport.published().size() == 1);
			assertThat(this.transport.published().get(0).body().path("n").asInt()).isEqualTo(5);
			await().until(() -> log.list.stream().anyMatch((line) -> line.getFormattedMessage()
				.startsWith("Publishing events again (5 dropped meanwhile)")));
			assertThat(warnings(log)).isEqualTo(1);
		}
		finally {
			release(log);
		}
	}

	@Test
	void utcoffsetIsPythonsHoursWestOfGreenwichRoundedDown() {
		Instant now = Instant.now();
		assertThat(EventDispatcher.utcoffset(ZoneOffset.ofHours(2), now)).isEqualTo(-2);
		// Python: -19800 // 3600 == -6
		assertThat(EventDispatcher.utcoffset(ZoneOffset.ofHoursMinutes(5, 30), now)).isEqualTo(-6);
		assertThat(EventDispatcher.utcoffset(ZoneOffset.ofHours(-5), now)).isEqualTo(5);
		assertThat(EventDispatcher.utcoffset(ZoneOffset.UTC, now)).isZero();
	}

	@Test
	void timestampsAreSecondsWithSixDecimals() {
		assertThat(EventDispatcher.seconds(1_795_475_428_426_847L)).isEqualTo("1795475428.426847");
		assertThat(EventDispatcher.seconds(1_795_475_428_000_042L)).isEqualTo("1795475428.000042");
		assertThat(EventDispatcher.seconds(0L)).isEqualTo("0.000000");
	}

	@Test
	void eventsAreWrittenAsTheMapperWouldWriteThem() {
		EventDispatcher events = worker(24, Duration.ofMillis(50));
		Map<String, Object> event = new LinkedHashMap<>();
		event.put("text", "caf\u00e9 \"quoted\" \\ line\nbreak \u0001");
		event.put("int", 42);
		event.put("long", 1L << 40);
		event.put("float", 0.000012);
		event.put("decimal", new BigDecimal("1795475428.426847"));
		event.put("none", null);
		event.put("flag", true);
		event.put("loadavg", List.of(0.77, 0.74, 0.4));
		event.put("nested", Map.of("a", List.of()));
		event.put("other", Duration.ofSeconds(1));

		assertThat(MAPPER.readTree(events.json(List.of(event))))
			.isEqualTo(MAPPER.readTree(MAPPER.writeValueAsBytes(List.of(event))));
	}

	private static long warnings(ListAppender<ILoggingEvent> log) {
		return log.list.stream()
			.filter((line) -> line.getFormattedMessage().startsWith("Could not publish events"))
			.count();
	}

	private static ListAppender<ILoggingEvent> capture() {
		ListAppender<ILoggingEvent> appender = new ListAppender<>();
		appender.start();
		((Logger) LoggerFactory.getLogger(EventDispatcher.class)).addAppender(appender);
		return appender;
	}

	private static void release(ListAppender<ILoggingEvent> appender) {
		((Logger) LoggerFactory.getLogger(EventDispatcher.class)).detachAppender(appender);
	}

}
