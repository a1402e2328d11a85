package dev.taskqueue.revoke.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

import dev.taskqueue.revoke.Revocations;

/**
 * {@link Revocations} shared through Redis: one key per revoked id ({@code <prefix>taskqueue.revoked.<id>})
 * that expires with the revocation window, so a worker started later still sees it and nothing needs
 * pruning; a revocation with {@code terminate} is also published on {@code <prefix>taskqueue.revoke} for
 * the workers running the task.
 */
public class RedisRevocations implements Revocations, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(RedisRevocations.class);

	private final RedisConnectionFactory connectionFactory;

	private final StringRedisTemplate redis;

	private final String keyPrefix;

	private final Duration window;

	private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

	private RedisMessageListenerContainer container;

	/**
	 * Create revocations.
	 * @param connectionFactory the Redis connections
	 * @param keyPrefix prefixed to keys and channels ({@code taskqueue.redis.key-prefix})
	 * @param window how long a revocation is kept ({@code taskqueue.worker.revocation-window})
	 */
	public RedisRevocations(RedisConnectionFactory connectionFactory, String keyPrefix, Duration window) {
		this.connectionFactory = connectionFactory;
		this.redis = new StringRedisTemplate(connectionFactory);
		this.keyPrefix = keyPrefix;
		this.window = window;
	}

	@Override
	public void revoke(String taskId, boolean terminate) {
		this.redis.opsForValue().set(key(taskId), terminate ? "terminate" : "revoke", this.window);
		if (terminate) {
			this.redis.convertAndSend(channel(), taskId);
		}
	}

	@Override
	public boolean isRevoked(String taskId) {
		return Boolean.TRUE.equals(this.redis.hasKey(key(taskId)));
	}

	@Override
	public synchronized void onTerminate(Consumer<String> listener) {
		this.listeners.add(listener);
		if (this.container == null) {
			RedisMessageListenerContainer container = new RedisMessageListenerContainer();
			container.setConnectionFactory(this.connectionFactory);
			container.setBeanName("taskqueue-redis-revocations");
			container.afterPropertiesSet();
			container.addMessageListener((message, pattern) -> {
				String taskId = new String(message.getBody(), StandardCharsets.UTF_8);
				this.listeners.forEach((each) -> each.accept(taskId));
			}, ChannelTopic.of(channel()));
			container.start();
			this.container = container;
		}
	}

	@Override
	public synchronized void close() {
		if (this.container != null) {
			try {
				this.container.destroy();
			}
			catch (Exception ex) {
				logger.debug("Could not stop the Redis revocation listener", ex);
			}
			this.container = null;
		}
	}

	private String key(String taskId) {
		return this.keyPrefix + "taskqueue.revoked." + taskId;
	}

	private String channel() {
		return this.keyPrefix + "taskqueue.revoke";
	}

}
