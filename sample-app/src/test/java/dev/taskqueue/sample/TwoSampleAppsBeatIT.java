package dev.taskqueue.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.taskqueue.beat.BeatScheduler;
import dev.taskqueue.listener.TaskEvent;
import dev.taskqueue.listener.TaskListener;
import dev.taskqueue.redis.OwnRedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The demonstration: two sample applications on one Redis (a redis-server of this test's own), both
 * started with the same beat entry, {@code tick} every second, run {@code sample.echo} once a second between
 * them, not twice. Each application's workers report the runs they start; both consume the queue. Each says in
 * its health and its {@code taskqueue} endpoint whether it leads.
 */
class TwoSampleAppsBeatIT {

	private static final String[] BEAT = { "--taskqueue.beat.enabled=true",
			"--taskqueue.beat.schedule.tick.task=sample.echo", "--taskqueue.beat.schedule.tick.every=1s",
			"--taskqueue.beat.schedule.tick.args=tick" };

	private final List<String> runs = new CopyOnWriteArrayList<>();

	private final HttpClient http = HttpClient.newHttpClient();

	private final JsonMapper json = JsonMapper.builder().build();

	private final List<ConfigurableApplicationContext> applications = new ArrayList<>();

	private OwnRedisServer redis;

	@BeforeEach
	void startRedis() {
		this.redis = OwnRedisServer.start();
	}

	@AfterEach
	void stopEverything() {
		this.applications.forEach(ConfigurableApplicationContext::close);
		this.redis.close();
	}

	@Test
	void twoSampleAppsRunTheEchoOnceASecondBetweenThem() throws Exception {
		ConfigurableApplicationContext first = start();
		ConfigurableApplicationContext second = start();
		await().atMost(Duration.ofSeconds(30)).until(() -> this.runs.size() >= 1);
		Instant from = Instant.now();
		int atStart = this.runs.size();
		await().pollDelay(Duration.ofSeconds(15)).atMost(Duration.ofSeconds(16)).until(() -> true);
		long seconds = Duration.between(from, Instant.now()).toSeconds();
		int ran = this.runs.size() - atStart;

		// once a second, not twice: one leader sent, and no task ran twice
		assertThat(ran).isBetween((int) seconds - 2, (int) seconds + 2);
		assertThat(this.runs).doesNotHaveDuplicates();
		assertThat(List.of(first, second))
			.filteredOn((context) -> context.getBean(BeatScheduler.class).status().leading())
			.hasSize(1);
		// each says so in its health and its taskqueue endpoint
		for (ConfigurableApplicationContext application : List.of(first, second)) {
			boolean leading = application.getBean(BeatScheduler.class).status().leading();
			JsonNode health = get(application, "/actuator/health/taskQueue/beat");
			assertThat(health.get("status").asString()).isEqualTo("UP");
			assertThat(health.get("details").get("leading").asBoolean()).isEqualTo(leading);
			JsonNode beat = get(application, "/actuator/taskqueue/beat").get("beat");
			assertThat(beat.get("leading").asBoolean()).isEqualTo(leading);
			assertThat(beat.get("entries").get(0).get("name").asString()).isEqualTo("tick");
		}
	}

	private JsonNode get(ConfigurableApplicationContext application, String path) throws Exception {
		int port = application.getEnvironment().getProperty("local.server.port", Integer.class);
		HttpResponse<String> response = this.http.send(
				HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(path).isEqualTo(200);
		return this.json.readTree(response.body());
	}

	private ConfigurableApplicationContext start() {
		List<String> args = new ArrayList<>(List.of("--server.port=0", "--taskqueue.broker=redis",
				"--taskqueue.result-backend=redis", "--spring.data.redis.host=127.0.0.1",
				"--spring.data.redis.port=" + this.redis.port()));
		args.addAll(List.of(BEAT));
		ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class)
			.initializers((application) -> application.getBeanFactory().registerSingleton("tickRuns", new TickRuns()))
			.run(args.toArray(String[]::new));
		this.applications.add(context);
		return context;
	}

	/**
	 * Records the id of each run of the beat's {@code tick} entry that a worker starts.
	 */
	private final class TickRuns implements TaskListener {

		@Override
		public void prerun(TaskEvent task) {
			if ("tick".equals(task.headers().get(BeatScheduler.PERIODIC_TASK_NAME))) {
				TwoSampleAppsBeatIT.this.runs.add(task.taskId());
			}
		}

	}

}
