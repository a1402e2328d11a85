package dev.taskqueue.redis;

import java.time.Duration;

/**
 * How the Redis broker keys its data and keeps its claims.
 *
 * @param keyPrefix the prefix of every key; empty to share the keys with Celery
 * @param visibilityTimeout how long a claim that is not refreshed is honoured before its message is restored
 * @param claimRefresh how often a worker refreshes the claims it holds
 */
public record RedisBrokerSettings(String keyPrefix, Duration visibilityTimeout, Duration claimRefresh) {

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
	}

	/**
	 * Celery's key layout, a 30 second visibility timeout and claims refreshed every 10 seconds.
	 * @return the defaults
	 */
	public static RedisBrokerSettings defaults() {
		return new RedisBrokerSettings("", Duration.ofSeconds(30), Duration.ofSeconds(10));
	}

}
