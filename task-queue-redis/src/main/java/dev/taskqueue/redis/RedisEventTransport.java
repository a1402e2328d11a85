package dev.taskqueue.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
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
 * Publishes are pipelined: while Redis is away, one fails within the send timeout once
 * {@value #MAX_IN_FLIGHT} wait for a reply, and the dispatcher drops the events. A subscription's listener container
 * resubscribes once Redis is back.
 */
public class RedisEventTransport implements EventTransport {

	private static final Logger logger = LoggerFactory.getLogger(RedisEventTransport.class);

	private static final TypeReference<Map<String, Object>> HEADERS = new TypeReference<>() {
	};

	/** Celery's event exchange. */
	public static final String EXCHANGE = "celeryev";

	private static final byte[] ENVELOPE_HEAD = "{\"body\": \"".getBytes(StandardCharsets.US_ASCII);

	/** How many publishes may wait for Redis' reply before the next one waits for the oldest's. */
	static final int MAX_IN_FLIGHT = 128;

	private final RedisConnectionFactory connectionFactory;

	private final AsyncRedis redis;

	private final JsonMapper mapper;

	private final String channelPrefix;

	private final Duration sendTimeout;

	/** Each subscription's listener container and the thread its handler runs on. */
	private final Map<RedisMessageListenerContainer, ExecutorService> containers = new ConcurrentHashMap<>();

	/** The headers last published and their JSON; under this transport's lock. */
	private @Nullable Map<String, Object> lastHeaders;

	private String lastHeadersJson = "{}";

	/** The publishes sent whose reply has not been looked at, oldest first; under this transport's lock. */
	private final Deque<CompletableFuture<@Nullable Long>> inFlight = new ArrayDeque<>();

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

	/**
	 * Publish without waiting for Redis' reply, so that the messages of a busy worker are pipelined; at most
	 * {@value #MAX_IN_FLIGHT} wait for theirs, and a failure of one already sent is thrown by a later publish.
	 */
	@Override
	public synchronized void publish(String routingKey, byte[] body, Map<String, Object> headers) {
		settleSent();
		this.inFlight.add(this.redis.publish(this.channelPrefix + routingKey, envelope(routingKey, body, headers)));
		if (this.inFlight.size() > MAX_IN_FLIGHT) {
			CompletableFuture<@Nullable Long> oldest = this.inFlight.poll();
			try {
				oldest.get(this.sendTimeout.toNanos(), TimeUnit.NANOSECONDS);
			}
			catch (TimeoutException ex) {
				// Redis is away: what waits behind it would time out too
				this.inFlight.forEach((sent) -> sent.cancel(false));
				this.inFlight.clear();
				oldest.cancel(false);
				throw new BrokerException("Redis did not take an event within " + this.sendTimeout, ex);
			}
			catch (ExecutionException ex) {
				throw notTaken(ex.getCause());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new BrokerException("Interrupted publishing an event", ex);
			}
		}
	}

	/** Forget the publishes Redis answered; throw for the first one it refused. */
	private void settleSent() {
		while (!this.inFlight.isEmpty() && this.inFlight.peek().isDone()) {
			CompletableFuture<@Nullable Long> sent = this.inFlight.poll();
			if (sent.isCompletedExceptionally()) {
				Throwable cause;
				try {
					sent.join();
					continue;
				}
				catch (CompletionException | CancellationException ex) {
					cause = (ex.getCause() != null) ? ex.getCause() : ex;
				}
				throw notTaken(cause);
			}
		}
	}

	private static BrokerException notTaken(Throwable cause) {
		return new BrokerException("Redis did not take an event: " + cause, cause);
	}

	/**
	 * kombu's envelope, written directly: the body is base64 and the rest a few known strings, so one copy of the
	 * body does, where a JSON writer would scan it again for characters to escape.
	 */
	private byte[] envelope(String routingKey, byte[] body, Map<String, Object> headers) {
		byte[] encoded = Base64.getEncoder().encode(body);
		byte[] tail = ("\", \"content-encoding\": \"utf-8\", \"content-type\": \"application/json\", \"headers\": "
				+ headersJson(headers) + ", \"properties\": {\"delivery_mode\": 1, \"delivery_info\": "
				+ "{\"exchange\": \"" + EXCHANGE + "\", \"routing_key\": " + this.mapper.writeValueAsString(routingKey)
				+ "}, \"priority\": 0, \"body_encoding\": \"base64\", \"delivery_tag\": \"" + deliveryTag() + "\"}}")
			.getBytes(StandardCharsets.UTF_8);
		byte[] envelope = new byte[ENVELOPE_HEAD.length + encoded.length + tail.length];
		System.arraycopy(ENVELOPE_HEAD, 0, envelope, 0, ENVELOPE_HEAD.length);
		System.arraycopy(encoded, 0, envelope, ENVELOPE_HEAD.length, encoded.length);
		System.arraycopy(tail, 0, envelope, ENVELOPE_HEAD.length + encoded.length, tail.length);
		return envelope;
	}

	/**
	 * kombu's delivery tag, a uuid4: only unique, so drawn from a fast random source rather than a secure one
	 * (a busy worker publishes thousands of batches a second).
	 */
	private static UUID deliveryTag() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		long most = (random.nextLong() & ~0xF000L) | 0x4000L;
		long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
		return new UUID(most, least);
	}

	/** A dispatcher sends the same headers with each message: written once. */
	private String headersJson(Map<String, Object> headers) {
		if (headers != this.lastHeaders) {
			this.lastHeadersJson = this.mapper.writeValueAsString(headers);
			this.lastHeaders = headers;
		}
		return this.lastHeadersJson;
	}

	@Override
	public Subscription subscribe(String bindingKey, Handler handler) {
		BindingKey binding = new BindingKey(bindingKey);
		RedisMessageListenerContainer container = new RedisMessageListenerContainer();
		container.setConnectionFactory(this.connectionFactory);
		container.setBeanName("taskqueue-celeryev-" + bindingKey);
		// one thread per subscription, in the order Redis delivers (the container's default starts a thread per
		// message, which reorders them and runs the handler on several threads at once)
		ExecutorService dispatch = Executors.newSingleThreadExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "taskqueue-celeryev-" + bindingKey);
			thread.setDaemon(true);
			return thread;
		});
		container.setTaskExecutor(dispatch);
		container.afterPropertiesSet();
		container.addMessageListener((message, pattern) -> LoopStep.run("The Celery event listener on Redis",
				() -> received(new String(message.getChannel(), StandardCharsets.UTF_8),
						message.getBody(), binding, handler)),
				new PatternTopic(this.channelPrefix + bindingKey.replace('#', '*')));
		// returns once subscribed, so that what is published from now on arrives
		container.start();
		this.containers.put(container, dispatch);
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
		ExecutorService dispatch = this.containers.remove(container);
		if (dispatch != null) {
			try {
				container.destroy();
			}
			catch (Exception ex) {
				logger.debug("Could not stop a Celery event listener", ex);
			}
			dispatch.shutdown();
		}
	}

	@Override
	public void close() {
		this.containers.keySet().forEach(this::stop);
	}

}
