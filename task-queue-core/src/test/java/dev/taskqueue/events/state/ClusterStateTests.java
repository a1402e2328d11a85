package dev.taskqueue.events.state;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.MovableClock;
import dev.taskqueue.events.CeleryEvent;
import dev.taskqueue.protocol.CelerySamples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The cluster's state folds events as Celery's {@code events.state.State} does: states by precedence whatever the
 * order, workers alive while their heartbeats come, a bounded history, changes since a sequence, throughput.
 */
class ClusterStateTests {

	private static final Instant NOW = Instant.parse("2026-11-23T10:00:05Z");

	private static final double T = NOW.toEpochMilli() / 1000.0;

	private final MovableClock clock = new MovableClock(NOW);

	private final ClusterState state = new ClusterState(100, 10, this.clock);

	@Test
	void aTaskGoesThroughItsLifeInOrder() {
		this.state.event(event("task-sent", "uuid", "t1", "hostname", "gen1@client", "timestamp", T, "name", "app.add",
				"args", "(2, 3)", "kwargs", "{}", "retries", 0, "eta", null, "expires", null, "queue", "celery",
				"exchange", "", "routing_key", "celery", "root_id", "t1", "parent_id", null));
		assertThat(this.state.task("t1").state()).isEqualTo("PENDING");
		this.state.event(event("task-received", "uuid", "t1", "hostname", "w1@host", "timestamp", T + 1, "name",
				"app.add", "args", "(2, 3)", "kwargs", "{}", "retries", 0));
		assertThat(this.state.task("t1").state()).isEqualTo("RECEIVED");
		this.state.event(event("task-started", "uuid", "t1", "hostname", "w1@host", "timestamp", T + 2));
		assertThat(this.state.task("t1").state()).isEqualTo("STARTED");
		this.state.event(event("task-succeeded", "uuid", "t1", "hostname", "w1@host", "timestamp", T + 3, "result",
				"5", "runtime", 0.25));

		ObservedTask task = this.state.task("t1");
		assertThat(task.state()).isEqualTo("SUCCESS");
		assertThat(task.isReady()).isTrue();
		assertThat(task.name()).isEqualTo("app.add");
		assertThat(task.args()).isEqualTo("(2, 3)");
		assertThat(task.kwargs()).isEqualTo("{}");
		assertThat(task.result()).isEqualTo("5");
		assertThat(task.runtime()).isEqualTo(0.25);
		assertThat(task.worker()).isEqualTo("w1@host");
		assertThat(task.queue()).isEqualTo("celery");
		assertThat(task.exchange()).isEmpty();
		assertThat(task.routingKey()).isEqualTo("celery");
		assertThat(task.rootId()).isEqualTo("t1");
		assertThat(task.parentId()).isNull();
		assertThat(task.sent()).isEqualTo(NOW);
		assertThat(task.received()).isEqualTo(NOW.plusSeconds(1));
		assertThat(task.started()).isEqualTo(NOW.plusSeconds(2));
		assertThat(task.finished()).isEqualTo(NOW.plusSeconds(3));
		assertThat(this.state.worker("w1@host")).as("a worker's task events are signs of its life").isNotNull();
		assertThat(this.state.worker("gen1@client")).as("a client is not a worker").isNull();
	}

	@Test
	void aLateReceivedNeverTakesATaskBackFromSuccess() {
		this.state.event(event("task-succeeded", "uuid", "t1", "hostname", "w1@host", "timestamp", T + 3, "result",
				"5"));
		this.state.event(event("task-started", "uuid", "t1", "hostname", "w1@host", "timestamp", T + 2));
		this.state.event(event("task-received", "uuid", "t1", "hostname", "w1@host", "timestamp", T + 1, "name",
				"app.add", "args", "(2, 3)"));
		this.state.event(event("task-sent", "uuid", "t1", "hostname", "gen1@client", "timestamp", T, "name",
				"app.add", "queue", "high"));

		ObservedTask task = this.state.task("t1");
		assertThat(task.state()).isEqualTo("SUCCESS");
		assertThat(task.name()).isEqualTo("app.add");
		assertThat(task.args()).isEqualTo("(2, 3)");
		assertThat(task.queue()).isEqualTo("high");
		assertThat(task.received()).isEqualTo(NOW.plusSeconds(1));
		assertThat(task.started()).isEqualTo(NOW.plusSeconds(2));
		assertThat(task.finished()).isEqualTo(NOW.plusSeconds(3));
	}

