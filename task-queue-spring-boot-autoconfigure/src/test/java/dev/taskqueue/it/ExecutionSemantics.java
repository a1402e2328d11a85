package dev.taskqueue.it;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.taskqueue.AsyncResult;
import dev.taskqueue.SendOptions;
import dev.taskqueue.TaskClient;
import dev.taskqueue.TaskContext;
import dev.taskqueue.TaskFailedException;
import dev.taskqueue.TaskRevokedException;
import dev.taskqueue.TaskState;
import dev.taskqueue.autoconfigure.TaskQueueProperties;
import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.DeadLetter;
import dev.taskqueue.broker.DeadLetterQueue;
import dev.taskqueue.redis.LocalRedis;
import dev.taskqueue.protocol.IsoTime;
import dev.taskqueue.protocol.TaskMessage;
import dev.taskqueue.protocol.TimeLimit;
import dev.taskqueue.registry.TaskDefinition;
import dev.taskqueue.registry.TaskOptions;
import dev.taskqueue.registry.TaskRegistry;
import dev.taskqueue.serialization.TaskMessageConverter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Retries, eta, expiry, time limits, per-worker rate limits and dead letters of a whole application, for each broker (a
 * subclass per broker starts the worker). What happened is read from Redis ({@link ExecutionTasks} records
 * each run with its retries and eta header), never measured by sleeping.
 */
public abstract class ExecutionSemantics {

	private static final Duration WAIT = Duration.ofSeconds(20);

	protected ConfigurableApplicationContext application;

	@BeforeEach
	void start() {
		clean();
		this.application = startWorker();
	}

	/** Removes what earlier tests left in the broker and in Redis. */
	protected abstract void clean();

	/**
	 * Starts an application whose worker consumes the tasks sent by its client, with results and
	 * {@link ExecutionTasks}' records in Redis database {@link LocalRedis#EXECUTION_DB}.
	 * @param properties properties over the usual ones, as {@code name=value}
	 * @return the started application
	 */
	protected abstract ConfigurableApplicationContext startWorker(String... properties);

	@AfterEach
	void stop() {
		if (this.application != null) {
			this.application.close();
		}
	}

	protected TaskClient client() {
		return this.application.getBean(TaskClient.class);
	}

	protected List<Run> runs(String label) {
		StringRedisTemplate redis = this.application.getBean(StringRedisTemplate.class);
		return redis.opsForList().range("exec:" + label, 0, -1).stream().map(Run::parse).toList();
	}

	@Test
	void retriesWithBackoffUnderTheSameIdThenSucceeds() {
		AsyncResult<Object> flaky = client().send("exec.flaky", List.of("backoff", 3), Map.of());
		assertThat(flaky.get(WAIT)).isEqualTo("ok after 3 retries");
		List<Run> runs = runs("backoff");
		assertThat(runs).extracting(Run::retries).containsExactly(0, 1, 2, 3);
		// each retry is due 200 ms, 400 ms, 800 ms after the run that failed (backoff 200ms, no jitter)
		for (int i = 1; i < runs.size(); i++) {
			Duration wait = Duration.between(runs.get(i - 1).ranAt(), runs.get(i).eta());
			assertThat(wait).isBetween(Duration.ofMillis(200L << (i - 1)), Duration.ofMillis((200L << (i - 1)) + 500));
			assertThat(runs.get(i).ranAt()).isAfterOrEqualTo(runs.get(i).eta());
		}
	}

