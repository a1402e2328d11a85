package dev.taskqueue.actuate;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.actuate.endpoint.CompositeHealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.IndicatedHealthDescriptor;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;

import dev.taskqueue.TaskClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code taskQueue} health of an application on a real broker that goes away and comes back: UP with the
 * broker's, the result backend's and the workers' details; DOWN within seconds of the outage, the application not
 * ready but alive; UP and ready again on its own once the broker is back, and consuming, without a restart. Each
 * broker's IT says how its broker goes away.
 */
public abstract class HealthOutageSemantics {

	/** The promise: DOWN within 10 seconds. */
	protected static final Duration OUTAGE_SEEN = Duration.ofSeconds(10);

	private static final Duration RECOVERY = Duration.ofSeconds(60);

	private ConfigurableApplicationContext context;

	/**
	 * The broker's and result backend's properties, on a server of the test's own.
	 * @return the properties
	 */
	protected abstract String[] brokerProperties();

	/** Take the broker away as an outage would. */
	protected abstract void takeBrokerAway();

	/** Bring the broker back. */
	protected abstract void bringBrokerBack();

	/**
	 * What the broker's details say when it is up (its address, its version).
	 * @param details the {@code broker} entry's details
	 */
	protected abstract void assertBrokerDetails(Map<String, Object> details);

	/** Remove the server of the test's own, once the application is closed. */
	protected abstract void removeBroker();

	@AfterEach
	final void close() {
		try {
			if (this.context != null) {
				this.context.close();
			}
		}
		finally {
			removeBroker();
		}
	}

	@Test
	void taskQueueIsDownWithinSecondsOfAnOutageAndUpAgainOnItsOwnWithoutARestart() {
		this.context = new SpringApplicationBuilder(ActuatorApplication.class).web(WebApplicationType.NONE)
			.properties(brokerProperties())
			.properties("taskqueue.worker.name=outage", "taskqueue.worker.concurrency=2",
					"taskqueue.worker.shutdown-timeout=2s", "management.endpoint.health.show-details=always",
					"management.endpoint.health.probes.enabled=true")
			.run();
		HealthEndpoint health = this.context.getBean(HealthEndpoint.class);
		await().atMost(RECOVERY).until(() -> status(health, "taskQueue"), Status.UP::equals);
		CompositeHealthDescriptor taskQueue = (CompositeHealthDescriptor) health.healthForPath("taskQueue");
		assertThat(taskQueue.getComponents()).containsOnlyKeys("broker", "resultBackend", "workers");
		assertBrokerDetails(details(health, "taskQueue", "broker"));
		assertThat(details(health, "taskQueue", "broker")).containsKey("consumers");
		assertThat(details(health, "taskQueue", "workers")).containsKey("outage");
		await().atMost(OUTAGE_SEEN).until(() -> status(health, "readiness"), Status.UP::equals);
		assertThat(status(health, "liveness")).isEqualTo(Status.UP);

		takeBrokerAway();
		await().atMost(OUTAGE_SEEN).until(() -> status(health, "taskQueue", "broker"), Status.DOWN::equals);
		assertThat(details(health, "taskQueue", "broker")).containsKey("error");
		assertThat(status(health, "taskQueue")).isEqualTo(Status.DOWN);
		await().atMost(OUTAGE_SEEN).until(() -> status(health, "taskQueue", "workers"), Status.DOWN::equals);
		// not ready, but alive: restarting the application would not bring its broker back
		await().atMost(OUTAGE_SEEN).until(() -> status(health, "readiness"), Status.OUT_OF_SERVICE::equals);
		assertThat(status(health, "liveness")).isEqualTo(Status.UP);

		bringBrokerBack();
		await().atMost(RECOVERY).until(() -> status(health, "taskQueue"), Status.UP::equals);
		await().atMost(OUTAGE_SEEN).until(() -> status(health, "readiness"), Status.UP::equals);
		assertThat(status(health, "liveness")).isEqualTo(Status.UP);
		assertThat(this.context.getBean(TaskClient.class).send("actuate.add", 2, 3).get(RECOVERY)).isEqualTo(5);
	}

	private static Status status(HealthEndpoint health, String... path) {
		HealthDescriptor descriptor = health.healthForPath(path);
		return (descriptor != null) ? descriptor.getStatus() : Status.UNKNOWN;
	}

	private static Map<String, Object> details(HealthEndpoint health, String... path) {
		return ((IndicatedHealthDescriptor) health.healthForPath(path)).getDetails();
	}

}
