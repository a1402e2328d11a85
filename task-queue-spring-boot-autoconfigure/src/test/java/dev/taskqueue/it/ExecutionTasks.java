package dev.taskqueue.it;

import java.io.UncheckedIOException;
import java.time.Instant;

import org.springframework.core.env.Environment;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

import dev.taskqueue.Task;
import dev.taskqueue.TaskContext;

/**
 * Tasks for the execution semantics ITs (retries, eta, expiry, time limits, rate limits). Each run leaves
 * {@code retries|eta|ranAt|worker} in the Redis list {@code exec:<label>}, so that a test reads what happened from
 * stored state, across application contexts, instead of measuring by sleeping.
 */
@Component
public class ExecutionTasks {

	private final StringRedisTemplate redis;

	private final String worker;

	public ExecutionTasks(StringRedisTemplate redis, Environment environment) {
		this.redis = redis;
		this.worker = environment.getProperty("taskqueue.worker.name", "");
	}

	@Task(name = "exec.flaky", autoretryFor = UncheckedIOException.class, maxRetries = 3, retryBackoff = "200ms",
			retryJitter = false)
	public String flaky(String label, int failures, TaskContext context) {
		record(label, context);
		if (context.retries() < failures) {
			throw new UncheckedIOException(new java.io.IOException("try " + context.retries() + " failed"));
		}
		return "ok after " + context.retries() + " retries";
	}

	@Task(name = "exec.doomed", autoretryFor = UncheckedIOException.class, maxRetries = 1, retryBackoff = "100ms",
			retryJitter = false, onRetriesExhausted = Task.RetriesExhausted.DEAD_LETTER)
	public String doomed(String label, TaskContext context) {
		record(label, context);
		throw new UncheckedIOException(new java.io.IOException("try " + context.retries() + " failed"));
	}

	@Task("exec.once")
	public String once(String label, TaskContext context) {
		record(label, context);
		return label;
	}

	@Task(name = "exec.tidy", softTimeLimit = "300ms")
	public String tidy(String label, TaskContext context) {
		record(label, context);
		try {
			Thread.sleep(10_000);
			return "slept";
		}
		catch (InterruptedException ex) {
			return "cleaned up";
		}
	}

	/**
	 * Runs past its hard time limit, ignoring interrupts as code stuck in a blocking call would, until the test
	 * sets {@code exec:<label>:release} (or a minute has passed); then it says so in {@code exec:<label>:end}.
	 */
	@Task(name = "exec.stuck", timeLimit = "300ms")
	public String stuck(String label, TaskContext context) {
		record(label, context);
		long until = System.nanoTime() + 60_000_000_000L;
		while (System.nanoTime() < until && !released(label)) {
			try {
				Thread.sleep(50);
			}
			catch (InterruptedException ex) {
				// ignored: a stuck task does not notice
			}
		}
		// nor does it keep an interrupt that came in the middle of a Redis call for the record below
		Thread.interrupted();
		this.redis.opsForList().rightPush("exec:" + label + ":end", Instant.now().toString());
		return "late";
	}

	private boolean released(String label) {
		try {
			return Boolean.TRUE.equals(this.redis.hasKey("exec:" + label + ":release"));
		}
		catch (RuntimeException ex) {
			// the hard limit's interrupt came in the middle of the call: ask again
			Thread.interrupted();
			return false;
		}
	}

	@Task(name = "exec.tick", rateLimit = "5/s")
	public String tick(String label, TaskContext context) {
		record(label, context);
		return label;
	}

	private void record(String label, TaskContext context) {
		Object eta = context.headers().get("eta");
		this.redis.opsForList()
			.rightPush("exec:" + label,
					context.retries() + "|" + ((eta != null) ? eta : "") + "|" + Instant.now() + "|" + this.worker);
	}

}
