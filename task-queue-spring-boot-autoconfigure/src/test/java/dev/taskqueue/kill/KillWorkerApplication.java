package dev.taskqueue.kill;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * A worker application on any broker, run in a process of its own so that {@link WorkerKillSemantics} can
 * kill it ({@code java -cp <test classpath> dev.taskqueue.kill.KillWorkerApplication --taskqueue.broker=...}),
 * and in the test's JVM as the client. Nothing is scanned: it has {@link KillTasks} only.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(KillTasks.class)
public class KillWorkerApplication {

	public static void main(String[] args) {
		SpringApplication.run(KillWorkerApplication.class, args);
	}

}
