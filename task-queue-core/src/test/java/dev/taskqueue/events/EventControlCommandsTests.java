package dev.taskqueue.events;

import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.control.ControlCommand;
import dev.taskqueue.protocol.LamportClock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code enable_events}, {@code disable_events} and {@code heartbeat} do what Celery's do and answer with Celery's
 * words ({@code celery/worker/control.py}).
 */
class EventControlCommandsTests {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private static final JsonNode NO_ARGUMENTS = MAPPER.createObjectNode();

	private final RecordingEventTransport transport = new RecordingEventTransport();

	private final EventDispatcher dispatcher = EventDispatcher.builder(this.transport, MAPPER, new LamportClock(),
			"w1@test")
		.build();

	@AfterEach
	void close() {
		this.dispatcher.close();
	}

	@Test
	void enableEventsTurnsTaskEventsOnAndSaysSo() {
		ControlCommand enable = new EnableEventsCommand(this.dispatcher);

		assertThat(enable.name()).isEqualTo("enable_events");
		assertThat(enable.kind()).isEqualTo(ControlCommand.Kind.CONTROL);
		assertThat(enable.handle(NO_ARGUMENTS)).isEqualTo(Map.of("ok", "task events enabled"));
		assertThat(this.dispatcher.isTaskEventsEnabled()).isTrue();
		assertThat(enable.handle(NO_ARGUMENTS)).isEqualTo(Map.of("ok", "task events already enabled"));
	}

	@Test
	void disableEventsTurnsTaskEventsOffAndSaysSo() {
		this.dispatcher.enableTaskEvents();
		ControlCommand disable = new DisableEventsCommand(this.dispatcher);

		assertThat(disable.name()).isEqualTo("disable_events");
		assertThat(disable.kind()).isEqualTo(ControlCommand.Kind.CONTROL);
		assertThat(disable.handle(NO_ARGUMENTS)).isEqualTo(Map.of("ok", "task events disabled"));
		assertThat(this.dispatcher.isTaskEventsEnabled()).isFalse();
		assertThat(disable.handle(NO_ARGUMENTS)).isEqualTo(Map.of("ok", "task events already disabled"));
	}

	@Test
	void heartbeatSendsAWorkerHeartbeatNowAsCeleryDoesAndRepliesNothing() {
		ControlCommand heartbeat = new HeartbeatCommand(this.dispatcher);

		assertThat(heartbeat.name()).isEqualTo("heartbeat");
		assertThat(heartbeat.handle(NO_ARGUMENTS)).isNull();
		this.dispatcher.close();

		assertThat(this.transport.published()).hasSize(1);
		JsonNode event = this.transport.published().get(0).body();
		assertThat(this.transport.published().get(0).routingKey()).isEqualTo("worker.heartbeat");
		assertThat(event.path("type").asString()).isEqualTo("worker-heartbeat");
		assertThat(event.path("freq").asInt()).isEqualTo(5);
		assertThat(event.path("sw_ident").asString()).isEqualTo("java-taskqueue");
	}

}