	@Test
	void aFailedTaskKeepsItsTracebackWhateverComesLate() {
		this.state.event(event("task-received", "uuid", "t1", "hostname", "w1@host", "name", "app.fail"));
		this.state.event(event("task-failed", "uuid", "t1", "hostname", "w1@host", "exception",
				"ValueError('boom')", "traceback", "Traceback (most recent call last):\nValueError: boom\n"));
		this.state.event(event("task-started", "uuid", "t1", "hostname", "w1@host"));

		ObservedTask task = this.state.task("t1");
		assertThat(task.state()).isEqualTo("FAILURE");
		assertThat(task.exception()).isEqualTo("ValueError('boom')");
		assertThat(task.traceback()).endsWith("ValueError: boom\n");
		assertThat(task.isReady()).isTrue();
	}

	@Test
	void aRetriedTaskCountsItsRetriesAndCanStillSucceed() {
		this.state.event(event("task-received", "uuid", "t1", "hostname", "w1@host", "name", "app.flaky", "retries",
				0));
		this.state.event(event("task-started", "uuid", "t1", "hostname", "w1@host"));
		this.state.event(event("task-retried", "uuid", "t1", "hostname", "w1@host", "exception",
				"KeyError('transient')", "traceback", "Traceback ...\nRetry in 1s\n"));
		assertThat(this.state.task("t1").state()).isEqualTo("RETRY");
		assertThat(this.state.task("t1").retries()).isEqualTo(1);

		// The retry is sent again with its own id as parent_id, as Celery does.
		this.state.event(event("task-sent", "uuid", "t1", "hostname", "w1@host", "name", "app.flaky", "retries", 1,
				"parent_id", "t1"));
		assertThat(this.state.task("t1").state()).as("after RETRY, any state is taken").isEqualTo("PENDING");
		this.state.event(event("task-received", "uuid", "t1", "hostname", "w1@host", "retries", 1));
		this.state.event(event("task-retried", "uuid", "t1", "hostname", "w1@host", "exception",
				"KeyError('again')"));
		this.state.event(event("task-received", "uuid", "t1", "hostname", "w1@host", "retries", 2));
		this.state.event(event("task-started", "uuid", "t1", "hostname", "w1@host"));
		this.state.event(event("task-succeeded", "uuid", "t1", "hostname", "w1@host", "result", "7"));

		ObservedTask task = this.state.task("t1");
		assertThat(task.state()).isEqualTo("SUCCESS");
		assertThat(task.retries()).isEqualTo(2);
		assertThat(task.exception()).isEqualTo("KeyError('again')");
		assertThat(task.parentId()).as("a retry is not its own parent").isNull();
		assertThat(task.children()).isEmpty();
	}

	@Test
	void aRevokedTaskSaysHowItEnded() {
		this.state.event(event("task-started", "uuid", "t1", "hostname", "w1@host", "timestamp", T));
		this.state.event(event("task-revoked", "uuid", "t1", "hostname", "w1@host", "timestamp", T + 1,
				"terminated", true, "signum", 15, "expired", false));
		this.state.event(event("task-revoked", "uuid", "t2", "hostname", "w1@host", "terminated", false, "signum",
				null, "expired", true));

		ObservedTask terminated = this.state.task("t1");
		assertThat(terminated.state()).isEqualTo("REVOKED");
		assertThat(terminated.terminated()).isTrue();
		assertThat(terminated.signum()).isEqualTo("15");
		assertThat(terminated.expired()).isFalse();
		assertThat(terminated.finished()).isEqualTo(NOW.plusSeconds(1));
		ObservedTask expired = this.state.task("t2");
		assertThat(expired.expired()).isTrue();
		assertThat(expired.signum()).isNull();
	}

	@Test
	void aRejectedTaskSaysWhetherItWasRequeued() {
		this.state.event(event("task-received", "uuid", "t1", "hostname", "w1@host"));
		this.state.event(event("task-rejected", "uuid", "t1", "hostname", "w1@host", "requeue", true));
		this.state.event(event("task-rejected", "uuid", "t2", "hostname", "w1@host", "requeue", false));

		assertThat(this.state.task("t1").state()).isEqualTo("REJECTED");
		assertThat(this.state.task("t1").requeued()).isTrue();
		assertThat(this.state.task("t2").requeued()).isFalse();
	}

