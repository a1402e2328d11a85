package dev.taskqueue.it;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A worker application for the {@code *IT} tests that need one, in this JVM or in a process of its own
 * ({@code java -cp <test classpath> dev.taskqueue.it.RedisWorkerApplication --taskqueue.broker=redis ...}),
 * so that a test can kill it.
 */
@SpringBootApplication
public class RedisWorkerApplication {

	public static void main(String[] args) {
		SpringApplication.run(RedisWorkerApplication.class, args);
	}

}
