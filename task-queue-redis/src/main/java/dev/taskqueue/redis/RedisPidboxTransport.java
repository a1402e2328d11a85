package dev.taskqueue.redis;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

import dev.taskqueue.broker.BrokerException;
import dev.taskqueue.broker.LoopStep;
import dev.taskqueue.control.PidboxTransport;
import dev.taskqueue.protocol.LogText;

/**
 * Celery's remote control over Redis, as kombu carries it: commands are kombu envelopes (base64 body) published
 * on the pub/sub channel {@code /<db>.celery.pidbox}; a reply is pushed on the list {@code <routing key>.reply.celery.pidbox},
 * where kombu's direct exchange {@code reply.celery.pidbox} delivers it, while the client that waits for it keeps
 * the list bound ({@link RedisReplyQueue}).
 */
public class RedisPidboxTransport implements PidboxTransport {

	private static final Logger logger = LoggerFactory.getLogger(RedisPidboxTransport.class);

	private static final TypeReference<Map<String, Object>> HEADERS = new TypeReference<>() {
	};

	private final RedisConnectionFactory connectionFactory;

	private final StringRedisTemplate redis;

	private final JsonMapper mapper;

	private final String channel;

	private final RedisScript<Long> pushReply = LuaScripts.load("pidbox_reply", Long.class);

	/** The clients whose reply queue is consumed now. */
	private final Set<String> replyQueues = ConcurrentHashMap.newKeySet();

	private @Nullable RedisMessageListenerContainer container;

	/**
	 * Create the transport.
	 * @param connectionFactory the Redis connections
	 * @param database the Redis database number, which kombu puts in the channel's name
	 * @param mapper writes and reads kombu's envelopes
	 */
	public RedisPidboxTransport(RedisConnectionFactory connectionFactory, int database, JsonMapper mapper) {
		this.connectionFactory = connectionFactory;
		this.redis = new StringRedisTemplate(connectionFactory);
		this.mapper = mapper;
		this.channel = "/" + database + ".celery.pidbox";
	}

	@Override
	public void broadcast(byte[] command, Map<String, Object> headers) {
		this.redis.convertAndSend(this.channel, envelope(command, headers, "celery.pidbox", "", 2));
	}

	@Override
	public void reply(String exchange, String routingKey, byte[] reply, Map<String, Object> headers) {
		// kombu binds each reply queue "<oid>.reply.celery.pidbox" to the routing key <oid>
		this.redis.execute(this.pushReply, List.of(RedisReplyQueue.BINDINGS, RedisReplyQueue.queue(routingKey)),
				RedisReplyQueue.binding(routingKey), envelope(reply, headers, exchange, routingKey, 1), "LPUSH");
	}

	@Override
	public Subscription replies(String oid, Handler handler) {
		if (!this.replyQueues.add(oid)) {
			throw new IllegalStateException("The reply queue of '" + oid + "' is consumed already");
		}
		RedisReplyQueue queue;
		try {
			queue = new RedisReplyQueue(this.connectionFactory, this.redis, this.pushReply, oid,
					(message) -> received(message, handler));
		}
		catch (RuntimeException ex) {
			this.replyQueues.remove(oid);
			throw new BrokerException("Could not declare the remote-control reply queue of '" + oid + "' in Redis",
					ex);
		}
		return () -> {
			queue.close();
			this.replyQueues.remove(oid);
		};
	}

	@Override
	public synchronized void listen(String hostname, Handler handler) {
		RedisMessageListenerContainer listener = new RedisMessageListenerContainer();
		listener.setConnectionFactory(this.connectionFactory);
		listener.setBeanName("taskqueue-celery-pidbox");
		listener.afterPropertiesSet();
		listener.addMessageListener((message, pattern) -> LoopStep.run("The Celery remote-control listener on Redis",
				() -> received(message.getBody(), handler)),
				ChannelTopic.of(this.channel));
		listener.start();
		this.container = listener;
	}

	private void received(byte[] payload, Handler handler) {
		try {
			JsonNode envelope = this.mapper.readTree(payload);
			Map<String, Object> headers = this.mapper.convertValue(envelope.path("headers"), HEADERS);
			handler.received(Base64.getDecoder().decode(envelope.path("body").asString()), headers);
		}
		catch (JacksonException | IllegalArgumentException ex) {
			logger.warn("Ignored a malformed remote-control message from Redis: {}", LogText.escape(ex.getMessage()));
		}
	}

	private String envelope(byte[] body, Map<String, Object> headers, String exchange, String routingKey,
			int deliveryMode) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("delivery_mode", deliveryMode);
		properties.put("delivery_info", Map.of("exchange", exchange, "routing_key", routingKey));
		properties.put("priority", 0);
		properties.put("body_encoding", "base64");
		properties.put("delivery_tag", UUID.randomUUID().toString());
		Map<String, Object> envelope = new LinkedHashMap<>();
		envelope.put("body", Base64.getEncoder().encodeToString(body));
		envelope.put("content-encoding", "utf-8");
		envelope.put("content-type", "application/json");
		envelope.put("headers", headers);
		envelope.put("properties", properties);
		return new String(this.mapper.writeValueAsBytes(envelope), StandardCharsets.UTF_8);
	}

	@Override
	public synchronized void close() {
		if (this.container != null) {
			try {
				this.container.destroy();
			}
			catch (Exception ex) {
				logger.debug("Could not stop the Celery remote-control listener", ex);
			}
			this.container = null;
		}
	}

}
