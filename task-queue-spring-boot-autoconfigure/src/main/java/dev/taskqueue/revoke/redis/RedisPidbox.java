package dev.taskqueue.revoke.redis;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

import dev.taskqueue.revoke.Revocations;

/**
 * Revocations shared with Celery through its remote-control channel, {@code celery.pidbox}, which kombu carries
 * over Redis pub/sub on {@code /<db>.celery.pidbox}:
 * <ul>
 * <li>a revocation made here ({@link #revoke(String, boolean)}, {@code TaskControl.revoke}) is kept in the
 * delegate for this application's workers and also broadcast as Celery's {@code revoke} command, so that Celery
 * workers skip (or, with {@code terminate}, stop) the task too;</li>
 * <li>a {@code revoke} command from Celery ({@code app.control.revoke(id)}, {@code celery control revoke}) is
 * recorded in the delegate, so that this application's workers skip the task, and answered as a Celery worker
 * answers ({@code {"<worker>": {"ok": "tasks <id> flagged as revoked"}}}) when the sender asked for replies and
 * this application runs a worker.</li>
 * </ul>
 * Other remote-control commands are not answered. As in kombu, a broadcast reaches only the applications
 * subscribed at that moment; the delegate keeps a revocation for the workers started later.
 */
public class RedisPidbox implements Revocations, SmartLifecycle, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(RedisPidbox.class);

	/** Marks the broadcasts of this project, whose revocations the delegate has already shared. */
	static final String ORIGIN_HEADER = "taskqueue_origin";

	private final Revocations delegate;

	private final RedisConnectionFactory connectionFactory;

	private final StringRedisTemplate redis;

	private final JsonMapper mapper;

	private final String channel;

	private final String hostname;

	private final Clock clock;

	private RedisMessageListenerContainer container;

	/**
	 * Create the pidbox.
	 * @param delegate where revocations are kept for this project's workers
	 * @param connectionFactory the Redis connections
	 * @param database the Redis database number, which kombu puts in the channel's name
	 * @param hostname the name this application's worker answers Celery with, or {@code null} if it runs none
	 * @param mapper reads and writes the JSON of kombu's envelopes and Celery's commands
	 * @param clock the clock a command's expiry is set with
	 */
	public RedisPidbox(Revocations delegate, RedisConnectionFactory connectionFactory, int database, String hostname,
			JsonMapper mapper, Clock clock) {
		this.delegate = delegate;
		this.connectionFactory = connectionFactory;
		this.redis = new StringRedisTemplate(connectionFactory);
		this.channel = "/" + database + ".celery.pidbox";
		this.hostname = hostname;
		this.mapper = mapper;
		this.clock = clock;
	}

	/**
	 * Start listening to Celery's remote-control commands, if this application runs a worker.
	 */
	@Override
	public synchronized void start() {
		if (this.container != null || this.hostname == null) {
			return;
		}
		RedisMessageListenerContainer listener = new RedisMessageListenerContainer();
		listener.setConnectionFactory(this.connectionFactory);
		listener.setBeanName("taskqueue-celery-pidbox");
		listener.afterPropertiesSet();
		listener.addMessageListener((message, pattern) -> received(message.getBody()), ChannelTopic.of(this.channel));
		listener.start();
		this.container = listener;
	}

	@Override
	public void revoke(String taskId, boolean terminate) {
		this.delegate.revoke(taskId, terminate);
		Map<String, Object> arguments = new LinkedHashMap<>();
		arguments.put("task_id", taskId);
		arguments.put("terminate", terminate);
		arguments.put("signal", "SIGTERM");
		Map<String, Object> command = new LinkedHashMap<>();
		command.put("method", "revoke");
		command.put("arguments", arguments);
		command.put("destination", null);
		command.put("pattern", null);
		command.put("matcher", null);
		command.put("ticket", UUID.randomUUID().toString());
		Map<String, Object> headers = new LinkedHashMap<>();
		headers.put("clock", 0);
		headers.put("expires", this.clock.millis() / 1000.0 + 1);
		headers.put(ORIGIN_HEADER, true);
		this.redis.convertAndSend(this.channel, envelope(command, headers, "celery.pidbox", "", 2));
	}

	@Override
	public boolean isRevoked(String taskId) {
		return this.delegate.isRevoked(taskId);
	}

	@Override
	public void onTerminate(Consumer<String> listener) {
		this.delegate.onTerminate(listener);
	}

	private void received(byte[] payload) {
		try {
			JsonNode envelope = this.mapper.readTree(payload);
			if (envelope.path("headers").has(ORIGIN_HEADER)) {
				return;
			}
			JsonNode command = this.mapper.readTree(Base64.getDecoder().decode(envelope.path("body").asString()));
			if (!"revoke".equals(command.path("method").asString())) {
				logger.debug("Celery remote-control command '{}' ignored", command.path("method").asString());
				return;
			}
			List<String> ids = taskIds(command.path("arguments").path("task_id"));
			boolean terminate = command.path("arguments").path("terminate").asBoolean(false);
			ids.forEach((id) -> this.delegate.revoke(id, terminate));
			logger.info("Celery revoked {}{}", ids, terminate ? " (terminate)" : "");
			reply(command, ids);
		}
		catch (JacksonException | IllegalArgumentException ex) {
			logger.warn("Ignored a malformed message on {}: {}", this.channel, ex.getMessage());
		}
	}

	private static List<String> taskIds(JsonNode taskId) {
		List<String> ids = new ArrayList<>();
		if (taskId.isArray()) {
			taskId.forEach((id) -> ids.add(id.asString()));
		}
		else if (taskId.isString()) {
			ids.add(taskId.asString());
		}
		return ids;
	}

	private void reply(JsonNode command, List<String> ids) {
		JsonNode replyTo = command.path("reply_to");
		JsonNode destination = command.path("destination");
		boolean addressed = destination.isNull() || destination.isMissingNode()
				|| (destination.isArray() && destination.valueStream().anyMatch((name) -> name.asString().equals(this.hostname)));
		if (this.hostname == null || !replyTo.isObject() || !addressed) {
			return;
		}
		String routingKey = replyTo.path("routing_key").asString();
		Map<String, Object> body = Map.of(this.hostname, Map.of("ok", "tasks " + String.join(", ", ids) + " flagged as revoked"));
		Map<String, Object> headers = new LinkedHashMap<>();
		headers.put("ticket", command.path("ticket").asString());
		headers.put("clock", 0);
		// kombu binds each reply queue as "<oid>.reply.celery.pidbox" to routing key <oid>
		this.redis.opsForList().leftPush(routingKey + ".reply.celery.pidbox",
				envelope(body, headers, replyTo.path("exchange").asString(), routingKey, 1));
	}

	private String envelope(Object body, Map<String, Object> headers, String exchange, String routingKey,
			int deliveryMode) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("delivery_mode", deliveryMode);
		properties.put("delivery_info", Map.of("exchange", exchange, "routing_key", routingKey));
		properties.put("priority", 0);
		properties.put("body_encoding", "base64");
		properties.put("delivery_tag", UUID.randomUUID().toString());
		Map<String, Object> envelope = new LinkedHashMap<>();
		envelope.put("body", Base64.getEncoder().encodeToString(this.mapper.writeValueAsBytes(body)));
		envelope.put("content-encoding", "utf-8");
		envelope.put("content-type", "application/json");
		envelope.put("headers", headers);
		envelope.put("properties", properties);
		return new String(this.mapper.writeValueAsBytes(envelope), StandardCharsets.UTF_8);
	}

	@Override
	public synchronized void stop() {
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

	@Override
	public synchronized boolean isRunning() {
		return this.container != null;
	}

	@Override
	public void close() throws Exception {
		stop();
		if (this.delegate instanceof AutoCloseable closeable) {
			closeable.close();
		}
	}

}
