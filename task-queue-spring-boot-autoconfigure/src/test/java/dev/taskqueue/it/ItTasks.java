package dev.taskqueue.it;

import java.time.Duration;
import java.util.Map;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

import dev.taskqueue.Task;
import dev.taskqueue.TaskContext;

/**
 * The tasks of {@link RedisWorkerApplication}. They leave traces in Redis ({@code it:*} lists) so that a test
 * can see which worker process ran what, and in which order.
 */
@Component
public class ItTasks {

	private final StringRedisTemplate redis;

	public ItTasks(StringRedisTemplate redis) {
		this.redis = redis;
	}

	@Task("it.add")
	public long add(long x, long y) {
		return x + y;
	}

	@Task("it.greet")
	public String greet(String name, String greeting) {
		return greeting + ", " + name + "!";
	}

	@Task("it.fail")
	public void fail(String message) {
		throw new IllegalArgumentException(message);
	}

	@Task("it.record")
	public String record(String label) {
		this.redis.opsForList().rightPush("it:order", label);
		return label;
	}

	/**
	 * Fails with an {@link IllegalStateException} until it has been retried {@code failures} times; retried
	 * automatically (Celery's autoretry_for) with a short fixed delay. Returns how many retries it took.
	 * @param failures how many runs fail
	 * @return the retries of the run that succeeded
	 */
	@Task(name = "it.flaky", autoretryFor = IllegalStateException.class, maxRetries = 5, retryDelay = "200ms")
	public int flaky(int failures) {
		int retries = TaskContext.current().retries();
		if (retries < failures) {
			throw new IllegalStateException("run " + retries + " fails");
		}
		return retries;
	}

	/**
	 * Says where it started, then takes its time: what a test kills a worker in the middle of. Run again
	 * after its worker died (redelivered), it is quick, so that the test need not wait as long twice.
	 * @param label the task's label
	 * @param seconds how long it runs the first time
	 * @return the pid of the process that completed it
	 */
	@Task("it.slow")
	public Map<String, Object> slow(String label, double seconds) throws InterruptedException {
		long pid = ProcessHandle.current().pid();
		boolean redelivered = TaskContext.current().redelivered();
		this.redis.opsForList().rightPush("it:started", label + "@" + pid + (redelivered ? " again" : ""));
		Thread.sleep(Duration.ofMillis(Math.round((redelivered ? 0.5 : seconds) * 1000)).toMillis());
		this.redis.opsForList().rightPush("it:completed", label + "@" + pid);
		return Map.of("label", label, "pid", pid);
	}

}
