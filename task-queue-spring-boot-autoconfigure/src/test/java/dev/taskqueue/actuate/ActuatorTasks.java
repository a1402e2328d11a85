package dev.taskqueue.actuate;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.taskqueue.Task;

/**
 * The tasks of the actuator's tests: one plain, one with every setting the endpoint reports, and one that holds
 * its worker's thread until the test lets it go.
 */
public class ActuatorTasks {

	/** Opened by a test to let {@code actuate.hold} return. */
	public volatile CountDownLatch release = new CountDownLatch(0);

	/** Counted down when {@code actuate.hold} has started. */
	public volatile CountDownLatch started = new CountDownLatch(1);

	@Task("actuate.add")
	public int add(int x, int y) {
		return x + y;
	}

	@Task(value = "actuate.tuned", queue = "tuned", priority = 5, acks = Task.Acks.EARLY, rateLimit = "10/m",
			timeLimit = "30s", softTimeLimit = "20s", maxRetries = 5, retryDelay = "2s",
			autoretryFor = IllegalStateException.class, expires = "1h")
	public String tuned(String value) {
		return value;
	}

	@Task("actuate.hold")
	public String hold() throws InterruptedException {
		this.started.countDown();
		this.release.await(30, TimeUnit.SECONDS);
		return "released";
	}

}
