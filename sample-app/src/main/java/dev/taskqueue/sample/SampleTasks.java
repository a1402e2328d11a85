package dev.taskqueue.sample;

import java.math.BigInteger;
import java.time.Duration;

import org.springframework.stereotype.Component;

import dev.taskqueue.Task;

/**
 * The sample's tasks. Their names are fixed: Celery peers and the interop tests call them by name.
 */
@Component
public class SampleTasks {

	/**
	 * Add two integers of any size, as a Python peer does: {@code long} would overflow silently.
	 * @param x a number
	 * @param y another
	 * @return their sum
	 */
	@Task("sample.add")
	public BigInteger add(BigInteger x, BigInteger y) {
		return x.add(y);
	}

	@Task("sample.echo")
	public Object echo(Object value) {
		return value;
	}

	@Task("sample.fail")
	public void fail(String message) {
		throw new IllegalArgumentException(message);
	}

	@Task("sample.sleep")
	public String sleep(double seconds) throws InterruptedException {
		Thread.sleep(Duration.ofMillis(Math.round(seconds * 1000)).toMillis());
		return "slept";
	}

	@Task("sample.greet")
	public String greet(String name, String greeting) {
		return greeting + ", " + name + "!";
	}

}
