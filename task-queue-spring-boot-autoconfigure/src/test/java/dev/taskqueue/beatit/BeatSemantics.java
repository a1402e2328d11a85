package dev.taskqueue.beatit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.taskqueue.beat.BeatScheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Several applications run the beat on one broker (a subclass per broker says how to reach it and how to read
 * what was sent), each a whole Spring application in this JVM, with an entry every second: each fire time is
 * sent once between them, counted by task id in the queue the beat sends to; through a leader that stops; and
 * through a restart of every application after downtime, which sends the missed times once, not once each.
 */
public abstract class BeatSemantics {

	protected static final Duration INTERVAL = Duration.ofSeconds(1);

	private final List<ConfigurableApplicationContext> applications = new ArrayList<>();

	/** Removes what earlier tests left in the broker. */
	protected abstract void clean();

	/**
	 * The properties that put an application on the broker under test.
	 * @return {@code name=value} pairs
	 */
	protected abstract String[] brokerProperties();

	/**
	 * How many tasks wait in the queue {@code beat-it}.
	 * @return the count
	 */
	protected abstract int sentCount();

	/**
	 * The ids of the tasks in the queue {@code beat-it}, oldest first, once every application has stopped; each
	 * message names the entry {@code tick} in its {@code periodic_task_name} header.
	 * @return the ids
	 */
	protected abstract List<String> sentIds();

	/**
	 * The last run of {@code tick} as the broker keeps it, once every application has stopped.
	 * @return the last run
	 */
	protected abstract Instant lastRun();

	@BeforeEach
	void cleanBroker() {
		clean();
		BeatApplication.EVENTS.clear();
	}

	@AfterEach
	void stopApplications() {
		stopAll();
	}

	@Test
	void twoApplicationsSendEachFireTimeOnceBetweenThem() {
		ConfigurableApplicationContext first = start();
		ConfigurableApplicationContext second = start();
		await().atMost(Duration.ofSeconds(90)).until(() -> sentCount() >= 30);
		assertThat(List.of(first, second)).filteredOn((context) -> beat(context).status().leading()).hasSize(1);
		stopAll();

		List<String> ids = sentIds();
		assertThat(ids).hasSizeGreaterThanOrEqualTo(30).doesNotHaveDuplicates();
		List<Instant> times = BeatTimes.of("tick", lastRun(), INTERVAL, ids);
		assertThat(BeatTimes.missing(times, INTERVAL)).isEmpty();
	}

	@Test
	void threeApplicationsSendEachFireTimeOnceWhileTheLeaderStopsAndAnotherTakesOver() {
		List<ConfigurableApplicationContext> three = List.of(start(), start(), start());
		await().atMost(Duration.ofSeconds(60)).until(() -> sentCount() >= 10);
		ConfigurableApplicationContext leader = three.stream()
			.filter((context) -> beat(context).status().leading())
			.findFirst()
			.orElseThrow();
		leader.close();
		await().atMost(Duration.ofSeconds(5))
			.until(() -> three.stream()
				.filter((context) -> context != leader)
				.anyMatch((context) -> beat(context).status().leading()));
		int atHandover = sentCount();
		await().atMost(Duration.ofSeconds(60)).until(() -> sentCount() >= atHandover + 15);
		stopAll();

		List<String> ids = sentIds();
		assertThat(ids).doesNotHaveDuplicates();
		List<Instant> times = BeatTimes.of("tick", lastRun(), INTERVAL, ids);
		// a leader that stops gives the lead up: the next one leads at once, and misses nothing
		assertThat(BeatTimes.missing(times, INTERVAL)).isEmpty();
	}

	@Test
	void aRestartOfEveryApplicationAfterDowntimeCatchesTheMissedTimesUpOnce() {
		start();
		await().atMost(Duration.ofSeconds(60)).until(() -> sentCount() >= 5);
		stopAll();
		int beforeRestart = sentCount();
		// five seconds with no beat at all
		await().pollDelay(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(6)).until(() -> true);
		start();
		await().atMost(Duration.ofSeconds(60)).until(() -> sentCount() >= beforeRestart + 5);
		stopAll();
		Instant led = lastLeadTaken();

		List<String> ids = sentIds();
		assertThat(ids).doesNotHaveDuplicates();
		List<Instant> times = BeatTimes.of("tick", lastRun(), INTERVAL, ids);
		List<Instant> before = times.subList(0, beforeRestart);
		List<Instant> after = times.subList(beforeRestart, times.size());
		// the downtime's times were not sent one by one...
		assertThat(BeatTimes.missing(times, INTERVAL)).hasSizeGreaterThanOrEqualTo(3)
			.allSatisfy((time) -> assertThat(time).isAfter(before.get(before.size() - 1)).isBefore(after.get(0)));
		// ...but the latest of them once, when the restarted application took the lead
		Instant catchUp = after.get(0);
		assertThat(catchUp).isBefore(led);
		assertThat(Duration.between(catchUp, led)).isLessThanOrEqualTo(INTERVAL.plusMillis(500));
		assertThat(BeatTimes.missing(after, INTERVAL)).isEmpty();
	}

	private ConfigurableApplicationContext start() {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(BeatApplication.class)
			.web(WebApplicationType.NONE)
			.properties(brokerProperties())
			.properties("taskqueue.result-backend=none", "taskqueue.worker.enabled=false",
					"taskqueue.beat.enabled=true", "taskqueue.beat.schedule.tick.task=sample.echo",
					"taskqueue.beat.schedule.tick.every=1s", "taskqueue.beat.schedule.tick.args=tick",
					"taskqueue.beat.schedule.tick.queue=beat-it")
			.run();
		this.applications.add(context);
		return context;
	}

	private void stopAll() {
		this.applications.forEach(ConfigurableApplicationContext::close);
		this.applications.clear();
	}

	private static BeatScheduler beat(ConfigurableApplicationContext context) {
		return context.getBean(BeatScheduler.class);
	}

	/**
	 * When the last scheduler to take the lead took it.
	 */
	private static Instant lastLeadTaken() {
		String leading = BeatApplication.EVENTS.stream()
			.filter((event) -> event.startsWith("leading "))
			.reduce((a, b) -> b)
			.orElseThrow();
		return Instant.ofEpochMilli(Long.parseLong(leading.split(" ")[2]));
	}

}