	@Test
	void aTaskEventOfItsOwnBecomesItsState() {
		this.state.event(event("task-received", "uuid", "t1", "hostname", "w1@host"));
		this.state.event(event("task-progress", "uuid", "t1", "hostname", "w1@host"));

		assertThat(this.state.task("t1").state()).isEqualTo("PROGRESS");
	}

	@Test
	void aWorkerIsOnlineFromItsHeartbeatsUntilItSaysOffline() {
		this.state.event(event("worker-online", "hostname", "w1@host", "timestamp", T, "freq", 2.0, "active", 0,
				"processed", 0, "loadavg", List.of(0.5, 0.25, 0.125), "sw_ident", "py-celery", "sw_ver", "5.2.6",
				"sw_sys", "Linux", "pid", 4242));
		this.state.event(event("worker-heartbeat", "hostname", "w1@host", "freq", 2.0, "active", 2, "processed",
				9));

		ObservedWorker worker = this.state.worker("w1@host");
		assertThat(worker.online()).isTrue();
		assertThat(worker.active()).isEqualTo(2);
		assertThat(worker.processed()).isEqualTo(9);
		assertThat(worker.loadAverage()).containsExactly(0.5, 0.25, 0.125);
		assertThat(worker.software()).isEqualTo("py-celery 5.2.6");
		assertThat(worker.system()).isEqualTo("Linux");
		assertThat(worker.pid()).isEqualTo(4242);
		assertThat(worker.heartbeatInterval()).isEqualTo(2.0);
		assertThat(worker.lastHeartbeat()).isEqualTo(NOW);

		this.state.event(event("worker-offline", "hostname", "w1@host", "freq", 2.0, "processed", 10));

		assertThat(this.state.worker("w1@host").online()).isFalse();
		assertThat(this.state.worker("w1@host").processed()).isEqualTo(10);
		assertThat(this.state.workers()).extracting(ObservedWorker::hostname).containsExactly("w1@host");
	}

	@Test
	void aWorkerWhoseHeartbeatsStopIsOfflineAfterTwiceItsInterval() {
		this.state.event(event("worker-heartbeat", "hostname", "w1@host", "freq", 2.0));
		long sequence = this.state.changesSince(0).sequence();

		this.clock.advance(Duration.ofMillis(3_999));
		assertThat(this.state.worker("w1@host").online()).isTrue();
		assertThat(this.state.changesSince(sequence).isEmpty()).isTrue();

		this.clock.advance(Duration.ofMillis(1));
		assertThat(this.state.worker("w1@host").online()).isFalse();
		Changes changes = this.state.changesSince(sequence);
		assertThat(changes.workers()).extracting(ObservedWorker::hostname, ObservedWorker::online)
			.containsExactly(tuple("w1@host", false));

		this.state.event(event("worker-heartbeat", "hostname", "w1@host", "freq", 2.0));
		assertThat(this.state.workers().get(0).online()).isTrue();
	}

	@Test
	void aWorkerWithoutFrequencyIsGivenCeleryDefaultMinute() {
		this.state.event(event("worker-online", "hostname", "w1@host"));

		this.clock.advance(Duration.ofSeconds(119));
		assertThat(this.state.worker("w1@host").online()).isTrue();
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(this.state.worker("w1@host").online()).isFalse();
	}

	@Test
	void theHistoryStaysBoundedWhateverTheEventRate() {
		for (int i = 0; i < 1_000; i++) {
			String id = "t" + i;
			this.state.event(event("task-received", "uuid", id, "hostname", "w1@host", "name", "app.add"));
			this.state.event(event("task-succeeded", "uuid", id, "hostname", "w1@host", "result", "5"));
			assertThat(this.state.taskCount()).isLessThanOrEqualTo(100);
		}

		assertThat(this.state.taskCount()).isEqualTo(100);
		assertThat(this.state.task("t899")).isNull();
		assertThat(this.state.task("t900")).isNotNull();
		assertThat(this.state.tasks(TaskQuery.newest(1_000))).hasSize(100).first()
			.extracting(ObservedTask::id)
			.isEqualTo("t999");
		assertThat(this.state.changesSince(0).tasks()).hasSize(100);
	}

