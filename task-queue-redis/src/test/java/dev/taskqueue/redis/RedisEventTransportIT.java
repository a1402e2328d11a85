package dev.taskqueue.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.listener.PatternTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

import dev.taskqueue.broker.BrokerException;
import dev.taskqueue.events.CeleryEvent;
import dev.taskqueue.events.EventDispatcher;
import dev.taskqueue.events.EventReceiver;
import dev.taskqueue.protocol.CelerySamples;
import dev.taskqueue.protocol.LamportClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Events on Redis are kombu's: the envelope Celery publishes on {@code /<db>.celeryev/<routing key>}. And they
 * outlive Redis going away, on a {@code redis-server} of the test's own that is killed and started again: the
 * publishes fail within their timeout meanwhile (the dispatcher drops the events), and a receiver receives again
 * once Redis is back.
 */
class RedisEventTransportIT {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	/** Redis is back within seconds; the container's recovery takes a few more. */
	private static final Duration WAIT = Duration.ofSeconds(60);

	private OwnRedisServer server;

	private LettuceConnectionFactory connectionFactory;

	private final List<AutoCloseable> closing = new ArrayList<>();

	@BeforeEach
	void start() {
		this.server = OwnRedisServer.start();
		this.connectionFactory = this.server.connectionFactory();
	}

	@AfterEach
	void stop() throws Exception {
		for (AutoCloseable closeable : this.closing) {
			closeable.close();
		}
		this.connectionFactory.destroy();
		this.server.close();
	}

	@Test
	void anEventIsPublishedAsCelerysKombuEnvelopeOnItsChannel() {
		List<String> channels = new CopyOnWriteArrayList<>();
		List<JsonNode> envelopes = new CopyOnWriteArrayList<>();
		RedisMessageListenerContainer raw = new RedisMessageListenerContainer();
		raw.setConnectionFactory(this.connectionFactory);
		raw.afterPropertiesSet();
		raw.addMessageListener((message, pattern) -> {
			channels.add(new String(message.getChannel(), StandardCharsets.UTF_8));
			envelopes.add(MAPPER.readTree(message.getBody()));
		}, new PatternTopic("/3.celeryev/*"));
		raw.start();
		this.closing.add(raw::destroy);
		RedisEventTransport transport = transport(3);

		transport.publish("worker.online", "{\"type\": \"worker-online\"}".getBytes(StandardCharsets.UTF_8),
				Map.of("hostname", "w1@x"));

		await().atMost(WAIT).until(() -> envelopes.size() == 1);
		assertThat(channels).containsExactly("/3.celeryev/worker.online");
		JsonNode celery = CelerySamples.read("events_by_type").path("worker-online").path("redis");
		JsonNode ours = envelopes.get(0);
		assertThat(ours.propertyNames()).containsExactly("body", "content-encoding", "content-type", "headers",
				"properties");
		assertThat(ours.path("content-type").asString()).isEqualTo("application/json");
		assertThat(ours.path("content-encoding").asString()).isEqualTo("utf-8");
		assertThat(ours.path("headers")).isEqualTo(MAPPER.readTree("{\"hostname\": \"w1@x\"}"));
		JsonNode properties = ours.path("properties");
		assertThat(properties.propertyNames())
			.containsExactlyElementsOf(celery.path("envelope_properties").propertyNames());
		assertThat(properties.path("delivery_mode")).isEqualTo(celery.path("envelope_properties").path("delivery_mode"));
		assertThat(properties.path("delivery_info")).isEqualTo(celery.path("envelope_properties").path("delivery_info"));
		assertThat(properties.path("body_encoding").asString()).isEqualTo("base64");
		assertThat(new String(Base64.getDecoder().decode(ours.path("body").asString()), StandardCharsets.UTF_8))
			.isEqualTo("{\"type\": \"worker-online\"}");
	}

	@Test
	void publishesWhileRedisIsAwayFailWithinTheSendTimeoutOnceThePipelineIsFull() {
		RedisEventTransport transport = transport(0);
		transport.publish("worker.online", "{}".getBytes(StandardCharsets.UTF_8), Map.of());
		this.server.kill();

		long started = System.nanoTime();
		assertThatExceptionOfType(BrokerException.class).isThrownBy(() -> {
			for (int i = 0; i <= RedisEventTransport.MAX_IN_FLIGHT; i++) {
				transport.publish("worker.heartbeat", "{}".getBytes(StandardCharsets.UTF_8), Map.of());
			}
		});
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
	}

	@Test
	void aReceiverReceivesTheEventsSentAfterRedisCameBack() {
		LamportClock clock = new LamportClock();
		List<CeleryEvent> received = new CopyOnWriteArrayList<>();
		RedisEventTransport receiving = transport(0);
		new EventReceiver(receiving, clock, MAPPER).subscribe(received::add);
		EventDispatcher dispatcher = EventDispatcher.builder(transport(0), MAPPER, clock, "w1@restart")
			.closeTimeout(Duration.ofSeconds(1))
			.build();
		this.closing.add(dispatcher);
		dispatcher.send("worker-online", Map.of());
		await().atMost(WAIT).until(() -> received.size() == 1);

		this.server.kill();
		// dropped: nobody would have received it
		dispatcher.send("worker-heartbeat", Map.of("n", 1));
		this.server.startAgain();

		await().atMost(WAIT).until(() -> {
			dispatcher.send("worker-heartbeat", Map.of("n", 2));
			return received.stream().anyMatch((event) -> Integer.valueOf(2).equals(event.get("n")));
		});
	}

	private RedisEventTransport transport(int database) {
		RedisEventTransport transport = new RedisEventTransport(this.connectionFactory, database, MAPPER,
				Duration.ofSeconds(2));
		this.closing.add(transport::close);
		return transport;
	}

}
