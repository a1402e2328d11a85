package dev.taskqueue.redis;

import java.time.Duration;

/**
 * How the Redis result backend keys its results and how long it keeps them.
 *
 * @param keyPrefix a prefix for the keys and channels; empty to share them with Celery
 * @param expires how long results are kept ({@code taskqueue.result-expires}, Celery's {@code result_expires});
 * Redis keeps a result at least a second
 */
public record RedisResultBackendSettings(String keyPrefix, Duration expires) {

	/**
	 * Check the settings.
	 */
	public RedisResultBackendSettings {
		keyPrefix = (keyPrefix != null) ? keyPrefix : "";
	}

	/**
	 * Celery's keys, and results kept for a day as Celery keeps them.
	 * @return the defaults
	 */
	public static RedisResultBackendSettings defaults() {
		return new RedisResultBackendSettings("", Duration.ofDays(1));
	}

}
