package dev.taskqueue.actuate;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.taskqueue.AsyncResult;
import dev.taskqueue.TaskClient;
import dev.taskqueue.actuate.endpoint.TaskQueueEndpoint;
import dev.taskqueue.actuate.endpoint.TaskQueueReport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What an operator reads and does through the {@code taskqueue} endpoint on a real broker: a paused queue's depth
 * grows and is purged, dead letters are counted, listed, redriven and purged, revocations are listed. Each broker's
 * IT gives it a server of the test's own.
 */
public abstract class EndpointSemantics {

	/** The application's default queue, consumed by its worker. */
	protected static final String QUEUE = "actuate";

	private static final Duration WAIT = Duration.ofSeconds(20);

	private ConfigurableApplicationContext context;

	private TaskQueueEndpoint endpoint;

	private TaskClient client;

	/**
	 * The broker's and result backend's properties, on a server of the test's own.
	 * @return the properties
	 */
	protected abstract String[] brokerProperties();

	/** Create the server of the test's own, before the application starts. */
	protected abstract void createBroker();

	/** Remove the server of the test's own, once the application is closed. */
	protected abstract void removeBroker();

	@BeforeEach
	final void start() {
		createBroker();
		this.context = new SpringApplicationBuilder(ActuatorApplication.class).web(WebApplicationType.NONE)
			.properties(brokerProperties())
			.properties("taskqueue.default-queue=" + QUEUE, "taskqueue.worker.name=ops",
					"taskqueue.worker.concurrency=2", "taskqueue.worker.shutdown-timeout=2s",
					"management.endpoints.web.exposure.include=taskqueue")
			.run();
		this.endpoint = this.context.getBean(TaskQueueEndpoint.class);
		this.client = this.context.getBean(TaskClient.class);
	}

	@AfterEach
	final void close() {
		try {
			this.context.close();
		}
		finally {
			removeBroker();
		}
	}

	@Test
	void aPausedQueuesDepthGrowsUntilItIsPurgedAndItsTasksRunOnceResumed() {
		assertThat(this.endpoint.act("queues", QUEUE, "pause", null)).containsEntry("paused", true);
		await().atMost(WAIT).until(() -> queue().consumed(), (consumed) -> !consumed);
		for (int i = 0; i < 3; i++) {
			this.client.send("actuate.add", 1, i);
		}
		await().atMost(WAIT).until(() -> queue().depth(), (depth) -> Objects.equals(depth, 3L));
		assertThat(this.endpoint.act("queues", QUEUE, "purge", null)).containsEntry("purged", 3);
		assertThat(queue().depth()).isZero();
		AsyncResult<Object> later = this.client.send("actuate.add", 2, 3);
		await().atMost(WAIT).until(() -> queue().depth(), (depth) -> Objects.equals(depth, 1L));
		assertThat(this.endpoint.act("queues", QUEUE, "resume", null)).containsEntry("paused", false);
		assertThat(later.get(WAIT)).isEqualTo(5);
		await().atMost(WAIT).until(() -> queue().consumed());
		assertThat(this.endpoint.report().workers().get(0).paused()).isEmpty();
	}

	@Test
	void deadLettersAreCountedListedRedrivenAndPurged() {
		String id = this.client.send("no.such.task").id();
		await().atMost(WAIT).until(() -> queue().deadLetters(), (count) -> Objects.equals(count, 1L));
		assertThat(this.endpoint.section("deadletters")).isEqualTo(Map.of("deadLetters", Map.of(QUEUE, 1L)));
		TaskQueueReport.Letters letters = (TaskQueueReport.Letters) this.endpoint.item("deadletters", QUEUE, null);
		assertThat(letters.count()).isEqualTo(1);
		TaskQueueReport.Letter letter = letters.letters().get(0);
		assertThat(letter.taskId()).isEqualTo(id);
		assertThat(letter.task()).isEqualTo("no.such.task");
		assertThat(letter.reason()).contains("unregistered task");
		assertThat(this.endpoint.act("deadletters", QUEUE, "redrive", letter.id())).containsEntry("redriven", 1);
		// still no such task: it is dead-lettered again
		String again = await().atMost(WAIT)
			.until(() -> ((TaskQueueReport.Letters) this.endpoint.item("deadletters", QUEUE, null)).letters()
				.stream()
				.map(TaskQueueReport.Letter::id)
				.findFirst()
				.orElse(null), Objects::nonNull);
		assertThat(this.endpoint.delete("deadletters", QUEUE, again)).containsEntry("purged", 1);
		assertThat(queue().deadLetters()).isZero();
		this.client.send("no.such.task");
		this.client.send("no.such.task");
		await().atMost(WAIT).until(() -> queue().deadLetters(), (count) -> Objects.equals(count, 2L));
		// redriven into a paused queue, they wait there, unchanged, until it is consumed again
		this.endpoint.act("queues", QUEUE, "pause", null);
		assertThat(this.endpoint.act("deadletters", QUEUE, "redrive", null)).containsEntry("redriven", 2);
		assertThat(queue().deadLetters()).isZero();
		await().atMost(WAIT).until(() -> queue().depth(), (depth) -> Objects.equals(depth, 2L));
		this.endpoint.act("queues", QUEUE, "resume", null);
		await().atMost(WAIT).until(() -> queue().deadLetters(), (count) -> Objects.equals(count, 2L));
		assertThat(this.endpoint.delete("deadletters", QUEUE, null)).containsEntry("purged", 2);
		assertThat(this.endpoint.section("deadletters")).isEqualTo(Map.of("deadLetters", Map.of()));
	}

	@Test
	void aRevokedTaskIsListed() {
		this.endpoint.revoke("revoked", "revoked-by-the-endpoint", null);
		await().atMost(WAIT).until(() -> this.endpoint.report().revoked(),
				(revoked) -> revoked != null && revoked.contains("revoked-by-the-endpoint"));
	}

	@Test
	void theReportShowsTheWorkerAndTheDefaultQueue() {
		TaskQueueReport report = this.endpoint.report();
		assertThat(report.errors()).isEmpty();
		assertThat(report.workers()).singleElement().satisfies((worker) -> {
			assertThat(worker.name()).isEqualTo("ops");
			assertThat(worker.queues()).containsExactly(QUEUE);
		});
		await().atMost(WAIT).until(() -> queue().consumed());
		assertThat(queue().depth()).isZero();
	}

	private TaskQueueReport.Queue queue() {
		return (TaskQueueReport.Queue) this.endpoint.item("queues", QUEUE, null);
	}

}
