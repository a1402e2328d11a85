package dev.taskqueue.dashboard;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;

import dev.taskqueue.TaskState;
import dev.taskqueue.broker.DeadLetter;
import dev.taskqueue.protocol.Envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The actions, against the in-memory broker: each a POST answered by a redirect to its page with a one-line
 * message; refused with 403 in read-only mode, where no POST changes anything.
 */
class DashboardActionsTests {

	private final ClusterFixture cluster = new ClusterFixture();

	private final MockMvc mvc = this.cluster.mvc(false);

	@Test
	void readOnlyRefusesEveryPostWith403AndChangesNothing() throws Exception {
		DeadLetter letter = this.cluster.deadLetter("celery", "sample.add", "t-dead", "unknown task");
		MockMvc readOnly = this.cluster.mvc(true);
		for (String path : new String[] { "/taskqueue/tasks/t-1/revoke", "/taskqueue/queues/celery/purge",
				"/taskqueue/queues/celery/redrive", "/taskqueue/queues/celery/purge-dead-letters",
				"/taskqueue/workers/celery@py1/shutdown" }) {
			readOnly.perform(post(path)).andExpect(status().isForbidden());
		}
		assertThat(this.cluster.revocations.isRevoked("t-1")).isFalse();
		assertThat(this.cluster.broker.listDeadLetters("celery", 10)).extracting(DeadLetter::id)
			.containsExactly(letter.id());
	}

