package dev.taskqueue.beatit;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.core.StringRedisTemplate;

import dev.taskqueue.process.JvmProcesses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Beat applications as real processes, the leader killed with SIGKILL, for each broker (a subclass per broker
 * says how to reach it): another application takes the lead within the lease (default 10 s, so well within the
 * 15 s promised), no fire time is sent twice, and the times that fell in the gap are sent once, the latest of
 * them. The processes write when they took the lead to the list {@code beat-it:events} of a Redis the
 * subclass owns.
 */
public abstract class BeatKillSemantics {

	protected static final Duration INTERVAL = Duration.ofSeconds(1);

	private final JvmProcesses processes = new JvmProcesses("target/beat-processes", getClass());

	/** Removes what earlier tests left in the broker and the events. */
	protected abstract void clean();

	/**
	 * The properties that put an application on the broker under test, and its events in the test's Redis.
	 * @return {@code name=value} pairs
	 */
	protected abstract String[] brokerProperties();

	/**
	 * The Redis the processes write their events to.
	 * @return a template on it
	 */
	protected abstract StringRedisTemplate events();

	/**
	 * How many tasks wait in the queue {@code beat-it}.
	 * @return the count
	 */
	protected abstract int sentCount();

	/**
	 * The ids of the tasks in the queue {@code beat-it}, oldest first, once every application has stopped.
	 * @return the ids
	 */
	protected abstract List<String> sentIds();

	/**
	 * The last run of {@code tick} as the broker keeps it, once every application has stopped.
	 * @return the last run
	 */
	protected abstract Instant lastRun();

	/**
	 * The longest a killed leader's successor may take to lead, from the kill.
	 * @return the bound
	 */
	protected abstract Duration takeover();

	@BeforeEach
	void cleanBroker() {
		clean();
	}

	@AfterEach
	void killEverything() {
		this.processes.killAll();
	}

	@Test
	void aKilledLeaderIsReplacedWithinTheLeaseAndNoFireTimeIsSentTwice() throws Exception {
		Process first = start("first");
		Process second = start("second");
		await().atMost(Duration.ofSeconds(90)).until(() -> leader().isPresent() && sentCount() >= 5);
		long leaderPid = leader().orElseThrow().pid();
		Process leader = (first.pid() == leaderPid) ? first : second;
		Process survivor = (leader == first) ? second : first;

		Instant killedAt = Instant.now();
		JvmProcesses.kill(leader);
		await().atMost(takeover().plusSeconds(10))
			.until(() -> leader().filter((lead) -> lead.pid() == survivor.pid()).isPresent());
		Instant takenAt = leader().orElseThrow().since();
		assertThat(Duration.between(killedAt, takenAt)).isLessThanOrEqualTo(takeover());
		int atTakeover = sentCount();
		await().atMost(Duration.ofSeconds(60)).until(() -> sentCount() >= atTakeover + 5);
		survivor.destroy();
		assertThat(survivor.waitFor(60, TimeUnit.SECONDS)).isTrue();

		List<String> ids = sentIds();
		assertThat(ids).doesNotHaveDuplicates();
		List<Instant> times = BeatTimes.of("tick", lastRun(), INTERVAL, ids);
		List<Instant> missing = BeatTimes.missing(times, INTERVAL);
		// nothing is missing but the times that fell between the kill and the takeover...
		assertThat(missing).allSatisfy((time) -> assertThat(time).isAfter(killedAt.minus(INTERVAL.multipliedBy(2)))
			.isBefore(takenAt));
		// ...and the latest of those was sent once, by the new leader, when it took the lead
		Instant firstOfTheNewLeader = firstSentBy(survivor.pid());
		assertThat(times).contains(firstOfTheNewLeader);
		if (!missing.isEmpty()) {
			assertThat(firstOfTheNewLeader).isAfter(missing.get(missing.size() - 1)).isBefore(takenAt);
			assertThat(Duration.between(firstOfTheNewLeader, takenAt)).isLessThanOrEqualTo(INTERVAL.plusMillis(500));
		}
	}

	/**
	 * The fire time an application sent first.
	 */
	private Instant firstSentBy(long pid) {
		return events().opsForList().range("beat-it:events", 0, -1).stream()
			.filter((event) -> event.startsWith("sent " + pid + " "))
			.map((event) -> Instant.ofEpochMilli(Long.parseLong(event.split(" ")[2])))
			.findFirst()
			.orElseThrow();
	}

	/**
	 * The application that took the lead last, and when.
	 */
	private Optional<Lead> leader() {
		List<String> events = events().opsForList().range("beat-it:events", 0, -1);
		return events.stream()
			.filter((event) -> event.startsWith("leading "))
			.reduce((a, b) -> b)
			.map((event) -> event.split(" "))
			.map((parts) -> new Lead(Long.parseLong(parts[1]), Instant.ofEpochMilli(Long.parseLong(parts[2]))));
	}

	private Process start(String name) throws IOException {
		List<String> properties = new ArrayList<>(List.of(brokerProperties()));
		properties.addAll(List.of("taskqueue.result-backend=none", "taskqueue.worker.enabled=false",
				"taskqueue.beat.enabled=true", "taskqueue.beat.schedule.tick.task=sample.echo",
				"taskqueue.beat.schedule.tick.every=1s", "taskqueue.beat.schedule.tick.args=tick",
				"taskqueue.beat.schedule.tick.queue=beat-it", "beat-it.events-in-redis=true"));
		return this.processes.start(name, BeatApplication.class, properties);
	}

	/**
	 * Who took the lead, and when.
	 */
	private record Lead(long pid, Instant since) {
	}

}
