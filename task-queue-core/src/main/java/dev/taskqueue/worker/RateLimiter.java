package dev.taskqueue.worker;

import java.time.Duration;

import dev.taskqueue.registry.RateLimit;

/**
 * Hands out start times to tasks under a rate limit. Each call reserves the next free slot, so tasks
 * that must wait each wait for their own slot and none waits twice.
 */
public interface RateLimiter {

	/**
	 * Reserve a start for one task.
	 * @param key what the limit applies to (the task name)
	 * @param limit the limit
	 * @return how long the task must wait before it starts; zero to start now
	 */
	Duration reserve(String key, RateLimit limit);

}
