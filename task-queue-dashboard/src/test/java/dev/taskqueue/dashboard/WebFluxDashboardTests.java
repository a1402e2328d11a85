package dev.taskqueue.dashboard;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

import dev.taskqueue.TaskState;
import dev.taskqueue.broker.DeadLetter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same pages and actions served by WebFlux: what a page draws does not depend on the web stack, and an action's
 * form is read from the request's body before the action runs (off the event loop).
 */
class WebFluxDashboardTests {

	private final ClusterFixture cluster = new ClusterFixture();

	private final WebTestClient client = this.cluster.webFlux(false);

	@Test
	void theWorkersAndTheTasksPagesAreServedAsHtml() {
		this.cluster.workerOnline("celery@py1");
		this.cluster.task("task-received", "t-1", "celery@py1", "name", "sample.add", "args", "(1, 2)");
		assertThat(page("/taskqueue")).contains("<tr data-worker=\"celery@py1\">");
		assertThat(page("/taskqueue/tasks")).contains("<tr data-task-id=\"t-1\" data-state=\"RECEIVED\">");
		assertThat(page("/taskqueue/tasks?state=FAILURE")).doesNotContain("data-task-id=\"t-1\"");
	}

	@Test
	void aFailedTasksDetailShowsItsTraceback() {
		this.cluster.task("task-failed", "t-fail", "celery@py1", "name", "sample.fail", "exception",
				"ValueError('boom')", "traceback", "Traceback (most recent call last):\nValueError: boom");
		assertThat(page("/taskqueue/tasks/t-fail")).contains(
				"<dd id=\"task-state\" data-state=\"FAILURE\">FAILURE</dd>",
				"<pre id=\"task-traceback\">Traceback (most recent call last):\nValueError: boom</pre>");
	}

	@Test
	void anUnknownTaskIsANotFoundPageAndASearchByIdLeadsToTheTask() {
		this.cluster.task("task-received", "t-1", "celery@py1", "name", "sample.add");
		this.client.get().uri("/taskqueue/tasks/nowhere").exchange()
			.expectStatus().isNotFound()
			.expectBody(String.class).value((html) -> assertThat(html).contains("<p id=\"error\">"));
		this.client.get().uri("/taskqueue/tasks?id=t-1").exchange()
			.expectStatus().isEqualTo(HttpStatus.SEE_OTHER)
			.expectHeader().valueEquals("Location", "/taskqueue/tasks/t-1");
	}

	@Test
	void aTaskIsRevokedAndTerminatedWithTheFieldsOfItsForm() {
		this.cluster.task("task-started", "t-run", "celery@py1", "name", "sample.sleep");
		this.client.post().uri("/taskqueue/tasks/t-run/revoke")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.body(BodyInserters.fromFormData("terminate", "true"))
			.exchange()
			.expectStatus().isEqualTo(HttpStatus.SEE_OTHER)
			.expectHeader().valueEquals("Location", "/taskqueue/tasks/t-run?flash=Revoked%20t-run%20%28terminate%29");
		assertThat(this.cluster.revocations.isRevoked("t-run")).isTrue();
		assertThat(this.cluster.results.fetch("t-run").state()).isEqualTo(TaskState.REVOKED);
		String page = this.client.get().uri("/taskqueue/tasks/t-run?flash={flash}", "Revoked t-run (terminate)")
			.exchange()
			.expectBody(String.class).returnResult().getResponseBody();
		assertThat(page).contains("<p id=\"flash\" role=\"status\">Revoked t-run (terminate)</p>");
	}

	@Test
	void aDeadLetterIsRedrivenByTheIdInItsForm() throws InterruptedException {
		DeadLetter first = this.cluster.deadLetter("celery", "sample.add", "t-1", "unknown task");
		this.cluster.deadLetter("celery", "sample.add", "t-2", "unknown task");
		this.client.post().uri("/taskqueue/queues/celery/redrive")
			.body(BodyInserters.fromFormData("id", first.id()))
			.exchange()
			.expectStatus().isEqualTo(HttpStatus.SEE_OTHER);
		assertThat(this.cluster.broker.queueDepth("celery")).isEqualTo(1);
		assertThat(this.cluster.broker.listDeadLetters("celery", 10)).extracting(DeadLetter::id)
			.doesNotContain(first.id())
			.hasSize(1);
	}

	@Test
	void anActionWithoutItsFieldIsABadRequestAndOnAnUnknownWorkerNotFound() {
		this.cluster.workerOnline("celery@py1");
		this.client.post().uri("/taskqueue/workers/celery@py1/add-consumer").exchange()
			.expectStatus().isBadRequest();
		this.client.post().uri("/taskqueue/workers/nobody@nowhere/shutdown").exchange()
			.expectStatus().isNotFound();
	}

	@Test
	void readOnlyRefusesEveryPostWith403AndChangesNothing() throws InterruptedException {
		DeadLetter letter = this.cluster.deadLetter("celery", "sample.add", "t-dead", "unknown task");
		WebTestClient readOnly = this.cluster.webFlux(true);
		for (String path : new String[] { "/taskqueue/tasks/t-1/revoke", "/taskqueue/queues/celery/purge",
				"/taskqueue/queues/celery/redrive" }) {
			readOnly.post().uri(path).exchange().expectStatus().isForbidden();
		}
		assertThat(this.cluster.revocations.isRevoked("t-1")).isFalse();
		assertThat(this.cluster.broker.listDeadLetters("celery", 10)).extracting(DeadLetter::id)
			.containsExactly(letter.id());
	}

	@Test
	void theScriptTheStyleSheetAndTheChartAreServedUnderThePath() {
		this.client.get().uri("/taskqueue/assets/dashboard.js").exchange()
			.expectStatus().isOk()
			.expectBody(String.class).value((script) -> assertThat(script).contains("new EventSource("));
		this.client.get().uri("/taskqueue/assets/dashboard.css").exchange().expectStatus().isOk();
		this.client.get().uri("/taskqueue/throughput.svg").exchange()
			.expectStatus().isOk()
			.expectHeader().contentType("image/svg+xml")
			.expectHeader().valueEquals("Cache-Control", "no-store");
	}

	private String page(String path) {
		return this.client.get().uri(path).exchange()
			.expectStatus().isOk()
			.expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
			.expectBody(String.class).returnResult().getResponseBody();
	}

}
