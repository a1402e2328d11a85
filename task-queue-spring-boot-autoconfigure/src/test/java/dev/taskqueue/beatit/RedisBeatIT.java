package dev.taskqueue.beatit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.taskqueue.beat.BeatScheduler;
import dev.taskqueue.redis.OwnRedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Several applications run the beat on one Redis (a redis-server of this test's own), each a whole Spring
 * application in this JVM, with an entry every second: each fire time is sent once between them, counted by
 * task id in the queue the beat sends to, through a leader that stops and through a restart of every
 * application, which catches the missed times up once.
 */
class RedisBeatIT {

	private static final Duration INTERVAL = Duration.ofSeconds(1);

	private static OwnRedisServer server;

	private static LettuceConnectionFactory connectionFactory;

	private final List<ConfigurableApplicationContext> applications = new ArrayList<>();

	private final JsonMapper mapper = JsonMapper.builder().build();

	private StringRedisTemplate redis;

	@BeforeAll
	static void startRedis() {
		server = OwnRedisServer.start();
		connectionFactory = server.connectionFactory();
	}

	@AfterAll
	static void stopRedis() {
		connectionFactory.destroy();
		server.close();
	}

	@BeforeEach
	void flush() {
		this.redis = new StringRedisTemplate(connectionFactory);
		this.redis.execute((org.springframework.data.redis.core.RedisCallback<Object>) (connection) -> {
			connection.serverCommands().flushAll();
			return null;
		});
	}

	@AfterEach
	void stopApplications() {
		this.applications.forEach(ConfigurableApplicationContext::close);
	}

	@Test
	void twoApplicationsSendEachFireTimeOnceBetweenThem() {
		ConfigurableApplicationContext first = start();
		ConfigurableApplicationContext second = start();
		await().atMost(Duration.ofSeconds(90)).until(() -> sentIds().size() >= 30);
		assertThat(List.of(first, second)).filteredOn((context) -> beat(context).status().leading()).hasSize(1);
		stopAll();

		List<String> ids = sentIds();
		assertThat(ids).doesNotHaveDuplicates();
		List<Instant> times = BeatTimes.of("tick", lastRun(), INTERVAL, ids);
		assertThat(BeatTimes.missing(times, INTERVAL)).isEmpty();
	}

	@Test
	void threeApplicationsSendEachFireTimeOnceWhileTheLeaderStopsAndAnotherTakesOver() {
		List<ConfigurableApplicationContext> three = List.of(start(), start(), start());
		await().atMost(Duration.ofSeconds(60)).until(() -> sentIds().size() >= 10);
		ConfigurableApplicationContext leader = three.stream()
			.filter((context) -> beat(context).status().leading())
			.findFirst()
			.orElseThrow();
		leader.close();
		await().atMost(Duration.ofSeconds(5))
			.until(() -> three.stream().filter((context) -> context != leader)
				.anyMatch((context) -> beat(context).status().leading()));
		int atHandover = sentIds().size();
		await().atMost(Duration.ofSeconds(60)).until(() -> sentIds().size() >= atHandover + 15);
		stopAll();

		List<String> ids = sentIds();
		assertThat(ids).doesNotHaveDuplicates();
		List<Instant> times = BeatTimes.of("tick", lastRun(), INTERVAL, ids);
		// a leader that stops gives the lead up: the next one leads within a poll, and misses nothing
		assertThat(BeatTimes.missing(times, INTERVAL)).isEmpty();
	}

	@Test
	void aRestartOfEveryApplicationAfterDowntimeCatchesTheMissedTimesUpOnce() {
		start();
		await().atMost(Duration.ofSeconds(60)).until(() -> sentIds().size() >= 5);
		stopAll();
		int beforeRestart = sentIds().size();
		// five seconds with no beat at all
		await().pollDelay(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(6)).until(() -> true);
		start();
		await().atMost(Duration.ofSeconds(60)).until(() -> sentIds().size() >= beforeRestart + 5);
		Instant led = leadingSince();
		stopAll();

		List<String> ids = sentIds();
		assertThat(ids).doesNotHaveDuplicates();
		List<Instant> times = BeatTimes.of("tick", lastRun(), INTERVAL, ids);
		List<Instant> before = times.subList(0, beforeRestart);
		List<Instant> after = times.subList(beforeRestart, times.size());
		List<Instant> missing = BeatTimes.missing(times, INTERVAL);
		// the downtime's times were not sent one by one...
		assertThat(missing).hasSizeGreaterThanOrEqualTo(3)
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
			.properties("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + server.port(),
					"taskqueue.broker=redis", "taskqueue.result-backend=none", "taskqueue.worker.enabled=false",
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
	 * The ids of the tasks waiting in the queue the beat sends to, oldest first (kombu pushes on the left).
	 */
	private List<String> sentIds() {
		List<String> messages = this.redis.opsForList().range("beat-it", 0, -1);
		List<String> ids = new ArrayList<>();
		for (String message : messages) {
			JsonNode headers = this.mapper.readTree(message).get("headers");
			assertThat(headers.get("periodic_task_name").asString()).isEqualTo("tick");
			ids.add(headers.get("id").asString());
		}
		Collections.reverse(ids);
		return ids;
	}

	private Instant lastRun() {
		Object millis = this.redis.opsForHash().get("taskqueue.beat.last-runs", "tick");
		return Instant.ofEpochMilli(Long.parseLong((String) millis));
	}

	/**
	 * When the last scheduler to take the lead took it.
	 */
	private Instant leadingSince() {
		List<String> events = this.redis.opsForList().range("beat-it:events", 0, -1);
		String leading = events.stream().filter((event) -> event.startsWith("leading ")).reduce((a, b) -> b).orElseThrow();
		return Instant.ofEpochMilli(Long.parseLong(leading.split(" ")[2]));
	}

}
