package dev.taskqueue.events;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What every {@link EventTransport} does, whatever the broker: a message published reaches every subscription
 * whose binding key matches its routing key, made after the subscription was (events are not kept for
 * receivers to come), with its body and headers intact; each subscription gets its own copy; a closed one gets
 * nothing more; a handler that throws misses nothing after. Each transport made by {@link #createTransport()}
 * stands for one application; they all share one broker.
 * <p>
 * A transport proves itself by extending this class in its tests, as with {@code BrokerContract}.
 */
public abstract class EventTransportContract {

	/** Pub/sub and consumers are asynchronous: what is published arrives within this. */
	protected static final Duration WAIT = Duration.ofSeconds(10);

	private final List<EventTransport> transports = new ArrayList<>();

	/**
	 * A transport for one more application, sharing the broker of the others.
	 * @return the transport
	 */
	protected abstract EventTransport createTransport();

	@AfterEach
	void closeTransports() {
		this.transports.forEach(EventTransport::close);
	}

	private EventTransport transport() {
		EventTransport transport = createTransport();
		this.transports.add(transport);
		return transport;
	}

	@Test
	void aSubscriberReceivesWhatAnotherApplicationPublishesWithItsRoutingKeyAndHeaders() {
		EventTransport publisher = transport();
		Received received = new Received();
		transport().subscribe("#", received);

		publisher.publish("worker.heartbeat", json("{\"type\": \"worker-heartbeat\"}"), Map.of("hostname", "w1@x"));

		await().atMost(WAIT).until(() -> received.messages.size() == 1);
		Message message = received.messages.get(0);
		assertThat(message.routingKey()).isEqualTo("worker.heartbeat");
		assertThat(message.body()).isEqualTo("{\"type\": \"worker-heartbeat\"}");
		assertThat(message.headers()).containsEntry("hostname", "w1@x");
	}

	@Test
	void aBindingKeySelectsByTopic() {
		EventTransport publisher = transport();
		EventTransport receiving = transport();
		Received workers = new Received();
		Received batches = new Received();
		Received all = new Received();
		receiving.subscribe("worker.#", workers);
		receiving.subscribe("*.multi", batches);
		receiving.subscribe("#", all);

		publisher.publish("task.multi", json("[]"), Map.of());
		publisher.publish("worker.online", json("{}"), Map.of());
		publisher.publish("task.sent", json("{}"), Map.of());
		publisher.publish("worker.heartbeat", json("{}"), Map.of());

		await().atMost(WAIT).until(() -> all.messages.size() == 4);
		await().atMost(WAIT).until(() -> workers.messages.size() == 2 && batches.messages.size() == 1);
		assertThat(workers.routingKeys()).containsExactly("worker.online", "worker.heartbeat");
		assertThat(batches.routingKeys()).containsExactly("task.multi");
		assertThat(all.routingKeys()).containsExactly("task.multi", "worker.online", "task.sent", "worker.heartbeat");
	}

	@Test
	void everySubscriberGetsItsOwnCopy() {
		EventTransport publisher = transport();
		Received first = new Received();
		Received second = new Received();
		transport().subscribe("#", first);
		transport().subscribe("#", second);

		publisher.publish("worker.online", json("{}"), Map.of());

		await().atMost(WAIT).until(() -> first.messages.size() == 1 && second.messages.size() == 1);
	}

	@Test
	void aClosedSubscriptionReceivesNothingMore() {
		EventTransport publisher = transport();
		EventTransport receiving = transport();
		Received closed = new Received();
		Received open = new Received();
		receiving.subscribe("#", closed).close();
		receiving.subscribe("#", open);

		publisher.publish("worker.online", json("{}"), Map.of());

		await().atMost(WAIT).until(() -> open.messages.size() == 1);
		assertThat(closed.messages).isEmpty();
	}

	@Test
	void aHandlerThatThrowsMissesNothingAfter() {
		EventTransport publisher = transport();
		Received received = new Received();
		transport().subscribe("#", (routingKey, body, headers) -> {
			received.received(routingKey, body, headers);
			if (routingKey.equals("worker.online")) {
				throw new IllegalStateException("handler bug");
			}
		});

		publisher.publish("worker.online", json("{}"), Map.of());
		publisher.publish("worker.heartbeat", json("{}"), Map.of());

		await().atMost(WAIT).until(() -> received.messages.size() == 2);
	}

	@Test
	void aBodyOfAnyBytesArrivesIntact() {
		EventTransport publisher = transport();
		Received received = new Received();
		transport().subscribe("#", received);
		String body = "{\"result\": \"caf\u00e9 \u2603 \\u0000\", \"traceback\": \"line\\nline\"}";

		publisher.publish("task.multi", json(body), Map.of("hostname", "w1@x"));

		await().atMost(WAIT).until(() -> received.messages.size() == 1);
		assertThat(received.messages.get(0).body()).isEqualTo(body);
	}

	private static byte[] json(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * A message as a handler got it.
	 * @param routingKey its routing key
	 * @param body its body, as text
	 * @param headers its headers
	 */
	protected record Message(String routingKey, String body, Map<String, Object> headers) {
	}

	/**
	 * A handler that writes down what it got.
	 */
	protected static final class Received implements EventTransport.Handler {

		private final List<Message> messages = new CopyOnWriteArrayList<>();

		@Override
		public void received(String routingKey, byte[] body, @Nullable Map<String, Object> headers) {
			this.messages.add(new Message(routingKey, new String(body, StandardCharsets.UTF_8),
					(headers != null) ? Map.copyOf(headers) : Map.of()));
		}

		List<String> routingKeys() {
			return this.messages.stream().map(Message::routingKey).toList();
		}

	}

}