	@Test
	void theLeastRecentlyChangedTaskIsForgottenFirst() {
		ClusterState small = new ClusterState(2, 10, this.clock);
		small.event(event("task-received", "uuid", "a", "hostname", "w1@host"));
		small.event(event("task-received", "uuid", "b", "hostname", "w1@host"));
		small.event(event("task-started", "uuid", "a", "hostname", "w1@host"));
		small.event(event("task-received", "uuid", "c", "hostname", "w1@host"));

		assertThat(small.tasks(TaskQuery.newest(10))).extracting(ObservedTask::id).containsExactly("c", "a");
	}

	@Test
	void offlineWorkersAreForgottenFirst() {
		ClusterState small = new ClusterState(10, 2, this.clock);
		small.event(event("worker-online", "hostname", "w1@host"));
		small.event(event("worker-online", "hostname", "w2@host"));
		small.event(event("worker-offline", "hostname", "w2@host"));
		this.clock.advance(Duration.ofSeconds(1));
		small.event(event("worker-online", "hostname", "w3@host"));

		assertThat(small.workers()).extracting(ObservedWorker::hostname).containsExactly("w1@host", "w3@host");

		this.clock.advance(Duration.ofSeconds(1));
		small.event(event("worker-heartbeat", "hostname", "w1@host"));
		small.event(event("worker-online", "hostname", "w4@host"));

		assertThat(small.workers()).as("all alive: the least recently heard of goes")
			.extracting(ObservedWorker::hostname)
			.containsExactly("w1@host", "w4@host");
	}

	@Test
	void tasksAreQueriedByStateNameAndWorker() {
		this.state.event(event("task-received", "uuid", "a", "hostname", "w1@host", "name", "app.Add"));
		this.state.event(event("task-succeeded", "uuid", "a", "hostname", "w1@host"));
		this.state.event(event("task-received", "uuid", "b", "hostname", "w2@host", "name", "app.fail"));
		this.state.event(event("task-failed", "uuid", "b", "hostname", "w2@host"));
		this.state.event(event("task-received", "uuid", "c", "hostname", "w1@host", "name", "app.add"));
		this.state.event(event("task-received", "uuid", "d", "hostname", "w2@host", "name", "other.add"));

		assertThat(ids(new TaskQuery("FAILURE", null, null, 10))).containsExactly("b");
		assertThat(ids(new TaskQuery(null, "APP.ADD", null, 10))).containsExactly("c", "a");
		assertThat(ids(new TaskQuery(null, "add", null, 10))).containsExactly("d", "c", "a");
		assertThat(ids(new TaskQuery(null, null, "w2@host", 10))).containsExactly("d", "b");
		assertThat(ids(new TaskQuery("RECEIVED", "add", "w1@host", 10))).containsExactly("c");
		assertThat(ids(TaskQuery.newest(2))).containsExactly("d", "c");
		assertThat(ids(TaskQuery.newest(0))).isEmpty();
	}

	@Test
	void aTaskKnowsTheChildrenItSentWhicheverCameFirst() {
		this.state.event(event("task-received", "uuid", "parent", "hostname", "w1@host"));
		this.state.event(event("task-sent", "uuid", "child1", "hostname", "w1@host", "parent_id", "parent",
				"root_id", "parent"));
		// A grandchild heard of before its parent.
		this.state.event(event("task-received", "uuid", "grandchild", "hostname", "w1@host", "parent_id",
				"child2"));
		this.state.event(event("task-sent", "uuid", "child2", "hostname", "w1@host", "parent_id", "parent"));

		assertThat(this.state.task("parent").children()).containsExactly("child1", "child2");
		assertThat(this.state.task("child1").parentId()).isEqualTo("parent");
		assertThat(this.state.task("child1").rootId()).isEqualTo("parent");
		assertThat(this.state.task("child2").children()).containsExactly("grandchild");
	}

	@Test
	void aForgottenChildIsNoLongerListed() {
		ClusterState small = new ClusterState(2, 10, this.clock);
		small.event(event("task-received", "uuid", "parent", "hostname", "w1@host"));
		small.event(event("task-received", "uuid", "child", "hostname", "w1@host", "parent_id", "parent"));
		assertThat(small.task("parent").children()).containsExactly("child");
		small.event(event("task-started", "uuid", "parent", "hostname", "w1@host"));
		small.event(event("task-received", "uuid", "other", "hostname", "w1@host"));

		assertThat(small.task("child")).isNull();
		assertThat(small.task("parent").children()).isEmpty();
	}

