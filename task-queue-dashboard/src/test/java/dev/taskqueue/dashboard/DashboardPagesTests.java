package dev.taskqueue.dashboard;

import org.junit.jupiter.api.Test;

import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The pages against the in-memory broker and a cluster state fed with Celery's events: the DOM the browser tests
 * and the script rely on (docs: the dashboard's page contract).
 */
class DashboardPagesTests {

	private final ClusterFixture cluster = new ClusterFixture();

	private final MockMvc mvc = this.cluster.mvc(true);

	@Test
	void theWorkersPageListsAWorkerHeardOf() throws Exception {
		this.cluster.workerOnline("celery@py1");
		String html = page("/taskqueue");
		assertThat(html).contains("<table id=\"workers\">")
			.contains("<tr data-worker=\"celery@py1\"><td class=\"name\"><a href=\"/taskqueue/workers/celery@py1\">"
					+ "celery@py1</a></td><td class=\"status\">online</td><td class=\"software\">py-celery 5.2.6</td>")
			.contains("<td class=\"active\">1</td><td class=\"processed\">7</td>")
			.contains("<td class=\"load\">0.50 0.25 0.13</td>")
			.contains("id=\"nav-workers\" href=\"/taskqueue\"", "id=\"nav-tasks\" href=\"/taskqueue/tasks\"",
					"id=\"nav-queues\" href=\"/taskqueue/queues\"", "id=\"nav-beat\" href=\"/taskqueue/beat\"");
	}

	@Test
	void theTasksPageListsTasksNewestFirstWithTheContractsCells() throws Exception {
		this.cluster.workerOnline("celery@py1");
		this.cluster.task("task-received", "t-old", "celery@py1", "name", "sample.add", "args", "(1, 2)");
		this.cluster.task("task-received", "t-new", "celery@py1", "name", "sample.mul", "args", "(3, 4)");
		this.cluster.task("task-started", "t-new", "celery@py1");
		this.cluster.task("task-succeeded", "t-new", "celery@py1", "result", "12", "runtime", 0.5);
		String html = page("/taskqueue/tasks");
		assertThat(html).contains("<table id=\"tasks\">")
			.contains("<tr data-task-id=\"t-new\" data-state=\"SUCCESS\"><td class=\"id\"><a href=\"/taskqueue/tasks/t-new\">"
					+ "t-new</a></td><td class=\"name\">sample.mul</td><td class=\"state\">SUCCESS</td>"
					+ "<td class=\"worker\">celery@py1</td><td class=\"received\">")
			.contains("<td class=\"runtime\">0.500 s</td>")
			.contains("<form id=\"filter\"", "<select name=\"state\">", "<input type=\"text\" name=\"name\"",
					"<input type=\"text\" name=\"worker\"", "<form id=\"search\"", "name=\"id\"");
		assertThat(html.indexOf("data-task-id=\"t-new\"")).isLessThan(html.indexOf("data-task-id=\"t-old\""));
	}

	@Test
	void theTasksPageFiltersByStateAndASearchByIdLeadsToTheTask() throws Exception {
		this.cluster.task("task-received", "t-1", "celery@py1", "name", "sample.add");
		this.cluster.task("task-failed", "t-2", "celery@py1", "name", "sample.fail", "exception", "ValueError()");
		assertThat(page("/taskqueue/tasks?state=FAILURE")).contains("data-task-id=\"t-2\"")
			.doesNotContain("data-task-id=\"t-1\"");
		this.mvc.perform(get("/taskqueue/tasks").param("id", "t-1"))
			.andExpect(status().isSeeOther())
			.andExpect(header().string("Location", "/taskqueue/tasks/t-1"));
		assertThat(page("/taskqueue/tasks?id=nowhere")).contains("<p id=\"flash\" role=\"status\">No task nowhere");
	}

	@Test
	void aFailedTasksDetailShowsItsTraceback() throws Exception {
		this.cluster.task("task-received", "t-parent", "celery@py1", "name", "sample.chain");
		this.cluster.task("task-received", "t-fail", "celery@py1", "name", "sample.fail", "args", "('boom',)",
				"kwargs", "{'x': 1}", "parent_id", "t-parent", "root_id", "t-parent");
		this.cluster.task("task-failed", "t-fail", "celery@py1", "exception", "ValueError('boom')", "traceback",
				"Traceback (most recent call last):\n  File \"tasks.py\", line 3, in fail\nValueError: boom");
		String html = page("/taskqueue/tasks/t-fail");
		assertThat(html).contains("<dd id=\"task-id\">t-fail</dd>", "<dd id=\"task-name\">sample.fail</dd>",
				"<dd id=\"task-state\" data-state=\"FAILURE\">FAILURE</dd>", "<dd id=\"task-args\">(&#39;boom&#39;,)</dd>",
				"<dd id=\"task-kwargs\">{&#39;x&#39;: 1}</dd>", "<dd id=\"task-exception\">ValueError(&#39;boom&#39;)</dd>",
				"<pre id=\"task-traceback\">Traceback (most recent call last):\n  File &quot;tasks.py&quot;, line 3, "
						+ "in fail\nValueError: boom</pre>",
				"<dd id=\"task-retries\">0</dd>", "<a class=\"parent\" href=\"/taskqueue/tasks/t-parent\">");
		assertThat(html).contains("id=\"task-worker\"><a href=\"/taskqueue/workers/celery@py1\">");
		assertThat(page("/taskqueue/tasks/t-parent")).contains("<a class=\"child\" href=\"/taskqueue/tasks/t-fail\">");
	}

	@Test
	void theQueuesPageShowsDepthDeadLettersAndTheThroughputChart() throws Exception {
		this.cluster.deadLetter("celery", "sample.add", "t-dead", "unknown task");
		String html = page("/taskqueue/queues");
		assertThat(html).contains("<table id=\"queues\">")
			.contains("<tr data-queue=\"celery\">", "<td class=\"depth\">0</td>", "<td class=\"consumers\">0</td>",
					"<td class=\"dead-letters\">1</td>")
			.contains("<svg id=\"throughput\"");
		assertThat(page("/taskqueue/queues/celery")).contains("<table id=\"dead-letters\">")
			.contains("<td class=\"reason\">unknown task</td>")
			.containsPattern("<tr data-letter-id=\"[^\"]+\"><td class=\"task\">sample.add ");
		this.mvc.perform(get("/taskqueue/throughput.svg"))
			.andExpect(status().isOk())
			.andExpect(content().string(org.hamcrest.Matchers.startsWith("<svg id=\"throughput\"")));
	}

	@Test
	void thePathWithATrailingSlashLeadsToTheWorkers() throws Exception {
		this.mvc.perform(get("/taskqueue/"))
			.andExpect(status().isSeeOther())
			.andExpect(header().string("Location", "/taskqueue"));
	}

	@Test
	void theBeatPageSaysWhenTheApplicationRunsNoBeat() throws Exception {
		assertThat(page("/taskqueue/beat")).contains("id=\"no-beat\"");
	}

	@Test
	void aWorkerThatDoesNotAnswerRemoteControlShowsNoReply() throws Exception {
		this.cluster.workerOnline("celery@py1");
		assertThat(page("/taskqueue/workers/celery@py1")).contains("<dd id=\"worker-name\">celery@py1</dd>")
			.contains("id=\"no-reply\"", "<table id=\"active\">", "<table id=\"reserved\">",
					"<table id=\"scheduled\">", "<ul id=\"registered\">");
	}

	@Test
	void unknownTasksWorkersAndQueuesAreNotFoundPages() throws Exception {
		for (String path : new String[] { "/taskqueue/tasks/nowhere", "/taskqueue/workers/nobody@nowhere",
				"/taskqueue/queues/nowhere" }) {
			this.mvc.perform(get(path))
				.andExpect(status().isNotFound())
				.andExpect(content().contentTypeCompatibleWith("text/html"))
				.andExpect(content().string(org.hamcrest.Matchers.containsString("<p id=\"error\">No ")))
				.andExpect(content().string(org.hamcrest.Matchers.not(
						org.hamcrest.Matchers.containsString("Exception"))));
		}
	}

	@Test
	void aBrokerThatCannotBeReachedIsSaidOnTheQueuesPage() throws Exception {
		ClusterFixture down = new ClusterFixture();
		MockMvc mvc = org.springframework.test.web.servlet.setup.MockMvcBuilders
			.routerFunctions(WebMvcDashboardRoutes.routes(TaskQueueDashboard
				.builder(down.state, down.control, new UnreachableBroker(),
						new dev.taskqueue.worker.QueueOverview(new UnreachableBroker(), null, down.registry, "celery"))
				.build()))
			.build();
		String html = mvc.perform(get("/taskqueue/queues"))
			.andExpect(status().isServiceUnavailable())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(html).contains("id=\"broker-error\"").contains("The broker cannot be reached: connection refused");
	}

	@Test
	void aQueuesPageChartsTheTasksOfThatQueueOnly() throws Exception {
		this.cluster.task("task-sent", "t-a1", "client@app", "name", "sample.add", "queue", "alpha");
		this.cluster.task("task-succeeded", "t-a1", "celery@py1", "result", "3", "runtime", 0.1);
		this.cluster.task("task-sent", "t-a2", "client@app", "name", "sample.fail", "queue", "alpha");
		this.cluster.task("task-failed", "t-a2", "celery@py1", "exception", "ValueError()");
		this.cluster.task("task-sent", "t-b1", "client@app", "name", "sample.add", "queue", "beta");
		this.cluster.task("task-succeeded", "t-b1", "celery@py1", "result", "3", "runtime", 0.1);

		assertThat(page("/taskqueue/queues/alpha"))
			.contains("<div id=\"throughput-chart\" data-src=\"/taskqueue/throughput.svg?queue=alpha\">")
			.contains("<svg id=\"throughput\"", "data-total=\"2\" data-queue=\"alpha\"");
		String beta = this.mvc.perform(get("/taskqueue/throughput.svg").param("queue", "beta"))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(beta).contains("data-total=\"1\" data-queue=\"beta\"", "<rect class=\"finished\"");
		assertThat(page("/taskqueue/queues")).contains("data-total=\"3\"");
	}

	@Test
	void underAContextPathTheLinksAndRedirectsStartWithIt() throws Exception {
		this.cluster.task("task-received", "t-1", "celery@py1", "name", "sample.add");
		String html = this.mvc.perform(get("/app/taskqueue/tasks").contextPath("/app"))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(html).contains("data-base=\"/app/taskqueue\"", "href=\"/app/taskqueue/assets/dashboard.css\"",
				"id=\"nav-queues\" href=\"/app/taskqueue/queues\"", "<a href=\"/app/taskqueue/tasks/t-1\">");
		this.mvc.perform(get("/app/taskqueue/tasks").contextPath("/app").param("id", "t-1"))
			.andExpect(status().isSeeOther())
			.andExpect(header().string("Location", "/app/taskqueue/tasks/t-1"));
	}

	@Test
	void theScriptAndTheStyleSheetAreServedUnderThePath() throws Exception {
		this.mvc.perform(get("/taskqueue/assets/dashboard.js"))
			.andExpect(status().isOk())
			.andExpect(content().string(org.hamcrest.Matchers.containsString("new EventSource(base + '/stream?since='")));
		this.mvc.perform(get("/taskqueue/assets/dashboard.css")).andExpect(status().isOk());
	}

	@Test
	void readOnlyPagesRenderNoActionForm() throws Exception {
		this.cluster.workerOnline("celery@py1");
		this.cluster.task("task-received", "t-1", "celery@py1", "name", "sample.add");
		this.cluster.deadLetter("celery", "sample.add", "t-dead", "unknown task");
		for (String path : new String[] { "/taskqueue/tasks/t-1", "/taskqueue/queues", "/taskqueue/queues/celery",
				"/taskqueue/workers/celery@py1" }) {
			assertThat(page(path)).as(path).doesNotContain("<form class=\"action", "class=\"action\"",
					"method=\"post\"");
		}
	}

	private String page(String path) throws Exception {
		return this.mvc.perform(get(path))
			.andExpect(status().isOk())
			.andExpect(content().contentTypeCompatibleWith("text/html"))
			.andReturn()
			.getResponse()
			.getContentAsString();
	}

	/** A broker whose server is away: each read fails as a transport's does. */
	private static final class UnreachableBroker implements dev.taskqueue.broker.Broker,
			dev.taskqueue.broker.DeadLetterQueue {

		@Override
		public void publish(String queue, dev.taskqueue.protocol.Envelope envelope) {
			throw down();
		}

		@Override
		public dev.taskqueue.broker.Subscription subscribe(java.util.List<String> queues, int prefetch,
				dev.taskqueue.broker.DeliveryHandler handler) {
			throw down();
		}

		@Override
		public long queueDepth(String queue) {
			throw down();
		}

		@Override
		public java.util.List<dev.taskqueue.broker.DeadLetter> listDeadLetters(
				@org.jspecify.annotations.Nullable String queue, int limit) {
			throw down();
		}

		@Override
		public boolean redriveDeadLetter(String id) {
			throw down();
		}

		@Override
		public int redriveDeadLetters(@org.jspecify.annotations.Nullable String queue) {
			throw down();
		}

		@Override
		public boolean purgeDeadLetter(String id) {
			throw down();
		}

		@Override
		public int purgeDeadLetters(@org.jspecify.annotations.Nullable String queue) {
			throw down();
		}

		private static dev.taskqueue.broker.BrokerException down() {
			return new dev.taskqueue.broker.BrokerException("connection refused");
		}

	}

}
