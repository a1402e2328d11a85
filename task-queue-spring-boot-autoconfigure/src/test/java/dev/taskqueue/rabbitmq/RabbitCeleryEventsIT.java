package dev.taskqueue.rabbitmq;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.taskqueue.eventsit.CeleryEventsInterop;
import dev.taskqueue.eventsit.EventsApplication;

/**
 * Celery's events on RabbitMQ, with real Celery 5.2.6 ({@code src/test/python/events_celery.py}) in a virtual
 * host of the test's own: Celery's {@code EventReceiver} sees our worker come online, beat, run tasks and go
 * offline; our {@link dev.taskqueue.events.EventReceiver} sees a Celery worker's ({@code -E}).
 */
class RabbitCeleryEventsIT {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static RabbitVhost vhost;

	@BeforeAll
	static void createVhost() {
		vhost = RabbitVhost.create("taskqueue-it-rabbit-celery-events");
	}

	@AfterAll
	static void deleteVhost() {
		vhost.delete();
	}

	private static String broker() {
		return "amqp://guest:guest@127.0.0.1:5672/" + vhost.name();
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
			.properties("spring.rabbitmq.host=127.0.0.1", "spring.rabbitmq.port=5672", "spring.rabbitmq.username=guest",
					"spring.rabbitmq.password=guest", "spring.rabbitmq.virtual-host=" + vhost.name(),
					"taskqueue.broker=rabbitmq", "taskqueue.result-backend=rpc", "taskqueue.default-queue=events-java",
					"taskqueue.worker.name=java@events", "taskqueue.worker.concurrency=2",
					"taskqueue.worker.shutdown-timeout=5s")
			.properties(properties)
			.run();
	}

}