	@Test
	void changesSinceListsOnlyWhatChangedNewestFirst() {
		this.state.event(event("worker-online", "hostname", "w1@host"));
		this.state.event(event("task-sent", "uuid", "a", "hostname", "gen1@client"));
		this.state.event(event("task-sent", "uuid", "b", "hostname", "gen1@client"));
		Changes all = this.state.changesSince(0);
		assertThat(all.tasks()).extracting(ObservedTask::id).containsExactly("b", "a");
		assertThat(all.workers()).extracting(ObservedWorker::hostname).containsExactly("w1@host");
		assertThat(this.state.changesSince(all.sequence()).isEmpty()).isTrue();
		assertThat(this.state.changesSince(all.sequence()).sequence()).isEqualTo(all.sequence());

		this.state.event(event("task-sent", "uuid", "c", "hostname", "gen1@client"));
		this.state.event(event("task-started", "uuid", "a", "hostname", "w2@host"));

		Changes changes = this.state.changesSince(all.sequence());
		assertThat(changes.sequence()).isGreaterThan(all.sequence());
		assertThat(changes.tasks()).extracting(ObservedTask::id, ObservedTask::state)
			.containsExactly(tuple("a", "STARTED"),
					tuple("c", "PENDING"));
		assertThat(changes.workers()).extracting(ObservedWorker::hostname).containsExactly("w2@host");
		assertThat(changes.tasks().get(0).sequence()).isGreaterThan(changes.tasks().get(1).sequence());
		assertThat(this.state.changesSince(changes.sequence()).isEmpty()).isTrue();
		assertThat(this.state.changesSince(changes.sequence() + 100).tasks())
			.as("a sequence this state never reached (a restart) means everything")
			.hasSize(3);
	}

	@Test
	void throughputCountsFinishedTasksInTenSecondBucketsThatRollOver() {
		succeed("a", "celery");
		succeed("b", null);
		fail("c", "high");
		Throughput now = this.state.throughput();
		assertThat(now.bucket()).isEqualTo(Duration.ofSeconds(10));
		assertThat(now.succeeded()).hasSize(60).endsWith(2L);
		assertThat(now.failed()).endsWith(1L);
		assertThat(now.start()).isEqualTo(Instant.parse("2026-11-23T09:50:10Z"));
		assertThat(now.perQueue()).containsOnlyKeys("celery", "high");
		assertThat(now.perQueue().get("celery")).hasSize(60).endsWith(1L);

		this.clock.advance(Duration.ofSeconds(10));
		succeed("d", "celery");
		Throughput later = this.state.throughput();
		assertThat(later.start()).isEqualTo(Instant.parse("2026-11-23T09:50:20Z"));
		assertThat(later.succeeded()).endsWith(2L, 1L);
		assertThat(later.perQueue().get("celery")).endsWith(1L, 1L);
		assertThat(later.succeeded().stream().mapToLong(Long::longValue).sum()).isEqualTo(3);

		this.clock.advance(Duration.ofMinutes(9).plusSeconds(50));
		Throughput lastOneLeft = this.state.throughput();
		assertThat(lastOneLeft.succeeded().get(0)).isEqualTo(1L);
		assertThat(lastOneLeft.succeeded().stream().mapToLong(Long::longValue).sum()).isEqualTo(1);

		this.clock.advance(Duration.ofSeconds(10));
		Throughput empty = this.state.throughput();
		assertThat(empty.succeeded()).hasSize(60).containsOnly(0L);
		assertThat(empty.failed()).containsOnly(0L);
		assertThat(empty.perQueue()).isEmpty();

		succeed("e", "celery");
		assertThat(this.state.throughput().succeeded()).endsWith(1L);
		assertThat(this.state.throughput().succeeded().stream().mapToLong(Long::longValue).sum()).isEqualTo(1);
	}

	@Test
	void aTaskIsCountedOnceAndInItsQueueWhenItsSentEventComesLate() {
		this.state.event(event("task-succeeded", "uuid", "a", "hostname", "w1@host"));
		this.state.event(event("task-succeeded", "uuid", "a", "hostname", "w1@host"));
		this.clock.advance(Duration.ofSeconds(10));
		this.state.event(event("task-sent", "uuid", "a", "hostname", "gen1@client", "queue", "late"));

		Throughput throughput = this.state.throughput();
		assertThat(throughput.succeeded()).endsWith(1L, 0L);
		assertThat(throughput.perQueue().get("late")).endsWith(1L, 0L);
	}

