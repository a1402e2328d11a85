package dev.taskqueue.control;

import java.util.concurrent.CountDownLatch;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.taskqueue.Task;

/**
 * The Java worker of the remote-control ITs, with the sample application's {@code sample.add} and
 * {@code sample.sleep}.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class RemoteControlApplication {

	@Bean
	Tasks tasks() {
		return new Tasks();
	}

	/**
	 * The tasks.
	 */
	public static class Tasks {

		/** Counted down when a sleep starts. */
		public volatile CountDownLatch sleeping = new CountDownLatch(1);

		@Task("sample.add")
		public long add(long x, long y) {
			return x + y;
		}

		@Task("sample.sleep")
		public double sleep(double seconds) throws InterruptedException {
			this.sleeping.countDown();
			Thread.sleep((long) (seconds * 1000));
			return seconds;
		}

	}

}
