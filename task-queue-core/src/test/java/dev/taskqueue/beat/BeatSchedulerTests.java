package dev.taskqueue.beat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.AsyncResult;
import dev.taskqueue.MovableClock;
import dev.taskqueue.SendOptions;
import dev.taskqueue.TaskClient;
import dev.taskqueue.TaskQueueException;
import dev.taskqueue.TaskReference;
import dev.taskqueue.protocol.Envelope;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The beat's loop with a clock the test moves and schedulers that tick when the test says: who leads, what is
 * sent and when, over leader changes and restarts. Schedulers sharing one {@link InMemoryBeatStore} stand for
 * applications sharing a broker.
 */
class BeatSchedulerTests {

	private static final Instant START = Instant.parse("2024-05-01T12:00:00Z");

	private static final Duration LEASE = Duration.ofSeconds(10);

	private final MovableClock clock = new MovableClock(START);

	private final InMemoryBeatStore store = new InMemoryBeatStore(this.clock);

	private final BeatFixture fixture = new BeatFixture(this.clock);

	private final BeatEntry tick = BeatEntry.of("tick", "sample.echo", Schedule.every(Duration.ofSeconds(1)))
		.withArgs(List.of("tick"));

	@AfterEach
	void close() {
		this.fixture.close();
	}

	@Test
	void anIntervalFirstFiresOneIntervalAfterTheLeaderFirstSeesIt() {
		BeatScheduler beat = scheduler("a", BeatEntry.of("heartbeat", "sample.echo", Schedule.every(Duration.ofSeconds(30)))
			.withArgs(List.of("tick"))
			.withKwargs(Map.of("loud", true))
			.withOptions(SendOptions.defaults().withQueue("beats").withPriority(3)));
		beat.tick();
		this.clock.advance(Duration.ofSeconds(29));
		beat.tick();
		assertThat(this.fixture.take("beats")).isEmpty();

		this.clock.advance(Duration.ofSeconds(1));
		beat.tick();
		List<Envelope> sent = this.fixture.take("beats");
		assertThat(sent).hasSize(1);
		Envelope message = sent.get(0);
		assertThat(message.headers()).containsEntry("task", "sample.echo")
			.containsEntry("id", BeatScheduler.taskId("heartbeat", START.plusSeconds(30)))
			.containsEntry("periodic_task_name", "heartbeat")
			.containsEntry("argsrepr", "('tick',)");
		assertThat(message.priority()).isEqualTo(3);
		assertThat(new String(message.body(), StandardCharsets.UTF_8)).startsWith("[[\"tick\"],{\"loud\":true}");
	}

