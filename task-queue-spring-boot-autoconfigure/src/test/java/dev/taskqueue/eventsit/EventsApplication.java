package dev.taskqueue.eventsit;

import org.springframework.boot.autoconfigure.SpringBootApplication;

import dev.taskqueue.Task;

/**
 * The Java side of the events interop tests: a worker with a task that succeeds and one that fails.
 */
@SpringBootApplication
public class EventsApplication {

	/**
	 * Add two numbers.
	 * @param a one
	 * @param b the other
	 * @return the sum
	 */
	@Task(name = "events.java.add")
	public int add(int a, int b) {
		return a + b;
	}

	/**
	 * Fail with the message.
	 * @param message the message
	 */
	@Task(name = "events.java.fail")
	public void fail(String message) {
		throw new IllegalArgumentException(message);
	}

}
