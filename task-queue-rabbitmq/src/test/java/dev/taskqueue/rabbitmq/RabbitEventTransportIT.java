package dev.taskqueue.rabbitmq;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.broker.BrokerException;
import dev.taskqueue.events.CeleryEvent;
import dev.taskqueue.events.EventDispatcher;
import dev.taskqueue.events.EventReceiver;
import dev.taskqueue.events.EventTransport;
import dev.taskqueue.protocol.LamportClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Events on RabbitMQ are declared as Celery declares them (the durable topic exchange {@code celeryev}, a
 * receiver's {@code celeryev.<uuid>} queue, not durable, auto-delete, with Celery's TTL and expiry), and they outlive
 * the broker dropping every connection (as a restart does): a receiver consumes again on its own.
 */
class RabbitEventTransportIT {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private static final Duration WAIT = Duration.ofSeconds(60);

	private static RabbitVhost vhost;

	private final CachingConnectionFactory connectionFactory = vhost.connectionFactory();

	private final List<EventTransport> transports = new ArrayList<>();

	@BeforeAll
	static void createVhost() {
		vhost = RabbitVhost.create("taskqueue-it-rabbit-events");
	}

	@AfterAll
	static void deleteVhost() {
		vhost.delete();
	}

	@AfterEach
	void close() {
		this.transports.forEach(EventTransport::close);
		this.connectionFactory.destroy();
	}

	@Test
	void theExchangeAndAReceiversQueueAreDeclaredAsCelerysAre() {
		EventTransport transport = transport(this.connectionFactory);
		transport.subscribe("#", (routingKey, body, headers) -> {
		});

		String exchanges = RabbitVhost.rabbitmqctl("list_exchanges", "-p", vhost.name(), "name", "type", "durable",
				"auto_delete");
		assertThat(exchanges).containsPattern("(?m)^celeryev\\ttopic\\ttrue\\tfalse$");
		String queues = RabbitVhost.rabbitmqctl("list_queues", "-p", vhost.name(), "name", "durable", "auto_delete",
				"arguments");
		assertThat(queues).containsPattern(
				"(?m)^celeryev\\.[0-9a-f-]{36}\\tfalse\\ttrue\\t.*x-message-ttl.*5000.*$")
			.containsPattern("(?m)^celeryev\\.[0-9a-f-]{36}\\tfalse\\ttrue\\t.*x-expires.*60000.*$");
		String bindings = RabbitVhost.rabbitmqctl("list_bindings", "-p", vhost.name(), "source_name",
				"destination_name", "routing_key");
		assertThat(bindings).containsPattern("(?m)^celeryev\\tceleryev\\.[0-9a-f-]{36}\\t#$");
	}

	@Test
	void aReceiverReceivesAgainAfterTheBrokerDroppedEveryConnection() {
		LamportClock clock = new LamportClock();
		List<CeleryEvent> received = new CopyOnWriteArrayList<>();
		new EventReceiver(transport(this.connectionFactory), clock, MAPPER).subscribe(received::add);
		try (EventDispatcher dispatcher = EventDispatcher.builder(transport(this.connectionFactory), MAPPER, clock,
				"w1@restart")
			.closeTimeout(Duration.ofSeconds(1))
			.build()) {
			dispatcher.send("worker-online", Map.of());
			await().atMost(WAIT).until(() -> received.size() == 1);

			vhost.closeAllConnections();

			await().atMost(WAIT).until(() -> {
				dispatcher.send("worker-heartbeat", Map.of("n", 2));
				return received.stream().anyMatch((event) -> Integer.valueOf(2).equals(event.get("n")));
			});
		}
	}

	@Test
	void aPublishToABrokerThatIsNotThereFailsAtOnce() {
		CachingConnectionFactory nowhere = new CachingConnectionFactory("127.0.0.1", 1);
		try {
			EventTransport transport = transport(nowhere);
			long started = System.nanoTime();
			assertThatExceptionOfType(BrokerException.class).isThrownBy(
					() -> transport.publish("worker.online", "{}".getBytes(StandardCharsets.UTF_8), Map.of()));
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
		}
		finally {
			nowhere.destroy();
		}
	}

	private EventTransport transport(CachingConnectionFactory factory) {
		EventTransport transport = new RabbitEventTransport(factory, Duration.ofSeconds(1));
		this.transports.add(transport);
		return transport;
	}

}
