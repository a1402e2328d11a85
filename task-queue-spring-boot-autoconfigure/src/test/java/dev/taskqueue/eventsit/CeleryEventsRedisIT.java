package dev.taskqueue.eventsit;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.taskqueue.SendOptions;
import dev.taskqueue.TaskClient;
import dev.taskqueue.events.CeleryEvent;
import dev.taskqueue.events.EventReceiver;
import dev.taskqueue.redis.OwnRedisServer;

/**
 * Celery's events on Redis, with real Celery 5.2.6 ({@code src/test/python/events_celery.py}) on a redis-server of
 * the test's own: Celery's {@code EventReceiver} (what {@code celery events} and Flower use) sees our worker come
 * online, beat, run tasks and go offline; our {@link EventReceiver} sees a Celery worker's ({@code -E}).
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
		try (CeleryEventsPeer celery = CeleryEventsPeer.receiver(broker(), WAIT)) {
			ConfigurableApplicationContext java = java("taskqueue.events.enabled=true");
			TaskClient client = java.getBean(TaskClient.class);
			String added = client.send("events.java.add", 2, 3).id();
			String failed = client.send("events.java.fail", "boom").id();

			CeleryEventsInterop.seesOurWorkerAndItsTasks(celery, java, added, failed, WAIT);
		}
	}

	@Test
	void ourEventReceiverSeesACeleryWorkerAndItsTasks() {
		List<CeleryEvent> received = new CopyOnWriteArrayList<>();
		try (ConfigurableApplicationContext java = java("taskqueue.worker.enabled=false")) {
			java.getBean(EventReceiver.class).subscribe(received::add);
			try (CeleryEventsPeer celery = CeleryEventsPeer.worker(broker(), "py@events")) {
				TaskClient toCelery = java.getBean(TaskClient.class)
					.withOptions(SendOptions.defaults().withQueue("events-py"));
				String added = toCelery.send("events.py.add", List.of(2, 3), Map.of()).id();

				CeleryEventsInterop.seesCelerysWorkerAndItsTasks(celery, received, added, WAIT);
			}
		}
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
