package dev.taskqueue.redis;

import java.time.Duration;

import dev.taskqueue.serialization.MessageLimits;

/**
 * How the Redis broker keys its data and keeps its claims.
 *
 * @param keyPrefix the prefix of every key; empty to share the keys with Celery
 * @param visibilityTimeout how long a claim that is not refreshed is honoured before its message is restored
 * @param claimRefresh how often a worker refreshes the claims it holds
 * @param maxMessageSize the largest message taken, in bytes; a larger one is dead-lettered from its size, before
 * its body is read
 * @param sendTimeout how long a send waits for Redis to take the message before it fails (and is retried as
 * {@code taskqueue.publish-retry} says), rather than Lettuce's command timeout of a minute
 */
public record RedisBrokerSettings(String keyPrefix, Duration visibilityTimeout, Duration claimRefresh,
		int maxMessageSize, Duration sendTimeout) {

	/** How long a send waits for Redis by default. */
	public static final Duration DEFAULT_SEND_TIMEOUT = Duration.ofSeconds(2);

	/**
	 * Check the settings.
	 */
	public RedisBrokerSettings {
		keyPrefix = (keyPrefix != null) ? keyPrefix : "";
		if (visibilityTimeout.toMillis() < 1000) {
			throw new IllegalArgumentException("the visibility timeout must be at least a second, was " + visibilityTimeout);
		}
		if (claimRefresh.isNegative() || claimRefresh.isZero() || claimRefresh.compareTo(visibilityTimeout) >= 0) {
			throw new IllegalArgumentException("the claim refresh (" + claimRefresh
					+ ") must be positive and shorter than the visibility timeout (" + visibilityTimeout + ")");
		}
		if (maxMessageSize < 1) {
			throw new IllegalArgumentException("the maximum message size must be positive, was " + maxMessageSize);
		}
		if (sendTimeout.isNegative() || sendTimeout.isZero()) {
			throw new IllegalArgumentException("the send timeout must be positive, was " + sendTimeout);
		}
	}

	/**
	 * Settings with the default maximum message size, 16 MiB ({@link MessageLimits#DEFAULTS}), and send timeout,
	 * {@link #DEFAULT_SEND_TIMEOUT}.
	 * @param keyPrefix the prefix of every key; empty to share the keys with Celery
	 * @param visibilityTimeout how long a claim that is not refreshed is honoured before its message is restored
	 * @param claimRefresh how often a worker refreshes the claims it holds
	 */
	public RedisBrokerSettings(String keyPrefix, Duration visibilityTimeout, Duration claimRefresh) {
		this(keyPrefix, visibilityTimeout, claimRefresh, MessageLimits.DEFAULTS.maxBytes(), DEFAULT_SEND_TIMEOUT);
	}

	/**
	 * These settings with another maximum message size.
	 * @param maxMessageSize the largest message taken, in bytes
	 * @return the settings
	 */
	public RedisBrokerSettings withMaxMessageSize(int maxMessageSize) {
		return new RedisBrokerSettings(this.keyPrefix, this.visibilityTimeout, this.claimRefresh, maxMessageSize,
				this.sendTimeout);
	}

	/**
	 * These settings with another send timeout.
	 * @param sendTimeout how long a send waits for Redis to take the message
	 * @return the settings
	 */
	public RedisBrokerSettings withSendTimeout(Duration sendTimeout) {
		return new RedisBrokerSettings(this.keyPrefix, this.visibilityTimeout, this.claimRefresh, this.maxMessageSize,
				sendTimeout);
	}

	/**
	 * Celery's key layout, a 30 second visibility timeout and claims refreshed every 10 seconds.
	 * @return the defaults
	 */
	public static RedisBrokerSettings defaults() {
		return new RedisBrokerSettings("", Duration.ofSeconds(30), Duration.ofSeconds(10));
	}

}
