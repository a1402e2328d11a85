package dev.taskqueue.micrometer;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import dev.taskqueue.MovableClock;
import dev.taskqueue.listener.TaskEvent;
import dev.taskqueue.listener.TaskOutcome;
import dev.taskqueue.protocol.IsoTime;
import dev.taskqueue.protocol.ProtocolHeaders;
import dev.taskqueue.registry.TaskDefinition;
import dev.taskqueue.registry.TaskOptions;
import dev.taskqueue.registry.TaskRegistry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code taskqueue.tasks.*} meters, as a dashboard reads them: what is counted at each moment, with which
 * tags, and that a task name read from a message cannot add series without bound.
 */
class TaskMetricsListenerTests {

	private static final String ADD = "tasks.add";

	private static final String REMOTE = "remote.resize";

	private final MeterRegistry meters = new SimpleMeterRegistry();

	private final MovableClock clock = new MovableClock(Instant.parse("2026-01-01T10:00:00Z"));

	private final TaskRegistry tasks = registry();

	private final TaskMetricsListener listener = new TaskMetricsListener(this.meters, this.tasks, this.clock);

	@Test
	void aTaskIsCountedAsSentOnceTheBrokerTookIt() {
		this.listener.afterPublish(event(ADD, "math"), null);
		this.listener.afterPublish(event(ADD, "math"), null);
		this.listener.afterPublish(event(ADD, "math"), new IllegalStateException("broker away"));

		assertThat(this.meters.get(TaskMetricsListener.SENT).tags("task", ADD, "queue", "math").counter().count())
			.isEqualTo(2);
	}

	@Test
	void aTaskSentToAnotherApplicationIsCountedByNameWhenConfiguredAndAsUnknownOtherwise() {
		this.listener.afterPublish(event(REMOTE, "images"), null);
		this.listener.afterPublish(event("made.up.from.input", "images"), null);

		assertThat(this.meters.get(TaskMetricsListener.SENT).tags("task", REMOTE).counter().count()).isEqualTo(1);
		assertThat(this.meters.get(TaskMetricsListener.SENT).tags("task", "unknown").counter().count()).isEqualTo(1);
	}

	@Test
	void aReceivedMessageIsCountedByTaskAndQueue() {
		this.listener.received(event(ADD, "math"));

		assertThat(this.meters.get(TaskMetricsListener.RECEIVED).tags("task", ADD, "queue", "math").counter().count())
			.isEqualTo(1);
	}

	@Test
	void eachRunIsTimedFromPrerunToPostrunAndTaggedWithItsOutcome() {
		Map<TaskOutcome, TaskEvent> runs = new HashMap<>();
		for (TaskOutcome outcome : TaskOutcome.values()) {
			TaskEvent task = event(ADD, "math");
			run(task, outcome);
			runs.put(outcome, task);
		}

		for (TaskOutcome outcome : TaskOutcome.values()) {
			Timer timer = this.meters.get(TaskMetricsListener.EXECUTION)
				.tags("task", ADD, "queue", "math", "outcome", outcome.tagValue())
				.timer();
			assertThat(timer.count()).as(outcome.tagValue()).isEqualTo(1);
			assertThat(timer.totalTime(TimeUnit.NANOSECONDS)).as(outcome.tagValue())
				.isEqualTo(runs.get(outcome).runtime().toNanos())
				.isPositive();
		}
		assertThat(this.meters.get(TaskMetricsListener.EXECUTION).timers()).extracting((timer) -> timer.getId()
			.getTag("outcome")).containsExactlyInAnyOrder("success", "failure", "retry", "revoked", "rejected");
	}

	@Test
	void aMessageRevokedOrRejectedBeforeItRanIsCountedWithItsOutcomeAndNoDuration() {
		TaskEvent revoked = event(ADD, "math");
		this.listener.received(revoked);
		this.listener.revoked(revoked, "expired");
		TaskEvent rejected = event(ADD, "math");
		this.listener.received(rejected);
		this.listener.rejected(rejected, "arguments do not bind");

		Timer revokedTimer = execution(ADD, "revoked");
		assertThat(revokedTimer.count()).isEqualTo(1);
		assertThat(revokedTimer.totalTime(TimeUnit.NANOSECONDS)).isZero();
		assertThat(execution(ADD, "rejected").count()).isEqualTo(1);
	}

	@Test
	void aTaskRevokedWhileItRanIsCountedOnceByItsPostrun() {
		TaskEvent task = event(ADD, "math");
		this.listener.received(task);
		task.markStarted();
		this.listener.prerun(task);
		this.listener.revoked(task, "terminated");
		task.markFinished();
		this.listener.postrun(task, TaskOutcome.REVOKED);

		assertThat(execution(ADD, "revoked").count()).isEqualTo(1);
		assertThat(execution(ADD, "revoked").totalTime(TimeUnit.NANOSECONDS)).isEqualTo(task.runtime().toNanos())
			.isPositive();
	}

