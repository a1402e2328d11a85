package dev.taskqueue.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.PatternTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

import dev.taskqueue.broker.BrokerException;
import dev.taskqueue.broker.LoopStep;
import dev.taskqueue.events.BindingKey;
import dev.taskqueue.events.EventTransport;
import dev.taskqueue.protocol.LogText;

/**
 * Celery's events over Redis, as kombu carries them: the {@code celeryev} exchange is a fanout over pub/sub, each
 * message a kombu envelope (base64 body, {@code delivery_mode} 1, {@code delivery_info} with the exchange and
 * routing key) PUBLISHed on the channel {@code /<db>.celeryev/<routing key>}. A receiver PSUBSCRIBEs to its binding
 * key with {@code #} turned into {@code *} ({@code /<db>.celeryev/worker.*}), as kombu does, and the routing key
 * is then matched exactly against the binding key.
 * <p>
 * A publish waits at most the send timeout: while Redis is away it fails, and the dispatcher drops the event. A
 * subscription's listener container resubscribes once Redis is back.
 */
public class RedisEventTransport implements EventTransport {

	private static final Logger logger = LoggerFactory.getLogger(RedisEventTransport.class);

	private static final TypeReference<Map<String, Object>> HEADERS = new TypeReference<>() {
	};

	/** Celery's event exchange. */
	public static final String EXCHANGE = "celeryev";

	private final RedisConnectionFactory connectionFactory;

	private final AsyncRedis redis;

	private final JsonMapper mapper;

	private final String channelPrefix;

	private final Duration sendTimeout;

	private final Map<RedisMessageListenerContainer, Boolean> containers = new ConcurrentHashMap<>();

	/**
	 * Create the transport.
	 * @param connectionFactory the Redis connections
	 * @param database the Redis database number, which kombu puts in the channel's name
	 * @param mapper writes and reads kombu's envelopes
	 * @param sendTimeout how long a publish waits for Redis
	 */
	public RedisEventTransport(RedisConnectionFactory connectionFactory, int database, JsonMapper mapper,
			Duration sendTimeout) {
		this.connectionFactory = connectionFactory;
		this.redis = new AsyncRedis(connectionFactory);
		this.mapper = mapper;
		this.channelPrefix = "/" + database + "." + EXCHANGE + "/";
		this.sendTimeout = sendTimeout;
	}

	@Override
	public void publish(String routingKey, byte[] body, Map<String, Object> headers) {
		CompletableFuture<@Nullable Long> published = this.redis.publish(this.channelPrefix + routingKey,
				envelope(routingKey, body, headers));
		try {
			published.get(this.sendTimeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			published.cancel(false);
			throw new BrokerException("Redis did not take an event within " + this.sendTimeout, ex);
		}
		catch (ExecutionException ex) {
			throw new BrokerException("Redis did not take an event: " + ex.getCause(), ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new BrokerException("Interrupted publishing an event", ex);
		}
	}

	private byte[] envelope(String routingKey, byte[] body, Map<String, Object> headers) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("delivery_mode", 1);
		properties.put("delivery_info", Map.of("exchange", EXCHANGE, "routing_key", routingKey));
		properties.put("priority", 0);
		properties.put("body_encoding", "base64");
		properties.put("delivery_tag", UUID.randomUUID().toString());
		Map<String, Object> envelope = new LinkedHashMap<>();
		envelope.put("body", Base64.getEncoder().encodeToString(body));
		envelope.put("content-encoding", "utf-8");
		envelope.put("content-type", "application/json");
		envelope.put("headers", headers);
		envelope.put("properties", properties);
		return this.mapper.writeValueAsBytes(envelope);
	}

	@Override
	public Subscription subscribe(String bindingKey, Handler handler) {
		BindingKey binding = new BindingKey(bindingKey);
		RedisMessageListenerContainer container = new RedisMessageListenerContainer();
		container.setConnectionFactory(this.connectionFactory);
		container.setBeanName("taskqueue-celeryev-" + bindingKey);
		container.afterPropertiesSet();
		container.addMessageListener((message, pattern) -> LoopStep.run("The Celery event listener on Redis",
				() -> received(new String(message.getChannel(), StandardCharsets.UTF_8),
						message.getBody(), binding, handler)),
				new PatternTopic(this.channelPrefix + bindingKey.replace('#', '*')));
		// returns once subscribed, so that what is published from now on arrives
		container.start();
		this.containers.put(container, Boolean.TRUE);
		return () -> stop(container);
	}

	private void received(String channel, byte[] payload, BindingKey binding, Handler handler) {
		if (!channel.startsWith(this.channelPrefix)) {
			return;
		}
		String routingKey = channel.substring(this.channelPrefix.length());
		// a glob's * also matches dots: the topic binding decides
		if (!binding.matches(routingKey)) {
			return;
		}
		byte[] body;
		Map<String, Object> headers;
		try {
			JsonNode envelope = this.mapper.readTree(payload);
			headers = this.mapper.convertValue(envelope.path("headers"), HEADERS);
			body = Base64.getDecoder().decode(envelope.path("body").asString());
		}
		catch (JacksonException | IllegalArgumentException ex) {
			logger.warn("Ignored a malformed event message on {}: {}", LogText.escape(channel),
					LogText.escape(ex.getMessage()));
			return;
		}
		handler.received(routingKey, body, headers);
	}

	private void stop(RedisMessageListenerContainer container) {
		if (this.containers.remove(container) != null) {
			try {
				container.destroy();
			}
			catch (Exception ex) {
				logger.debug("Could not stop a Celery event listener", ex);
			}
		}
	}

	@Override
	public void close() {
		this.containers.keySet().forEach(this::stop);
	}

}
