package dev.taskqueue.worker;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.TaskState;
import dev.taskqueue.broker.AbstractDelivery;
import dev.taskqueue.broker.memory.InMemoryBroker;
import dev.taskqueue.protocol.Envelope;
import dev.taskqueue.registry.TaskRegistry;
import dev.taskqueue.result.TaskResult;
import dev.taskqueue.result.memory.InMemoryResultBackend;
import dev.taskqueue.serialization.JsonSerializer;
import dev.taskqueue.serialization.SerializerRegistry;
import dev.taskqueue.serialization.TaskMessageConverter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A message that cannot be decoded is dead-lettered, and FAILURE is stored for its task id wherever that id can
 * be read, so that a client waiting on it does not wait forever.
 */
class UndecodableMessageTests {

	private final Clock clock = Clock.systemUTC();

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final InMemoryBroker broker = new InMemoryBroker(this.clock);

	private final InMemoryResultBackend results = new InMemoryResultBackend(java.time.Duration.ofHours(1), this.clock);

	private final TaskMessageConverter converter = new TaskMessageConverter(
			new SerializerRegistry(List.of(new JsonSerializer(this.mapper)), List.of("json")), this.clock);

	private final TaskProcessor processor = TaskProcessor
		.builder(this.converter, new TaskRegistry(), this.results, this.broker)
		.jsonMapper(this.mapper)
		.clock(this.clock)
		.build();

	@AfterEach
	void close() {
		this.processor.close();
		this.broker.close();
	}

	@Test
	void anUnparseableBodyWithOnlyAnIdHeaderStoresFailureForThatId() {
		Envelope envelope = new Envelope("not json at all".getBytes(StandardCharsets.UTF_8), "application/json",
				"utf-8", Map.of("task", "some.task", "id", "header-only"), null, null, 0, null);
		RecordingDelivery delivery = new RecordingDelivery(envelope, null);

		this.processor.process(delivery);

		TaskResult stored = this.results.fetch("header-only");
		assertThat(stored).isNotNull();
		assertThat(stored.state()).isEqualTo(TaskState.FAILURE);
		assertThat(delivery.rejected).startsWith("undecodable message");
	}

	@Test
	void aMessageTheBrokerCouldReadOnlyInPartStoresFailureWithTheBrokersReason() {
		Envelope envelope = new Envelope(new byte[0], "application/json", "utf-8", Map.of("task", "some.task"),
				"partly-read", null, 0, null);
		RecordingDelivery delivery = new RecordingDelivery(envelope, "not a kombu message: it has no string 'body'");

		this.processor.process(delivery);

		TaskResult stored = this.results.fetch("partly-read");
		assertThat(stored).isNotNull();
		assertThat(stored.state()).isEqualTo(TaskState.FAILURE);
		assertThat(stored.toFailure().message()).isEqualTo("not a kombu message: it has no string 'body'");
		assertThat(delivery.rejected).isEqualTo("undecodable message: not a kombu message: it has no string 'body'");
	}

	@Test
	void anUndecodableMessageWithNoIdIsOnlyDeadLettered() {
		Envelope envelope = new Envelope("not json".getBytes(StandardCharsets.UTF_8), "application/json", "utf-8",
				Map.of(), null, null, 0, null);
		RecordingDelivery delivery = new RecordingDelivery(envelope, null);

		this.processor.process(delivery);

		assertThat(delivery.rejected).startsWith("undecodable message");
	}

	/**
	 * A delivery that records how it was settled.
	 */
	static final class RecordingDelivery extends AbstractDelivery {

		@Nullable String rejected;

		RecordingDelivery(Envelope envelope, @Nullable String unreadable) {
			super(envelope, "undecodable-tests", false, unreadable);
		}

		@Override
		protected void doAck() {
		}

		@Override
		protected void doRequeue() {
		}

		@Override
		protected void doReject(String reason) {
			this.rejected = reason;
		}

		@Override
		protected void doDefer(Instant due) {
		}

	}

}
