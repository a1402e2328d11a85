package dev.taskqueue.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.taskqueue.TaskClient;
import dev.taskqueue.TaskState;
import dev.taskqueue.redis.OwnRedisServer;
import dev.taskqueue.result.ResultBackend;
import dev.taskqueue.result.TaskResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A worker whose Redis (broker and results) restarts mid-drain, again and again, goes on consuming within
 * seconds of each restart and loses nothing. A result store that fails when Redis goes away completes on
 * Lettuce's event-loop thread; were the delivery settled there (a synchronous requeue), that thread would wait
 * out the command timeout while the connections it serves could not reconnect.
 */
class RedisRestartIT {

	private static final Logger logger = LoggerFactory.getLogger(RedisRestartIT.class);

	private static final int RESTARTS = 10;

	private static final int TASKS_PER_RESTART = 500;

	private static final Duration RESUMPTION = Duration.ofSeconds(10);

	private OwnRedisServer server;

	private ConfigurableApplicationContext context;

	/** A connection of the test's own (its own Lettuce client and event loop) to watch the worker by. */
	private LettuceConnectionFactory observer;

	@BeforeEach
	void start() {
		this.server = OwnRedisServer.start();
		this.context = new SpringApplicationBuilder(RedisWorkerApplication.class).web(WebApplicationType.NONE)
			.properties("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + this.server.port(),
					"taskqueue.broker=redis", "taskqueue.result-backend=redis", "taskqueue.default-queue=it-restart",
					"taskqueue.worker.name=restart", "taskqueue.worker.concurrency=4",
					"taskqueue.worker.acks-late=true", "taskqueue.redis.visibility-timeout=5s",
					"taskqueue.redis.claim-refresh=1s")
			.run();
		this.observer = this.server.connectionFactory();
	}

	@AfterEach
	void stop() {
		if (this.context != null) {
			this.context.close();
		}
		if (this.observer != null) {
			this.observer.destroy();
		}
		this.server.close();
	}

	@Test
	void consumptionResumesWithinSecondsOfEveryRestartAndNothingIsLost() {
		TaskClient tasks = this.context.getBean(TaskClient.class);
		StringRedisTemplate redis = new StringRedisTemplate(this.observer);
		List<String> ids = new ArrayList<>();
		List<Long> resumptions = new ArrayList<>();
		for (int restart = 1; restart <= RESTARTS; restart++) {
			long before = results(redis);
			for (int i = 0; i < TASKS_PER_RESTART; i++) {
				ids.add(tasks.send("it.add", List.of(restart, i), Map.of()).id());
			}
			// mid-drain: some of this round's tasks done, most still waiting or running
			await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5))
				.until(() -> results(redis) >= before + 20);
			if (restart % 2 == 0) {
				this.server.kill();
			}
			else {
				this.server.shutdown();
			}
			this.server.startAgain();
			long back = System.nanoTime();
			long atRestart = await().atMost(Duration.ofSeconds(30)).until(() -> results(redis), (count) -> count >= 0);
			await().atMost(RESUMPTION.plusSeconds(20)).pollInterval(Duration.ofMillis(20))
				.until(() -> results(redis) > atRestart || results(redis) >= ids.size());
			long millis = (System.nanoTime() - back) / 1_000_000;
			resumptions.add(millis);
			logger.info("Restart {} ({}): consumption resumed {} ms after Redis was back", restart,
					(restart % 2 == 0) ? "SIGKILL" : "SHUTDOWN NOSAVE", millis);
		}
		logger.info("Resumption after each restart (ms): {}", resumptions);
		assertThat(resumptions).allSatisfy((millis) -> assertThat(millis).isLessThan(RESUMPTION.toMillis()));

		ResultBackend backend = this.context.getBean(ResultBackend.class);
		await().atMost(Duration.ofSeconds(60)).until(() -> results(redis) >= ids.size());
		for (String id : ids) {
			TaskResult result = backend.fetch(id);
			assertThat(result).as("result of %s", id).isNotNull();
			assertThat(result.state()).as("state of %s", id).isEqualTo(TaskState.SUCCESS);
		}
	}

	/** How many results Redis holds (one key per task that completed), or -1 while it cannot be reached. */
	private static long results(StringRedisTemplate redis) {
		try {
			return redis.keys("celery-task-meta-*").size();
		}
		catch (RuntimeException ex) {
			return -1;
		}
	}

}
