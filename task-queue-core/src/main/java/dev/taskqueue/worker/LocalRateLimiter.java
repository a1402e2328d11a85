package dev.taskqueue.worker;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.taskqueue.registry.RateLimit;

/**
 * Rate limits per worker, as Celery enforces them: evenly spaced starts ({@code 10/s} lets a task start
 * every 100 ms), with no burst.
 */
public class LocalRateLimiter implements RateLimiter {

	private final Map<String, AtomicLong> nextFree = new ConcurrentHashMap<>();

	@Override
	public Duration reserve(String key, RateLimit limit) {
		long interval = limit.interval().toNanos();
		long now = System.nanoTime();
		AtomicLong next = this.nextFree.computeIfAbsent(key, (name) -> new AtomicLong(now));
		while (true) {
			long slot = next.get();
			long start = Math.max(slot, now);
			if (next.compareAndSet(slot, start + interval)) {
				return Duration.ofNanos(start - now);
			}
		}
	}

}