	@Test
	void exhaustedRetriesStoreFailureWithTheLastException() {
		AsyncResult<Object> hopeless = client().send("exec.flaky", List.of("hopeless", 100), Map.of());
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> hopeless.get(WAIT)).satisfies((ex) -> {
			assertThat(ex.getFailure().type()).isEqualTo("java.io.UncheckedIOException");
			assertThat(ex.getFailure().message()).isEqualTo("java.io.IOException: try 3 failed");
		});
		assertThat(hopeless.state()).isEqualTo(TaskState.FAILURE);
		assertThat(runs("hopeless")).extracting(Run::retries).containsExactly(0, 1, 2, 3);
	}

	@Test
	void anEtaTaskSurvivesAWorkerRestartAndRunsOnce() {
		Instant eta = Instant.now().plusSeconds(4);
		AsyncResult<Object> later = client().withOptions(SendOptions.defaults().withEta(eta))
			.send("exec.once", List.of("restart"), Map.of());
		String id = later.id();
		this.application.close();
		this.application = startWorker();
		assertThat(client().result(id).get(WAIT)).isEqualTo("restart");
		await().pollDelay(Duration.ofSeconds(3)).atMost(WAIT).until(() -> true);
		assertThat(runs("restart")).hasSize(1);
		assertThat(runs("restart").get(0).ranAt()).isAfterOrEqualTo(eta.minusMillis(1));
	}

	@Test
	void anExpiredTaskIsRevokedAndNotRun() {
		AsyncResult<Object> expired = client()
			.withOptions(SendOptions.defaults().withExpires(Instant.now().minusSeconds(1)))
			.send("exec.once", List.of("expired"), Map.of());
		assertThatExceptionOfType(TaskRevokedException.class).isThrownBy(() -> expired.get(WAIT));
		assertThat(expired.state()).isEqualTo(TaskState.REVOKED);
		assertThat(runs("expired")).isEmpty();
	}

	@Test
	void theSoftTimeLimitInterruptsTheTask() {
		assertThat(client().send("exec.tidy", List.of("soft"), Map.of()).get(WAIT)).isEqualTo("cleaned up");
	}

	@Test
	void theHardTimeLimitFailsTheTaskAndTheWorkerGoesOn() {
		// one thread: the next task can run only if the worker replaced the thread the abandoned task keeps
		this.application.close();
		this.application = startWorker("taskqueue.worker.concurrency=1");
		AsyncResult<Object> stuck = client().send("exec.stuck", List.of("hard"), Map.of());
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> stuck.get(WAIT))
			.satisfies((ex) -> assertThat(ex.getFailure().type()).isEqualTo("celery.exceptions.TimeLimitExceeded"));
		assertThat(client().send("exec.once", List.of("after-hard"), Map.of()).get(WAIT)).isEqualTo("after-hard");
		// it ran while the abandoned task still held its thread
		StringRedisTemplate redis = this.application.getBean(StringRedisTemplate.class);
		assertThat(redis.opsForList().size("exec:hard:end")).isZero();
		redis.opsForValue().set("exec:hard:release", "now");
		await().atMost(WAIT).until(() -> redis.opsForList().size("exec:hard:end") == 1);
		// its late return is dropped: the failure stays
		assertThat(stuck.state()).isEqualTo(TaskState.FAILURE);
		assertThat(client().send("exec.once", List.of("after-release"), Map.of()).get(WAIT)).isEqualTo("after-release");
	}

	@Test
	void aTimelimitHeaderOfZeroOrLessIsNoLimitOnEveryBroker() {
		// as Celery: a limit that is not positive is no limit, and the task's own soft limit (300 ms) applies
		String id = UUID.randomUUID().toString();
		TaskMessage message = new TaskMessage(id, "exec.tidy", "py", null, null, null, null, null, 0,
				new TimeLimit(Duration.ZERO, Duration.ofSeconds(-1)), id, null, "('zero-limit',)", "{}", "gen1@test",
				false, Map.of(), List.of("zero-limit"), Map.of(), null);
		String queue = this.application.getBean(TaskQueueProperties.class).getDefaultQueue();
		this.application.getBean(Broker.class)
			.publish(queue, this.application.getBean(TaskMessageConverter.class).toEnvelope(message, "json", null, 0));
		assertThat(client().result(id).get(WAIT)).isEqualTo("cleaned up");
	}

	@Test
	void thePerWorkerRateLimitHoldsItsRate() {
		Instant sent = Instant.now();
		List<AsyncResult<Object>> ticks = new java.util.ArrayList<>();
		for (int i = 0; i < 6; i++) {
			ticks.add(client().send("exec.tick", List.of("ticks"), Map.of()));
		}
		ticks.forEach((tick) -> tick.get(WAIT));
		List<Run> runs = runs("ticks");
		assertThat(runs).hasSize(6);
		// 5/s: the sixth run's slot is five intervals (1 s) after the first slot, which is no sooner than the
		// sends; measured from the first run it could look shorter, since the first run may start late
		assertThat(Duration.between(sent, runs.get(5).ranAt())).isGreaterThanOrEqualTo(Duration.ofMillis(1000));
	}

	@Test
	void exhaustedRetriesAreDeadLetteredWhenTheTaskSaysSo() {
		AsyncResult<Object> doomed = client().send("exec.doomed", List.of("doomed"), Map.of());
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> doomed.get(WAIT));
		DeadLetter letter = deadLetterOf(doomed.id());
		assertThat(letter.queue()).isEqualTo(this.application.getBean(TaskQueueProperties.class).getDefaultQueue());
		assertThat(letter.reason())
			.isEqualTo("retries exhausted (1 of 1): java.io.UncheckedIOException: java.io.IOException: try 1 failed");
		assertThat(letter.envelope().taskName()).isEqualTo("exec.doomed");
		assertThat(runs("doomed")).extracting(Run::retries).containsExactly(0, 1);
	}

	@Test
	void aDeadLetterRedrivenOnceItsTaskExistsRunsAndLeavesTheDeadLetters() throws Exception {
		AsyncResult<Object> early = client().send("exec.deployed-later", List.of("redriven"), Map.of());
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> early.get(WAIT))
			.satisfies((ex) -> assertThat(ex.getFailure().type()).isEqualTo("celery.exceptions.NotRegistered"));
		DeadLetter letter = deadLetterOf(early.id());
		assertThat(letter.reason()).isEqualTo("unregistered task 'exec.deployed-later'");
		// the fix is deployed: the task exists now
		this.application.getBean(TaskRegistry.class)
			.register(new TaskDefinition("exec.deployed-later", this.application.getBean(ExecutionTasks.class),
					ExecutionTasks.class.getMethod("once", String.class, TaskContext.class), TaskOptions.DEFAULTS));
		assertThat(deadLetters().redriveDeadLetter(letter.id())).isTrue();
		await().atMost(WAIT).until(() -> client().result(early.id()).state() == TaskState.SUCCESS);
		assertThat(client().result(early.id()).get(WAIT)).isEqualTo("redriven");
		assertThat(runs("redriven")).hasSize(1);
		assertThat(deadLetters().listDeadLetters(null, 1000)).extracting(DeadLetter::id).doesNotContain(letter.id());
	}

	private DeadLetterQueue deadLetters() {
		return this.application.getBean(DeadLetterQueue.class);
	}

	private DeadLetter deadLetterOf(String taskId) {
		return await().atMost(WAIT)
			.until(() -> deadLetters().listDeadLetters(null, 1000)
				.stream()
				.filter((letter) -> taskId.equals(letter.envelope().correlationId()))
				.findFirst()
				.orElse(null), java.util.Objects::nonNull);
	}

	protected record Run(int retries, Instant eta, Instant ranAt, String worker) {

		public static Run parse(String line) {
			String[] parts = line.split("\\|", -1);
			return new Run(Integer.parseInt(parts[0]), parts[1].isEmpty() ? null : IsoTime.parse(parts[1]),
					Instant.parse(parts[2]), parts[3]);
		}

	}

}