	@Test
	void badEventContentIsIgnoredNotThrown() {
		assertThatNoException().isThrownBy(() -> {
			this.state.event(event("task-received", "hostname", "w1@host", "name", "no uuid"));
			this.state.event(event("worker-heartbeat", "freq", 2.0));
			this.state.event(event("nodash"));
			this.state.event(event("task-received", "uuid", "t1", "hostname", 42, "name", List.of("x"), "retries",
					"many", "timestamp", "now", "args", List.of(1, 2), "kwargs", Map.of("k", 1), "parent_id", null));
			this.state.event(event("task-succeeded", "uuid", "t1", "hostname", "w1@host", "runtime", "fast",
					"result", null));
			this.state.event(event("task-revoked", "uuid", "t2", "terminated", "yes", "expired", 1));
			this.state.event(event("worker-heartbeat", "hostname", "w1@host", "freq", -1, "active", "3", "loadavg",
					"high", "pid", "x", "processed", Double.NaN));
			this.state.event(event("worker-heartbeat", "hostname", "w2@host", "loadavg", List.of("a", 1.5)));
		});

		assertThat(this.state.taskCount()).isEqualTo(2);
		ObservedTask task = this.state.task("t1");
		assertThat(task.state()).isEqualTo("SUCCESS");
		assertThat(task.args()).as("a value that is not text is rendered").isEqualTo("[1, 2]");
		assertThat(task.kwargs()).isEqualTo("{k=1}");
		assertThat(task.name()).isEqualTo("[x]");
		assertThat(task.retries()).isZero();
		assertThat(task.runtime()).isNull();
		assertThat(task.received()).as("no timestamp: when it was heard").isEqualTo(NOW);
		assertThat(this.state.task("t2").terminated()).isFalse();
		ObservedWorker worker = this.state.worker("w1@host");
		assertThat(worker.heartbeatInterval()).isEqualTo(60);
		assertThat(worker.active()).isZero();
		assertThat(worker.loadAverage()).isEmpty();
		assertThat(this.state.worker("w2@host").loadAverage()).containsExactly(1.5);
	}

	@Test
	void eventsFromManyThreadsAreFoldedWhileReadersRead() throws Exception {
		ExecutorService executor = Executors.newFixedThreadPool(4);
		try {
			List<CompletableFuture<?>> running = new ArrayList<>();
			for (int thread = 0; thread < 3; thread++) {
				int feeder = thread;
				running.add(CompletableFuture.runAsync(() -> {
					for (int i = 0; i < 2_000; i++) {
						String id = feeder + "-" + i;
						this.state.event(event("task-received", "uuid", id, "hostname", "w" + feeder + "@host"));
						this.state.event(event("task-succeeded", "uuid", id, "hostname", "w" + feeder + "@host"));
					}
				}, executor));
			}
			running.add(CompletableFuture.runAsync(() -> {
				long sequence = 0;
				for (int i = 0; i < 500; i++) {
					Changes changes = this.state.changesSince(sequence);
					assertThat(changes.sequence()).isGreaterThanOrEqualTo(sequence);
					sequence = changes.sequence();
					assertThat(this.state.tasks(TaskQuery.newest(50))).hasSizeLessThanOrEqualTo(50);
				}
			}, executor));
			CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
		}
		finally {
			executor.shutdownNow();
		}

		assertThat(this.state.taskCount()).isEqualTo(100);
		assertThat(this.state.throughput().succeeded().stream().mapToLong(Long::longValue).sum()).isEqualTo(6_000);
		assertThat(this.state.workers()).hasSize(3);
	}