	@Test
	void theTaskIdIsTheSameForTheSameEntryAndTimeInEveryApplication() {
		assertThat(BeatScheduler.taskId("tick", START)).isEqualTo(BeatScheduler.taskId("tick", START))
			.isNotEqualTo(BeatScheduler.taskId("tick", START.plusMillis(1)))
			.isNotEqualTo(BeatScheduler.taskId("tock", START))
			.matches("[0-9a-f]{8}-[0-9a-f]{4}-3[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
	}

	@Test
	void twoSchedulersSendEachFireTimeOnceBetweenThem() {
		BeatScheduler a = scheduler("a", this.tick);
		BeatScheduler b = scheduler("b", this.tick);
		List<String> expected = new ArrayList<>();
		for (int second = 0; second <= 120; second++) {
			a.tick();
			b.tick();
			if (second > 0) {
				expected.add(BeatScheduler.taskId("tick", START.plusSeconds(second)));
			}
			this.clock.advance(Duration.ofSeconds(1));
		}
		assertThat(this.fixture.ids("celery")).containsExactlyElementsOf(expected);
		assertThat(a.status().leading()).isTrue();
		assertThat(b.status().leading()).isFalse();
		assertThat(b.status().leader()).isEqualTo("a");
	}

	@Test
	void whenTheLeaderDiesAnotherLeadsWithinTheLeaseAndCatchesUpTheGapOnce() {
		BeatScheduler a = scheduler("a", this.tick);
		BeatScheduler b = scheduler("b", this.tick);
		for (int second = 0; second <= 10; second++) {
			a.tick();
			b.tick();
			this.clock.advance(Duration.ofSeconds(1));
		}
		// a is killed at 11s: it neither ticks nor gives the lead up; its last renewal was at 8s
		List<String> beforeDeath = this.fixture.ids("celery");
		assertThat(beforeDeath).hasSize(10);
		// b ticks between two fire times, as real clocks do
		this.clock.advance(Duration.ofMillis(500));
		Instant takeover = null;
		for (int second = 11; second <= 40; second++) {
			b.tick();
			if (takeover == null && b.status().leading()) {
				takeover = this.clock.instant();
			}
			this.clock.advance(Duration.ofSeconds(1));
		}
		assertThat(takeover).isNotNull();
		assertThat(Duration.between(START.plusSeconds(11), takeover)).isLessThanOrEqualTo(LEASE);
		// at the takeover, one send for the latest time missed, then every second again
		long gapEnd = takeover.getEpochSecond() - START.getEpochSecond();
		List<String> expected = new ArrayList<>();
		for (long second = gapEnd; second <= 40; second++) {
			expected.add(BeatScheduler.taskId("tick", START.plusSeconds(second)));
		}
		assertThat(this.fixture.ids("celery")).containsExactlyElementsOf(expected).doesNotHaveDuplicates();
	}

	@Test
	void anEntryThatSkipsMissedTimesWaitsForItsNextTimeAfterALeaderChange() {
		BeatEntry skipping = this.tick.withCatchUp(CatchUp.SKIP);
		BeatScheduler a = scheduler("a", skipping);
		BeatScheduler b = scheduler("b", skipping);
		for (int second = 0; second <= 10; second++) {
			a.tick();
			b.tick();
			this.clock.advance(Duration.ofSeconds(1));
		}
		this.fixture.take("celery");
		this.clock.advance(Duration.ofMillis(500));
		Instant takeover = null;
		for (int second = 11; second <= 30; second++) {
			b.tick();
			if (takeover == null && b.status().leading()) {
				takeover = this.clock.instant();
			}
			this.clock.advance(Duration.ofSeconds(1));
		}
		List<String> expected = new ArrayList<>();
		for (long second = takeover.getEpochSecond() - START.getEpochSecond() + 1; second <= 30; second++) {
			expected.add(BeatScheduler.taskId("tick", START.plusSeconds(second)));
		}
		assertThat(this.fixture.ids("celery")).containsExactlyElementsOf(expected);
	}

	@Test
	void aWholeRestartAfterDowntimeCatchesUpOnceThenKeepsTheGrid() {
		BeatScheduler before = scheduler("before", this.tick);
		for (int second = 0; second <= 5; second++) {
			before.tick();
			this.clock.advance(Duration.ofSeconds(1));
		}
		before.stop();
		assertThat(this.fixture.ids("celery")).hasSize(5);

		this.clock.advance(Duration.ofHours(1).plusMillis(500));
		BeatScheduler after = scheduler("after", this.tick);
		after.tick();
		Instant latest = START.plusSeconds(6).plus(Duration.ofHours(1));
		assertThat(this.fixture.ids("celery")).containsExactly(BeatScheduler.taskId("tick", latest));
		this.clock.advance(Duration.ofMillis(500));
		after.tick();
		assertThat(this.fixture.ids("celery")).containsExactly(BeatScheduler.taskId("tick", latest.plusSeconds(1)));
	}

	@Test
	void aLeaderThatStopsGivesTheLeadUpAtOnce() {
		BeatScheduler a = scheduler("a", this.tick);
		BeatScheduler b = scheduler("b", this.tick);
		a.tick();
		b.tick();
		a.stop();
		this.clock.advance(Duration.ofSeconds(1));
		b.tick();
		assertThat(b.status().leading()).isTrue();
		assertThat(this.fixture.ids("celery")).containsExactly(BeatScheduler.taskId("tick", START.plusSeconds(1)));
	}

	@Test
	void aCrontabFiresAtItsTimesInItsZone() {
		BeatScheduler beat = scheduler("a", BeatEntry.of("quarterly", "reports.quarter",
				Schedule.cron("*/15 * * * *", ZoneOffset.UTC)));
		for (int seconds = 0; seconds <= 3600; seconds += 5) {
			beat.tick();
			this.clock.advance(Duration.ofSeconds(5));
		}
		assertThat(this.fixture.ids("celery")).containsExactly(
				BeatScheduler.taskId("quarterly", START.plusSeconds(15 * 60)),
				BeatScheduler.taskId("quarterly", START.plusSeconds(30 * 60)),
				BeatScheduler.taskId("quarterly", START.plusSeconds(45 * 60)),
				BeatScheduler.taskId("quarterly", START.plusSeconds(60 * 60)));
	}

	@Test
	void anEntryPutOnAFollowerIsKeptInTheStoreAndRunByTheLeader() {
		BeatScheduler a = scheduler("a");
		BeatScheduler b = scheduler("b");
		a.tick();
		b.tick();
		b.put(BeatEntry.of("poll", "feeds.poll", Schedule.every(Duration.ofSeconds(5))).withArgs(List.of("rss")));
		assertThat(this.store.entries()).containsKey("poll");
		assertThat(b.entries()).containsKey("poll");
		// the leader reads the store's entries when it renews its lease
		for (int second = 1; second <= 12; second++) {
			this.clock.advance(Duration.ofSeconds(1));
			a.tick();
			b.tick();
		}
		List<Envelope> sent = this.fixture.take("celery");
		assertThat(sent).isNotEmpty().allSatisfy((message) -> {
			assertThat(message.headers()).containsEntry("task", "feeds.poll").containsEntry("periodic_task_name", "poll");
		});
		assertThat(a.status().entries()).singleElement().satisfies((entry) -> {
			assertThat(entry.source()).isEqualTo("runtime");
			assertThat(entry.schedule()).isEqualTo("every PT5S");
			assertThat(entry.nextRun()).isEqualTo(entry.lastRun().plusSeconds(5));
		});

		b.remove("poll");
		assertThat(this.store.entries()).isEmpty();
		assertThat(this.store.lastRuns()).doesNotContainKey("poll");
		for (int second = 1; second <= 12; second++) {
			this.clock.advance(Duration.ofSeconds(1));
			a.tick();
		}
		assertThat(this.fixture.take("celery")).isEmpty();
	}

	@Test
	void anEntryPutAtRunTimeReplacesTheConfiguredOneUntilRemoved() {
		BeatScheduler beat = scheduler("a", this.tick);
		beat.tick();
		beat.put(this.tick.withSchedule(Schedule.every(Duration.ofSeconds(10))));
		assertThat(beat.entries().get("tick").schedule()).isEqualTo(Schedule.every(Duration.ofSeconds(10)));
		for (int second = 1; second <= 10; second++) {
			this.clock.advance(Duration.ofSeconds(1));
			beat.tick();
		}
		// counted from the last run, which was kept: first seen at START, due at START + 10s
		assertThat(this.fixture.ids("celery")).containsExactly(BeatScheduler.taskId("tick", START.plusSeconds(10)));
		beat.remove("tick");
		assertThat(beat.entries().get("tick").schedule()).isEqualTo(Schedule.every(Duration.ofSeconds(1)));
	}

	@Test
	void aSendTheBrokerRefusedIsSentAgainLaterOnce() {
		AtomicInteger failures = new AtomicInteger(2);
		TaskClient flaky = new FailingClient(this.fixture.client(), failures);
		BeatScheduler beat = BeatScheduler.builder(flaky, this.store).clock(this.clock).lease(LEASE).owner("a")
			.entries(List.of(this.tick.withSchedule(Schedule.every(Duration.ofMinutes(1)))))
			.build();
		beat.tick();
		this.clock.advance(Duration.ofMinutes(1));
		beat.tick();
		assertThat(this.store.lastRuns()).containsEntry("tick", START);
		for (int second = 0; second < 3; second++) {
			this.clock.advance(Duration.ofSeconds(1));
			beat.tick();
		}
		assertThat(failures).hasValue(0);
		assertThat(this.fixture.ids("celery")).containsExactly(BeatScheduler.taskId("tick", START.plusSeconds(60)));
		assertThat(this.store.lastRuns()).containsEntry("tick", START.plusSeconds(60));
	}

	@Test
	void theStatusSaysWhoLeadsAndEachEntrysLastAndNextRun() {
		BeatScheduler a = scheduler("a", this.tick);
		BeatScheduler b = scheduler("b", this.tick);
		a.tick();
		b.tick();
		this.clock.advance(Duration.ofSeconds(1));
		a.tick();
		BeatStatus leader = a.status();
		assertThat(leader.leading()).isTrue();
		assertThat(leader.owner()).isEqualTo("a");
		assertThat(leader.lastTick()).isEqualTo(START.plusSeconds(1));
		assertThat(leader.timezone()).isEqualTo("Z");
		assertThat(leader.entries()).singleElement().satisfies((entry) -> {
			assertThat(entry.name()).isEqualTo("tick");
			assertThat(entry.task()).isEqualTo("sample.echo");
			assertThat(entry.source()).isEqualTo("configuration");
			assertThat(entry.lastRun()).isEqualTo(START.plusSeconds(1));
			assertThat(entry.nextRun()).isEqualTo(START.plusSeconds(2));
		});
		BeatStatus follower = b.status();
		assertThat(follower.leading()).isFalse();
		assertThat(follower.leader()).isEqualTo("a");
		assertThat(follower.entries()).singleElement()
			.satisfies((entry) -> assertThat(entry.lastRun()).isEqualTo(START.plusSeconds(1)));
	}

	@Test
	void listenersHearOfSendsAndLeaderChanges() {
		List<String> heard = new ArrayList<>();
		BeatScheduler beat = BeatScheduler.builder(this.fixture.client(), this.store).clock(this.clock).lease(LEASE)
			.owner("a").entries(List.of(this.tick)).listener(new BeatListener() {

				@Override
				public void sent(BeatEntry entry, Instant scheduledAt, String taskId) {
					heard.add("sent " + entry.name() + " " + scheduledAt);
				}

				@Override
				public void leadershipChanged(boolean leading) {
					heard.add(leading ? "leading" : "following");
				}

			}).build();
		beat.tick();
		this.clock.advance(Duration.ofSeconds(1));
		beat.tick();
		beat.stop();
		assertThat(heard).containsExactly("leading", "sent tick " + START.plusSeconds(1), "following");
	}

	private BeatScheduler scheduler(String owner, BeatEntry... entries) {
		return BeatScheduler.builder(this.fixture.client(), this.store)
			.clock(this.clock)
			.lease(LEASE)
			.owner(owner)
			.entries(List.of(entries))
			.jsonMapper(JsonMapper.builder().build())
			.build();
	}

	/**
	 * A client whose broker refuses the first few sends.
	 */
	private record FailingClient(TaskClient delegate, AtomicInteger failures) implements TaskClient {

		@Override
		public AsyncResult<Object> send(String name, List<?> args, Map<String, ?> kwargs) {
			if (this.failures.getAndUpdate((left) -> Math.max(0, left - 1)) > 0) {
				throw new TaskQueueException("the broker is away");
			}
			return this.delegate.send(name, args, kwargs);
		}

		@Override
		public <R> AsyncResult<R> send(TaskReference task, List<?> args) {
			throw new UnsupportedOperationException();
		}

		@Override
		public TaskClient withOptions(SendOptions options) {
			return new FailingClient(this.delegate.withOptions(options), this.failures);
		}

		@Override
		public AsyncResult<Object> result(String taskId) {
			return this.delegate.result(taskId);
		}

	}

}
