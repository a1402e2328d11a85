package dev.taskqueue.kill;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.taskqueue.AsyncResult;
import dev.taskqueue.TaskClient;
import dev.taskqueue.process.JvmProcesses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Real worker processes killed with SIGKILL in the middle of a task, for each broker (a subclass per broker
 * says how to reach it). A task acknowledged late (the default) is not lost: its message goes back to the
 * queue and another worker runs it to the end (at least once). A task acknowledged early ({@code acks = EARLY})
 * was acknowledged before it started, so it is not run again (at most once). The tasks ({@link KillTasks})
 * leave their traces in Redis.
 */
public abstract class WorkerKillSemantics {

	private static final Duration WAIT = Duration.ofSeconds(90);

	private final JvmProcesses workers = new JvmProcesses("target/worker-processes", getClass());

	private ConfigurableApplicationContext client;

	private StringRedisTemplate redis;

	/** Removes what earlier tests left in the broker and in Redis. */
	protected abstract void clean();

	/**
	 * The properties that put an application on the broker and result backend under test, with
	 * {@link KillTasks}' records ({@code kill-it.records}, a key prefix) in a Redis database.
	 * @return the properties, as {@code name=value}
	 */
	protected abstract String[] commonProperties();

	/**
	 * How long a message of a dead worker may take to be delivered again: long enough that a test which waits
	 * that long and sees no second run knows there will be none.
	 * @return the time
	 */
	protected abstract Duration redeliveryWindow();

	/**
	 * The key prefix of {@link KillTasks}' records.
	 * @return the prefix, as in {@code kill-it.records}
	 */
	protected abstract String records();

	@BeforeEach
	void startClient() {
		clean();
		this.client = new SpringApplicationBuilder(KillWorkerApplication.class).web(WebApplicationType.NONE)
			.properties(commonProperties())
			.properties("taskqueue.worker.enabled=false")
			.run();
		this.redis = this.client.getBean(StringRedisTemplate.class);
	}

	@AfterEach
	void stopEverything() {
		this.workers.killAll();
		this.client.close();
	}

	@Test
	void aLateAckTaskOfAKilledWorkerIsDeliveredAgainAndSucceedsOnAnotherWorker() throws Exception {
		Process first = startWorker("late-first");
		TaskClient tasks = this.client.getBean(TaskClient.class);
		AsyncResult<Object> longTask = tasks.send("kill.late", List.of("long", 120), Map.of());
		await().atMost(WAIT).until(() -> started().contains("long@" + first.pid()));
		Process second = startWorker("late-second");
		awaitConsuming("late-second");

		JvmProcesses.kill(first);

		Map<?, ?> result = (Map<?, ?>) longTask.get(WAIT);
		assertThat(((Number) result.get("pid")).longValue()).isEqualTo(second.pid());
		assertThat(longTask.state()).isEqualTo(dev.taskqueue.TaskState.SUCCESS);
		assertThat(started()).containsExactly("long@" + first.pid(), "long@" + second.pid() + " again");
		assertThat(completed()).containsExactly("long@" + second.pid());
	}

	@Test
	void anEarlyAckTaskOfAKilledWorkerIsNotRunAgain() throws Exception {
		Process first = startWorker("early-first");
		TaskClient tasks = this.client.getBean(TaskClient.class);
		AsyncResult<Object> earlyTask = tasks.send("kill.early", List.of("early", 120), Map.of());
		await().atMost(WAIT).until(() -> started().contains("early@" + first.pid()));
		Process second = startWorker("early-second");
		awaitConsuming("early-second");

		JvmProcesses.kill(first);

		// the other worker is consuming and runs what is sent after the kill
		AsyncResult<Object> after = tasks.send("kill.late", List.of("after", 0.1), Map.of());
		assertThat(((Number) ((Map<?, ?>) after.get(WAIT)).get("pid")).longValue()).isEqualTo(second.pid());
		// and, for as long as a message of the dead worker could take to come back, nothing else
		await().during(redeliveryWindow())
			.atMost(redeliveryWindow().plus(WAIT))
			.until(() -> started().equals(List.of("early@" + first.pid(), "after@" + second.pid())));
		assertThat(completed()).containsExactly("after@" + second.pid());
		assertThat(earlyTask.ready()).isFalse();
	}

	private void awaitConsuming(String name) {
		await().atMost(WAIT).until(() -> output(name).contains("Worker " + name + " consuming"));
	}

	private List<String> started() {
		return this.redis.opsForList().range(records() + "started", 0, -1);
	}

	private List<String> completed() {
		return this.redis.opsForList().range(records() + "completed", 0, -1);
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