	@Test
	void capturedCeleryEventsFoldIntoTheTasksAndTheWorkerCelerySaw() {
		JsonMapper mapper = JsonMapper.builder().build();
		JsonNode received = CelerySamples.read("amqp_events_received_by_receiver");
		for (JsonNode event : received) {
			this.state.event(CeleryEvent.of(mapper.convertValue(event, new TypeReference<Map<String, Object>>() {
			})));
		}

		ObservedTask added = this.state.task("c34ec854-9df4-4e1a-a9c0-7b6b194ce4ad");
		assertThat(added.state()).isEqualTo("SUCCESS");
		assertThat(added.name()).isEqualTo("capapp.add");
		assertThat(added.args()).isEqualTo("(2, 3)");
		assertThat(added.result()).isEqualTo("5");
		assertThat(added.queue()).isEqualTo("celery");
		assertThat(added.worker()).isEqualTo("w1@capture");
		assertThat(added.runtime()).isPositive();
		assertThat(added.sent()).isBefore(added.received());
		ObservedTask failed = this.state.task("df13af6d-0603-4ae5-a1bd-ea00dd4b5c86");
		assertThat(failed.state()).isEqualTo("FAILURE");
		assertThat(failed.exception()).isEqualTo("ValueError('boom')");
		assertThat(failed.traceback()).startsWith("Traceback (most recent call last):").contains("ValueError: boom");
		ObservedTask retried = this.state.task("7880c5e1-834e-49b0-b4d7-6b4a975a5c95");
		assertThat(retried.state()).isEqualTo("SUCCESS");
		assertThat(retried.retries()).isEqualTo(1);
		assertThat(retried.result()).isEqualTo("7");
		assertThat(retried.parentId()).isNull();
		ObservedTask unknown = this.state.task("f5567a99-23c8-47a6-9b15-94676defdff4");
		assertThat(unknown.name()).as("from the client's late task-sent").isEqualTo("no.such.task");
		assertThat(unknown.state()).isEqualTo("FAILURE");
		assertThat(unknown.exception()).startsWith("NotRegistered");
		assertThat(this.state.tasks(new TaskQuery("REVOKED", null, null, 10))).singleElement()
			.satisfies((task) -> assertThat(task.name()).isEqualTo("capapp.add"));

		ObservedWorker worker = this.state.worker("w1@capture");
		assertThat(worker.online()).as("it said worker-offline last").isFalse();
		assertThat(worker.software()).isEqualTo("py-celery 5.2.6");
		assertThat(worker.system()).isEqualTo("Linux");
		assertThat(worker.processed()).isEqualTo(7);
		assertThat(worker.heartbeatInterval()).isEqualTo(2.0);
		assertThat(worker.loadAverage()).hasSize(3);
		assertThat(this.state.workers()).as("clients are not workers").extracting(ObservedWorker::hostname)
			.containsExactly("w1@capture");

		Throughput throughput = this.state.throughput();
		assertThat(throughput.succeeded()).endsWith(4L);
		assertThat(throughput.failed()).endsWith(3L);
		assertThat(throughput.perQueue().get("celery")).endsWith(7L);
	}

	@Test
	void capturedCeleryEventsOfEachTypeAreRead() {
		JsonMapper mapper = JsonMapper.builder().build();
		JsonNode byType = CelerySamples.read("events_by_type");
		for (String type : List.of("worker-online", "task-sent", "task-received", "task-started", "task-succeeded",
				"task-failed", "task-retried", "task-revoked", "worker-heartbeat")) {
			JsonNode event = byType.path(type).path("redis").path("event");
			this.state.event(CeleryEvent.of(mapper.convertValue(event, new TypeReference<Map<String, Object>>() {
			})));
		}

		String revokedId = byType.path("task-revoked").path("redis").path("event").path("uuid").asString();
		assertThat(this.state.task(revokedId).state()).isEqualTo("REVOKED");
		assertThat(this.state.task(revokedId).expired()).isTrue();
		String retriedId = byType.path("task-retried").path("redis").path("event").path("uuid").asString();
		assertThat(this.state.task(retriedId).state()).isEqualTo("RETRY");
		assertThat(this.state.task(retriedId).traceback()).contains("celery.exceptions.Retry");
		assertThat(this.state.worker("w1@capture").online()).isTrue();
	}

	private void succeed(String id, @Nullable String queue) {
		this.state.event(event("task-sent", "uuid", id, "hostname", "gen1@client", "queue", queue));
		this.state.event(event("task-succeeded", "uuid", id, "hostname", "w1@host"));
	}

	private void fail(String id, String queue) {
		this.state.event(event("task-sent", "uuid", id, "hostname", "gen1@client", "queue", queue));
		this.state.event(event("task-failed", "uuid", id, "hostname", "w1@host"));
	}

	private List<String> ids(TaskQuery query) {
		return this.state.tasks(query).stream().map(ObservedTask::id).toList();
	}

	private static CeleryEvent event(String type, @Nullable Object... fields) {
		Map<String, @Nullable Object> map = new LinkedHashMap<>();
		map.put("type", type);
		for (int i = 0; i < fields.length; i += 2) {
			map.put((String) fields[i], fields[i + 1]);
		}
		return CeleryEvent.of(map);
	}

}
