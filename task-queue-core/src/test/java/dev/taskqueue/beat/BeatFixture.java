package dev.taskqueue.beat;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.broker.AbstractDelivery;
import dev.taskqueue.broker.memory.InMemoryBroker;
import dev.taskqueue.client.TaskTemplate;
import dev.taskqueue.protocol.Envelope;
import dev.taskqueue.registry.TaskRegistry;
import dev.taskqueue.result.memory.InMemoryResultBackend;
import dev.taskqueue.routing.TaskRouter;
import dev.taskqueue.serialization.JsonSerializer;
import dev.taskqueue.serialization.SerializerRegistry;
import dev.taskqueue.serialization.TaskMessageConverter;

/**
 * A real client on an in-memory broker, both on the test's clock, and the messages the beat sent through it.
 */
final class BeatFixture implements AutoCloseable {

	private final InMemoryBroker broker;

	private final TaskTemplate client;

	BeatFixture(Clock clock) {
		JsonMapper mapper = JsonMapper.builder().build();
		TaskMessageConverter converter = new TaskMessageConverter(
				new SerializerRegistry(List.of(new JsonSerializer(mapper)), List.of("json")), clock);
		this.broker = new InMemoryBroker(clock);
		this.client = TaskTemplate
			.builder(this.broker, converter, TaskRouter.builder(new TaskRegistry()).defaultQueue("celery").build(),
					new InMemoryResultBackend(Duration.ofHours(1), clock))
			.jsonMapper(mapper)
			.clock(clock)
			.build();
	}

	TaskTemplate client() {
		return this.client;
	}

	/**
	 * Take every message waiting in a queue.
	 */
	List<Envelope> take(String queue) {
		List<Envelope> messages = new ArrayList<>();
		try {
			for (AbstractDelivery delivery = this.broker.poll(List.of(queue), Duration.ZERO); delivery != null;
					delivery = this.broker.poll(List.of(queue), Duration.ZERO)) {
				delivery.ack();
				messages.add(delivery.envelope());
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
		return messages;
	}

	/**
	 * The task ids of every message waiting in a queue, in the order sent.
	 */
	List<String> ids(String queue) {
		return take(queue).stream().map((envelope) -> (String) envelope.headers().get("id")).toList();
	}

	@Override
	public void close() {
		this.broker.close();
	}

}
