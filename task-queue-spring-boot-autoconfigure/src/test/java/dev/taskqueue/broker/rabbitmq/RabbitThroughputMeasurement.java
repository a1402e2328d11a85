package dev.taskqueue.broker.rabbitmq;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.taskqueue.AsyncResult;
import dev.taskqueue.Task;
import dev.taskqueue.TaskClient;
import dev.taskqueue.autoconfigure.TaskQueueAutoConfiguration;

import static org.awaitility.Awaitility.await;

/**
 * Not a test: a measurement of {@code sample.add}-like throughput through the local RabbitMQ, with and without
 * rpc results. Its name matches neither surefire's nor failsafe's patterns, so the build does not run it; run
 * it by hand with {@code ./mvnw -B verify -pl task-queue-spring-boot-autoconfigure -Dtest=NONE
 * -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=RabbitThroughputMeasurement} and read the BENCH lines.
 * It asserts nothing about time.
 */
class RabbitThroughputMeasurement {

	static final AtomicInteger ran = new AtomicInteger();

	static final int N = 10000;

	static final int SENDERS = 4;

	@Test
	void measure() throws Exception {
		RabbitVhost vhost = RabbitVhost.create("taskqueue-it-rabbit-bench");
		try {
			for (String backend : List.of("none", "rpc", "none", "rpc")) {
				run(vhost, backend);
			}
			for (String backend : List.of("none", "rpc", "none", "rpc")) {
				drain(vhost, backend);
			}
		}
		finally {
			vhost.delete();
		}
	}

	void run(RabbitVhost vhost, String backend) {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, TaskQueueAutoConfiguration.class))
			.withUserConfiguration(BenchTasks.class)
			.withPropertyValues("spring.rabbitmq.virtual-host=" + vhost.name(), "taskqueue.broker=rabbitmq",
					"taskqueue.result-backend=" + backend, "taskqueue.default-queue=bench",
					"taskqueue.worker.concurrency=4", "taskqueue.worker.prefetch=64", "logging.level.root=warn")
			.run((context) -> {
				TaskClient client = context.getBean(TaskClient.class);
				ran.set(0);
				long start = System.nanoTime();
				ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
				List<Future<List<AsyncResult<Object>>>> sent = new ArrayList<>();
				for (int s = 0; s < SENDERS; s++) {
					sent.add(senders.submit(() -> {
						List<AsyncResult<Object>> results = new ArrayList<>();
						for (int i = 0; i < N / SENDERS; i++) {
							results.add(client.send("bench.add", List.of(i, 1), Map.of()));
						}
						return results;
					}));
				}
				List<AsyncResult<Object>> results = new ArrayList<>();
				for (Future<List<AsyncResult<Object>>> future : sent) {
					results.addAll(future.get());
				}
				long published = System.nanoTime();
				if (backend.equals("rpc")) {
					for (AsyncResult<Object> result : results) {
						result.get(Duration.ofMinutes(2));
					}
				}
				await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(10)).until(() -> ran.get() >= N);
				long done = System.nanoTime();
				senders.shutdown();
				System.out.printf("BENCH backend=%s n=%d publish=%.0f msg/s end-to-end=%.0f tasks/s (%.2f s)%n", backend,
						N, N / ((published - start) / 1e9), N / ((done - start) / 1e9), (done - start) / 1e9);
			});
	}

	void drain(RabbitVhost vhost, String backend) {
		ApplicationContextRunner runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, TaskQueueAutoConfiguration.class))
			.withUserConfiguration(BenchTasks.class)
			.withPropertyValues("spring.rabbitmq.virtual-host=" + vhost.name(), "taskqueue.broker=rabbitmq",
					"taskqueue.result-backend=" + backend, "taskqueue.default-queue=bench",
					"taskqueue.worker.concurrency=4", "taskqueue.worker.prefetch=64");
		List<String> replyTo = new ArrayList<>();
		runner.withPropertyValues("taskqueue.worker.enabled=false").run((context) -> {
			TaskClient client = context.getBean(TaskClient.class);
			ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
			List<Future<?>> sent = new ArrayList<>();
			for (int s = 0; s < SENDERS; s++) {
				sent.add(senders.submit(() -> {
					for (int i = 0; i < N / SENDERS; i++) {
						client.send("bench.add", List.of(i, 1), Map.of());
					}
				}));
			}
			for (Future<?> future : sent) {
				future.get();
			}
			senders.shutdown();
		});
		runner.run((context) -> {
			ran.set(0);
			long start = System.nanoTime();
			await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(10)).until(() -> ran.get() >= N);
			long done = System.nanoTime();
			System.out.printf("BENCH worker-only backend=%s n=%d %.0f tasks/s (%.2f s)%n", backend, N,
					N / ((done - start) / 1e9), (done - start) / 1e9);
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class BenchTasks {

		@Bean
		Bench bench() {
			return new Bench();
		}

	}

	public static class Bench {

		@Task("bench.add")
		public long add(long x, long y) {
			ran.incrementAndGet();
			return x + y;
		}

	}

}
