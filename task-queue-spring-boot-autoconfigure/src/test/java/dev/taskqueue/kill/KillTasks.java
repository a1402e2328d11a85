package dev.taskqueue.kill;

import java.time.Duration;
import java.util.Map;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.taskqueue.Task;
import dev.taskqueue.TaskContext;

/**
 * The tasks of {@link KillWorkerApplication}: slow ones, acknowledged late (the default) or early, that say
 * where they started and ended in Redis lists under the key prefix {@code kill-it.records}, so that a test sees
 * which process ran what after it killed one.
 */
public class KillTasks {

	private final StringRedisTemplate redis;

	private final String records;

	public KillTasks(StringRedisTemplate redis, @Value("${kill-it.records}") String records) {
		this.redis = redis;
		this.records = records;
	}

	/**
	 * Acknowledged once it ended: run again elsewhere if its worker dies. Run again (redelivered), it is
	 * quick, so that the test need not wait as long twice.
	 * @param label the task's label
	 * @param seconds how long it runs the first time
	 * @return its label and the pid of the process that completed it
	 */
	@Task("kill.late")
	public Map<String, Object> late(String label, double seconds) throws InterruptedException {
		return slow(label, seconds);
	}

	/**
	 * Acknowledged before it starts: at most once, lost if its worker dies while it runs.
	 * @param label the task's label
	 * @param seconds how long it runs
	 * @return its label and the pid of the process that completed it
	 */
	@Task(name = "kill.early", acks = Task.Acks.EARLY)
	public Map<String, Object> early(String label, double seconds) throws InterruptedException {
		return slow(label, seconds);
	}

	private Map<String, Object> slow(String label, double seconds) throws InterruptedException {
		long pid = ProcessHandle.current().pid();
		boolean redelivered = TaskContext.current().redelivered();
		this.redis.opsForList().rightPush(this.records + "started", label + "@" + pid + (redelivered ? " again" : ""));
		Thread.sleep(Duration.ofMillis(Math.round((redelivered ? 0.5 : seconds) * 1000)).toMillis());
		this.redis.opsForList().rightPush(this.records + "completed", label + "@" + pid);
		return Map.of("label", label, "pid", pid);
	}

}