	@Test
	void aMessageNamingATaskTheWorkerDoesNotKnowIsRejectedUnderUnknown() {
		for (int i = 0; i < 100; i++) {
			TaskEvent task = event("not.here." + i, "math");
			this.listener.received(task);
			this.listener.unknownTask(task);
		}

		assertThat(this.meters.get(TaskMetricsListener.RECEIVED).counters()).singleElement()
			.satisfies((counter) -> assertThat(counter.getId().getTag("task")).isEqualTo("unknown"));
		assertThat(execution("unknown", "rejected").count()).isEqualTo(100);
	}

	@Test
	void theWaitIsTimedFromTheSendTimeToPrerun() {
		TaskEvent task = event(ADD, "math", Map.of(), this.clock.instant());
		this.clock.advance(Duration.ofSeconds(3));
		this.listener.prerun(task);

		Timer wait = this.meters.get(TaskMetricsListener.WAIT).tags("task", ADD, "queue", "math").timer();
		assertThat(wait.count()).isEqualTo(1);
		assertThat(wait.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(3000);
	}

	@Test
	void theWaitOfATaskWithAnEtaStartsWhenItIsDue() {
		Instant sent = this.clock.instant();
		Map<String, Object> headers = Map.of(ProtocolHeaders.ETA, IsoTime.format(sent.plusSeconds(60)));
		TaskEvent task = event(ADD, "math", headers, sent);
		this.clock.advance(Duration.ofSeconds(61));
		this.listener.prerun(task);

		assertThat(this.meters.get(TaskMetricsListener.WAIT).timer().totalTime(TimeUnit.MILLISECONDS))
			.isEqualTo(1000);
	}

	@Test
	void aMessageWithoutASendTimeIsNotTimedForItsWait() {
		this.listener.prerun(event(ADD, "math"));

		assertThat(this.meters.find(TaskMetricsListener.WAIT).timer()).isNull();
	}

	@Test
	void aSendersClockAheadOfOursGivesAWaitOfZero() {
		this.listener.prerun(event(ADD, "math", Map.of(), this.clock.instant().plusSeconds(2)));

		assertThat(this.meters.get(TaskMetricsListener.WAIT).timer().totalTime(TimeUnit.MILLISECONDS)).isZero();
	}

	@Test
	void theActiveGaugeCountsTasksBetweenPrerunAndPostrun() {
		TaskEvent first = event(ADD, "math");
		TaskEvent second = event(ADD, "math");
		this.listener.prerun(first);
		this.listener.prerun(second);
		assertThat(active()).isEqualTo(2);

		this.listener.postrun(first, TaskOutcome.SUCCESS);
		assertThat(active()).isEqualTo(1);
		this.listener.postrun(second, TaskOutcome.FAILURE);
		assertThat(active()).isZero();
	}

	@Test
	void metersDeniedByAFilterAreNeverRegistered() {
		MeterRegistry denying = new SimpleMeterRegistry();
		denying.config().meterFilter(MeterFilter.denyNameStartsWith("taskqueue"));
		TaskMetricsListener denied = new TaskMetricsListener(denying, this.tasks, this.clock);

		TaskEvent task = event(ADD, "math", Map.of(), this.clock.instant());
		denied.afterPublish(task, null);
		denied.received(task);
		denied.prerun(task);
		denied.postrun(task, TaskOutcome.SUCCESS);

		assertThat(denying.getMeters()).isEmpty();
	}

	private void run(TaskEvent task, TaskOutcome outcome) {
		this.listener.received(task);
		task.markStarted();
		this.listener.prerun(task);
		task.markFinished();
		this.listener.postrun(task, outcome);
	}

	private Timer execution(String task, String outcome) {
		return this.meters.get(TaskMetricsListener.EXECUTION).tags("task", task, "outcome", outcome).timer();
	}

	private double active() {
		return this.meters.get(TaskMetricsListener.ACTIVE).gauge().value();
	}

	static TaskEvent event(String name, String queue) {
		return event(name, queue, Map.of(), null);
	}

	static TaskEvent event(String name, String queue, Map<String, Object> headers, @Nullable Instant sentAt) {
		return new TaskEvent(UUID.randomUUID().toString(), name, queue, 0, new HashMap<>(headers), "worker@test",
				sentAt);
	}

	/**
	 * A registry that runs {@value #ADD} and configures {@value #REMOTE}, a task of another application.
	 */
	static TaskRegistry registry() {
		TaskRegistry registry = new TaskRegistry(Map.of(REMOTE, TaskOptions.DEFAULTS));
		try {
			registry.register(new TaskDefinition(ADD, new Math(), Math.class.getMethod("add", int.class, int.class),
					TaskOptions.DEFAULTS));
		}
		catch (NoSuchMethodException ex) {
			throw new IllegalStateException(ex);
		}
		return registry;
	}

	/**
	 * A task's bean.
	 */
	public static class Math {

		/**
		 * Add.
		 * @param x a number
		 * @param y another
		 * @return the sum
		 */
		public int add(int x, int y) {
			return x + y;
		}

	}

}
