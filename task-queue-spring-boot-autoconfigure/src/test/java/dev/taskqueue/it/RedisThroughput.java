package dev.taskqueue.it;

import java.util.List;
import java.util.Map;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.taskqueue.TaskClient;
import dev.taskqueue.broker.redis.LocalRedis;

/**
 * A throwaway measurement, not a test: how many {@code it.add} tasks (the same as {@code sample.add}) a
 * worker runs per second through the local Redis, with and without results stored. It fills the queue first,
 * then starts a worker and times it, from its start-up on, until the queue and the unacked bookkeeping are empty.
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat cp.txt) dev.taskqueue.it.RedisThroughput [tasks] [concurrency]
 * </pre>
 */
public final class RedisThroughput {

	private RedisThroughput() {
	}

	public static void main(String[] args) throws Exception {
		int tasks = (args.length > 0) ? Integer.parseInt(args[0]) : 20000;
		int concurrency = (args.length > 1) ? Integer.parseInt(args[1]) : 4;
		run("warm-up", "redis", 2000, concurrency);
		run("results stored", "redis", tasks, concurrency);
		run("no results", "none", tasks, concurrency);
		run("results stored", "redis", tasks, concurrency);
		run("no results", "none", tasks, concurrency);
	}

	private static void run(String label, String resultBackend, int tasks, int concurrency) throws Exception {
		LocalRedis.flushed(LocalRedis.THROUGHPUT_DB).destroy();
		String[] properties = { "spring.data.redis.host=127.0.0.1", "spring.data.redis.database=" + LocalRedis.THROUGHPUT_DB,
				"taskqueue.broker=redis", "taskqueue.result-backend=" + resultBackend,
				"taskqueue.default-queue=throughput", "taskqueue.worker.concurrency=" + concurrency,
				"logging.level.root=WARN", "spring.main.banner-mode=off" };
		try (ConfigurableApplicationContext sender = new SpringApplicationBuilder(RedisWorkerApplication.class)
			.web(WebApplicationType.NONE).properties(properties).properties("taskqueue.worker.enabled=false").run()) {
			TaskClient client = sender.getBean(TaskClient.class);
			StringRedisTemplate redis = sender.getBean(StringRedisTemplate.class);
			long publishStart = System.nanoTime();
			for (int i = 0; i < tasks; i++) {
				client.send("it.add", List.of(i, 1), Map.of());
			}
			double publishSeconds = (System.nanoTime() - publishStart) / 1e9;
			try (ConfigurableApplicationContext worker = new SpringApplicationBuilder(RedisWorkerApplication.class)
				.web(WebApplicationType.NONE).properties(properties).run()) {
				// timed from the worker's start-up on, for the tasks still there then
				long start = System.nanoTime();
				long remaining = redis.opsForList().size("throughput") + redis.opsForHash().size("unacked");
				while (redis.opsForList().size("throughput") > 0 || redis.opsForHash().size("unacked") > 0) {
					Thread.sleep(5);
				}
				double seconds = (System.nanoTime() - start) / 1e9;
				System.out.printf("%-15s %6d tasks, concurrency %d: published %8.0f/s (one thread), "
						+ "worker ran %8.0f tasks/s (%d tasks in %.2f s)%n", label, tasks, concurrency,
						tasks / publishSeconds, remaining / seconds, remaining, seconds);
			}
		}
	}

}
