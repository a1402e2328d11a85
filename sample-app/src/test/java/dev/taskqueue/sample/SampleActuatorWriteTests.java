package dev.taskqueue.sample;

import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code taskqueue} endpoint's writes over HTTP, once {@code management.endpoint.taskqueue.access=unrestricted}
 * allows them: pausing and resuming a queue, purging it, revoking a task, dropping dead letters, and a 404 that says
 * why for a queue the application does not consume.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "management.endpoint.taskqueue.access=unrestricted")
@SuppressWarnings("unchecked")
class SampleActuatorWriteTests extends ActuatorHttpSupport {

	@Test
	void aQueueIsPausedPurgedAndResumed() throws Exception {
		HttpResponse<String> paused = send("POST", "/actuator/taskqueue/queues/celery/pause", null);
		assertThat(paused.statusCode()).isEqualTo(200);
		assertThat(read(paused)).containsEntry("queue", "celery").containsEntry("paused", true);
		assertThat(celery()).containsEntry("consumed", false);
		HttpResponse<String> purged = send("POST", "/actuator/taskqueue/queues/celery/purge", null);
		assertThat(read(purged)).containsEntry("purged", 0);
		HttpResponse<String> resumed = send("POST", "/actuator/taskqueue/queues/celery/resume", null);
		assertThat(read(resumed)).containsEntry("paused", false);
		assertThat(celery()).containsEntry("consumed", true);
	}

	@Test
	void aTaskIsRevokedWithOrWithoutTerminate() throws Exception {
		HttpResponse<String> revoked = send("POST", "/actuator/taskqueue/revoked/task-to-revoke",
				"{\"terminate\": true}");
		assertThat(revoked.statusCode()).isEqualTo(200);
		assertThat(read(revoked)).containsEntry("revoked", "task-to-revoke").containsEntry("terminate", true);
		assertThat(read(send("POST", "/actuator/taskqueue/revoked/another-task", null)))
			.containsEntry("terminate", false);
	}

	@Test
	void deadLettersAreDroppedAndRedriven() throws Exception {
		HttpResponse<String> purged = send("DELETE", "/actuator/taskqueue/deadletters/celery", null);
		assertThat(purged.statusCode()).isEqualTo(200);
		assertThat(read(purged)).containsEntry("purged", 0);
		assertThat(read(send("POST", "/actuator/taskqueue/deadletters/celery/redrive", null)))
			.containsEntry("redriven", 0);
		HttpResponse<String> missing = send("DELETE", "/actuator/taskqueue/deadletters/celery?id=no-such-letter",
				null);
		assertThat(missing.statusCode()).isEqualTo(404);
		assertThat(read(missing).get("error").toString()).contains("no-such-letter");
	}

	@Test
	void aQueueTheApplicationDoesNotConsumeIsNotFoundAndSaysWhy() throws Exception {
		HttpResponse<String> response = send("POST", "/actuator/taskqueue/queues/nowhere/pause", null);
		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(read(response)).containsEntry("status", 404);
		assertThat(read(response).get("error").toString()).contains("'nowhere'").contains("[celery]");
		assertThat(send("POST", "/actuator/taskqueue/queues/celery/explode", null).statusCode()).isEqualTo(404);
	}

	private Map<String, Object> celery() throws Exception {
		return read(get("/actuator/taskqueue/queues/celery"));
	}

}
