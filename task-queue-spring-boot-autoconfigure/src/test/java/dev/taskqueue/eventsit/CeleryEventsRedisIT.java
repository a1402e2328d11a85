package dev.taskqueue.eventsit;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.taskqueue.redis.OwnRedisServer;

/**
 * Celery's events on Redis, with real Celery 5.2.6 ({@code src/test/python/events_celery.py}) on a redis-server of
 * the test's own: Celery's {@code EventReceiver} (what {@code celery events} and Flower use) sees our worker come
 * online, beat, run tasks and go offline; our {@link dev.taskqueue.events.EventReceiver} sees a Celery worker's ({@code -E}).
 */
class CeleryEventsRedisIT {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static OwnRedisServer server;

	@BeforeAll
	static void startRedis() {
		server = OwnRedisServer.start();
	}

	@AfterAll
	static void stopRedis() {
		server.close();
	}

	private static String broker() {
		return "redis://127.0.0.1:" + server.port() + "/0";
	}

	@Test
	void celerysEventReceiverSeesOurWorkerComeBeatRunTasksAndGo() {
		CeleryEventsInterop.celerysReceiverSeesOurWorkerComeBeatRunTasksAndGo(broker(), (property) -> java(property),
				WAIT);
	}

	@Test
	void ourEventReceiverSeesACeleryWorkerAndItsTasks() {
		CeleryEventsInterop.ourReceiverSeesACeleryWorkerAndItsTasks(broker(), (property) -> java(property), WAIT);
	}

	private static ConfigurableApplicationContext java(String... properties) {
		return new SpringApplicationBuilder(EventsApplication.class).web(WebApplicationType.NONE)
			.properties("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + server.port(),
					"taskqueue.broker=redis", "taskqueue.result-backend=redis", "taskqueue.default-queue=events-java",
					"taskqueue.worker.name=java@events", "taskqueue.worker.concurrency=2",
					"taskqueue.worker.shutdown-timeout=5s")
			.properties(properties)
			.run();
	}

}
