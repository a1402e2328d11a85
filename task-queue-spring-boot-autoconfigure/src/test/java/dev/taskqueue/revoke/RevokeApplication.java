package dev.taskqueue.revoke;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.taskqueue.Task;

/**
 * The application of the revocation ITs: a task that blocks until interrupted and one that counts its runs.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class RevokeApplication {

	@Bean
	Tasks tasks() {
		return new Tasks();
	}

	/**
	 * The tasks, with what the tests observe of their runs.
	 */
	public static class Tasks {

		public final CountDownLatch blocking = new CountDownLatch(1);

		public final CountDownLatch interrupted = new CountDownLatch(1);

		public final AtomicInteger counted = new AtomicInteger();

		@Task("revoke-it.block")
		String block() {
			this.blocking.countDown();
			try {
				new CountDownLatch(1).await();
				return "released";
			}
			catch (InterruptedException ex) {
				this.interrupted.countDown();
				return "interrupted";
			}
		}

		@Task("revoke-it.count")
		int count() {
			return this.counted.incrementAndGet();
		}

	}

}