	@Test
	void aReadOnlyDashboardAtTheRootRefusesItsActionsButNoOtherPostOfTheApplication() throws Exception {
		TaskQueueDashboard atRoot = TaskQueueDashboard
			.builder(this.cluster.state, this.cluster.control, this.cluster.broker, this.cluster.queues)
			.path("/")
			.build();
		MockMvc application = MockMvcBuilders
			.routerFunctions(WebMvcDashboardRoutes.routes(atRoot), RouterFunctions.route()
				.POST("/api/orders", (request) -> ServerResponse.ok().body("ordered"))
				.build())
			.build();
		application.perform(post("/queues/celery/purge")).andExpect(status().isForbidden());
		application.perform(post("/api/orders"))
			.andExpect(status().isOk())
			.andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.content().string("ordered"));
	}

	@Test
	void aTaskIsRevokedAndTerminatedFromItsPage() throws Exception {
		this.cluster.task("task-received", "t-run", "celery@py1", "name", "sample.sleep");
		this.cluster.task("task-started", "t-run", "celery@py1");
		this.mvc.perform(post("/taskqueue/tasks/t-run/revoke").param("terminate", "true"))
			.andExpect(status().isSeeOther())
			.andExpect(header().string("Location", "/taskqueue/tasks/t-run?flash=Revoked%20t-run%20%28terminate%29"));
		assertThat(this.cluster.revocations.isRevoked("t-run")).isTrue();
		assertThat(this.cluster.results.fetch("t-run").state()).isEqualTo(TaskState.REVOKED);
		String page = this.mvc.perform(get("/taskqueue/tasks/t-run").param("flash", "Revoked t-run (terminate)"))
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(page).contains("<p id=\"flash\" role=\"status\">Revoked t-run (terminate)</p>")
			.contains("<form id=\"revoke\" class=\"action\" method=\"post\" action=\"/taskqueue/tasks/t-run/revoke\" "
					+ "data-confirm=\"Revoke task t-run?\">")
			.contains("<input type=\"checkbox\" name=\"terminate\" value=\"true\">")
			.contains("<form id=\"rate-limit\" class=\"action\"", "name=\"rate\"");
	}

	@Test
	void deadLettersAreRedrivenOneByOneOrAllAndDropped() throws Exception {
		DeadLetter first = this.cluster.deadLetter("celery", "sample.add", "t-1", "unknown task");
		this.cluster.deadLetter("celery", "sample.add", "t-2", "unknown task");
		this.cluster.deadLetter("celery", "sample.add", "t-3", "unknown task");
		String page = this.mvc.perform(get("/taskqueue/queues/celery")).andReturn().getResponse().getContentAsString();
		assertThat(page).contains("<form id=\"redrive-all\" class=\"action\"", "<form class=\"action redrive\"",
				"<form id=\"purge-dead-letters\" class=\"action\"");

		this.mvc.perform(post("/taskqueue/queues/celery/redrive").param("id", first.id()))
			.andExpect(status().isSeeOther())
			.andExpect(header().string("Location",
					org.hamcrest.Matchers.startsWith("/taskqueue/queues/celery?flash=Redrove%20dead%20letter")));
		assertThat(this.cluster.broker.queueDepth("celery")).isEqualTo(1);
		assertThat(this.cluster.broker.listDeadLetters("celery", 10)).hasSize(2);

		this.mvc.perform(post("/taskqueue/queues/celery/redrive"))
			.andExpect(header().string("Location", "/taskqueue/queues/celery?flash=Redrove%202%20dead%20letter%28s%29%20to%20celery"));
		assertThat(this.cluster.broker.queueDepth("celery")).isEqualTo(3);

		// the fixture's worker takes the first message of the queue: the redriven ones go first
		this.cluster.broker.purge("celery");
		this.cluster.deadLetter("celery", "sample.add", "t-4", "unknown task");
		this.mvc.perform(post("/taskqueue/queues/celery/purge-dead-letters"))
			.andExpect(header().string("Location", "/taskqueue/queues/celery?flash=Dropped%201%20dead%20letter%28s%29%20of%20celery"));
		assertThat(this.cluster.broker.listDeadLetters("celery", 10)).isEmpty();

		this.mvc.perform(post("/taskqueue/queues/celery/redrive").param("id", "no-such-letter"))
			.andExpect(status().isNotFound());
	}

	@Test
	void aQueueIsPurged() throws Exception {
		for (int i = 0; i < 3; i++) {
			this.cluster.broker.publish("celery", new Envelope("[]".getBytes(StandardCharsets.UTF_8),
					"application/json", "utf-8", java.util.Map.of(), "t-" + i, null, 0, null));
		}
		assertThat(this.mvc.perform(get("/taskqueue/queues")).andReturn().getResponse().getContentAsString())
			.contains("<form class=\"action purge\" method=\"post\" action=\"/taskqueue/queues/celery/purge\"");
		this.mvc.perform(post("/taskqueue/queues/celery/purge"))
			.andExpect(status().isSeeOther())
			.andExpect(header().string("Location", "/taskqueue/queues?flash=Purged%203%20message%28s%29%20from%20celery"));
		assertThat(this.cluster.broker.queueDepth("celery")).isZero();
		this.mvc.perform(post("/taskqueue/queues/nowhere/purge")).andExpect(status().isNotFound());
	}

	@Test
	void aWorkersActionsAreRenderedAndAnActionWithoutItsFieldIsABadRequest() throws Exception {
		this.cluster.workerOnline("celery@py1");
		String page = this.mvc.perform(get("/taskqueue/workers/celery@py1"))
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(page).contains("<form id=\"shutdown\" class=\"action\"", "<form id=\"add-consumer\" class=\"action\"",
				"<form id=\"pool-grow\" class=\"action\"", "<form id=\"pool-shrink\" class=\"action\"");
		this.mvc.perform(post("/taskqueue/workers/celery@py1/add-consumer")).andExpect(status().isBadRequest());
		this.mvc.perform(post("/taskqueue/workers/nobody@nowhere/shutdown")).andExpect(status().isNotFound());
	}

	@Test
	void remoteControlThatTheApplicationLacksIsAnErrorPageNotAStackTrace() throws Exception {
		this.cluster.workerOnline("celery@py1");
		// this fixture's TaskControl has no pidbox transport: it can revoke, nothing more
		String page = this.mvc.perform(post("/taskqueue/workers/celery@py1/pool-grow"))
			.andExpect(status().isServiceUnavailable())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(page).contains("<p id=\"error\">").doesNotContain("at dev.taskqueue");
	}

}
