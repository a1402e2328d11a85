package dev.taskqueue.it;

import java.time.Duration;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

import dev.taskqueue.Task;

/**
 * The task that {@link CeleryRedisSharedQueueIT} sends to a queue our worker and a Celery worker both consume
 * ({@code src/test/python/shared_queue_celery.py} defines the same task for Celery).
 */
@Component
public class SharedQueueTasks {

	private final StringRedisTemplate redis;

	public SharedQueueTasks(StringRedisTemplate redis) {
		this.redis = redis;
	}

	/**
	 * Count the run, then work for a while: longer here than on Celery, so that our claims outlast Celery's
	 * visibility timeout and only their refreshes keep Celery's restore away from them.
	 * @param label the task's label, counted in {@code shared:runs:<label>}
	 * @param pythonSeconds how long it works on Celery
	 * @param javaSeconds how long it works here
	 * @return who ran it
	 * @throws InterruptedException if the worker stops meanwhile
	 */
	@Task("shared.slow")
	public String slow(String label, double pythonSeconds, double javaSeconds) throws InterruptedException {
		this.redis.opsForValue().increment("shared:runs:" + label);
		this.redis.opsForList().rightPush("shared:ran-by", "java:" + label);
		Thread.sleep(Duration.ofMillis(Math.round(javaSeconds * 1000)).toMillis());
		return "java:" + label;
	}

}
