package dev.taskqueue.rabbitmq;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.taskqueue.AsyncResult;
import dev.taskqueue.TaskClient;
import dev.taskqueue.TaskState;
import dev.taskqueue.kill.KillWorkerApplication;
import dev.taskqueue.process.JvmProcesses;
import dev.taskqueue.redis.LocalRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tasks longer than RabbitMQ's {@code consumer_timeout}, with the node's timeout lowered to 5 s and its channel
 * tick (how often a channel checks it, a minute by default) to 2 s for the test, both restored afterwards. The
 * node-wide settings apply to channels opened afterwards; nothing else may run against the node meanwhile.
 * Worker processes run {@link KillWorkerApplication}'s {@code kill.late} with a hard time limit of 30 s, results
 * in Redis database {@link LocalRedis#KILL_DB} under a key prefix of this test's own.
 */
class RabbitConsumerTimeoutIT {

	private static final String RECORDS = "consumer-timeout-rabbit:records:";

	private static final String RESULTS = "consumer-timeout-rabbit:results:";

	private static final Duration WAIT = Duration.ofSeconds(90);

	private static RabbitVhost vhost;

	private static String consumerTimeout;

	private static String channelTick;

	private final JvmProcesses workers = new JvmProcesses("target/worker-processes", getClass());

	private ConfigurableApplicationContext client;

	private StringRedisTemplate redis;

	@BeforeAll
	static void lowerTheConsumerTimeout() {
		consumerTimeout = RabbitVhost.rabbitmqctl("eval", "application:get_env(rabbit, consumer_timeout).").trim();
		channelTick = RabbitVhost.rabbitmqctl("eval", "application:get_env(rabbit, channel_tick_interval).").trim();
		RabbitVhost.rabbitmqctl("eval", "application:set_env(rabbit, consumer_timeout, 5000).");
		RabbitVhost.rabbitmqctl("eval", "application:set_env(rabbit, channel_tick_interval, 2000).");
		vhost = RabbitVhost.create("taskqueue-it-rabbit-consumer-timeout");
	}

	@AfterAll
	static void restoreTheConsumerTimeout() {
		try {
			restore("consumer_timeout", consumerTimeout, "{ok,5000}", "1800000");
			restore("channel_tick_interval", channelTick, "{ok,2000}", "60000");
		}
		finally {
			vhost.delete();
		}
	}

	private static void restore(String key, String before, String lowered, String rabbitDefault) {
		// the test's own lowered value before means an earlier run was killed before restoring: RabbitMQ's default
		if (before.equals(lowered)) {
			RabbitVhost.rabbitmqctl("eval", "application:set_env(rabbit, " + key + ", " + rabbitDefault + ").");
		}
		// {ok,1800000} before: set it back; undefined: unset what the test set
		else if (before.startsWith("{ok,")) {
			String value = before.substring(4, before.length() - 1);
			RabbitVhost.rabbitmqctl("eval", "application:set_env(rabbit, " + key + ", " + value + ").");
		}
		else {
			RabbitVhost.rabbitmqctl("eval", "application:unset_env(rabbit, " + key + ").");
		}
	}

	@BeforeEach
	void startClient() {
		CachingConnectionFactory connectionFactory = vhost.connectionFactory();
		try {
			new RabbitAdmin(connectionFactory).deleteQueue("consumer-timeout");
		}
		finally {
			connectionFactory.destroy();
		}
		this.client = new SpringApplicationBuilder(KillWorkerApplication.class).web(WebApplicationType.NONE)
			.properties(commonProperties())
			.properties("taskqueue.worker.enabled=false")
			.run();
		this.redis = this.client.getBean(StringRedisTemplate.class);
		this.redis.delete(this.redis.keys("consumer-timeout-rabbit:*"));
	}

	@AfterEach
	void stopEverything() {
		this.workers.killAll();
		this.client.close();
	}

	@Test
	void aTaskLongerThanTheConsumerTimeoutRunsOnceAndSucceeds() throws Exception {
		Process worker = startWorker("long-once");
		AsyncResult<Object> longTask = this.client.getBean(TaskClient.class)
			.send("kill.late", List.of("long", 15), Map.of());

		Map<?, ?> result = (Map<?, ?>) longTask.get(WAIT);

		assertThat(((Number) result.get("pid")).longValue()).isEqualTo(worker.pid());
		assertThat(longTask.state()).isEqualTo(TaskState.SUCCESS);
		// until its guard came due (hard limit of 30 s from its start) and was dropped: never run again
		await().atMost(WAIT).until(() -> output("long-once").contains("finished before its guard came due"));
		assertThat(started()).containsExactly("long@" + worker.pid());
		assertThat(completed()).containsExactly("long@" + worker.pid());
		assertThat(output("long-once")).contains("handed over").doesNotContain("PRECONDITION_FAILED");
	}

	@Test
	void aTaskWhoseWorkerIsKilledAfterItWasHandedOverRunsAgain() throws Exception {
		Process first = startWorker("handed-over-first");
		AsyncResult<Object> longTask = this.client.getBean(TaskClient.class)
			.send("kill.late", List.of("killed", 12), Map.of());
		await().atMost(WAIT).until(() -> output("handed-over-first").contains("handed over"));
		Process second = startWorker("handed-over-second");
		await().atMost(WAIT).until(() -> output("handed-over-second").contains("consuming"));

		JvmProcesses.kill(first);

		// the guard comes due at the first run's hard limit and finds no outcome: the second worker runs it
		Map<?, ?> result = (Map<?, ?>) longTask.get(WAIT);
		assertThat(((Number) result.get("pid")).longValue()).isEqualTo(second.pid());
		assertThat(started()).containsExactly("killed@" + first.pid(), "killed@" + second.pid());
		assertThat(completed()).containsExactly("killed@" + second.pid());
		// the second run was handed over too; its guard finds the outcome and is dropped
		await().atMost(WAIT).until(() -> output("handed-over-second").contains("finished before its guard came due"));
		assertThat(started()).hasSize(2);
	}

	private String[] commonProperties() {
		return new String[] { "spring.rabbitmq.host=127.0.0.1", "spring.rabbitmq.port=5672",
				"spring.rabbitmq.username=guest", "spring.rabbitmq.password=guest",
				"spring.rabbitmq.virtual-host=" + vhost.name(), "taskqueue.broker=rabbitmq",
				"taskqueue.result-backend=redis", "taskqueue.redis.key-prefix=" + RESULTS,
				"taskqueue.default-queue=consumer-timeout", "taskqueue.rabbitmq.consumer-timeout=5s",
				"taskqueue.tasks[kill.late].time-limit=30s", "spring.data.redis.host=127.0.0.1",
				"spring.data.redis.database=" + LocalRedis.KILL_DB, "kill-it.records=" + RECORDS };
	}

	private List<String> started() {
		return this.redis.opsForList().range(RECORDS + "started", 0, -1);
	}

	private List<String> completed() {
		return this.redis.opsForList().range(RECORDS + "completed", 0, -1);
	}

	private Process startWorker(String name) throws IOException {
		List<String> properties = new ArrayList<>(List.of(commonProperties()));
		properties.addAll(List.of("taskqueue.worker.name=" + name, "taskqueue.worker.concurrency=1",
				"taskqueue.worker.prefetch=1"));
		return this.workers.start(name, KillWorkerApplication.class, properties);
	}

	private String output(String name) throws IOException {
		return this.workers.output(name);
	}

}
