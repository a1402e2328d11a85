package dev.taskqueue.dashboard;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The live updates: a task or a worker that changes is pushed to the open streams as a {@code task} or
 * {@code worker} event holding its row, by the streams' own thread; streams are bounded.
 */
class DashboardStreamTests {

	private final ClusterFixture cluster = new ClusterFixture();

	private final MockMvc mvc = this.cluster.mvc(true);

	@BeforeEach
	void start() {
		this.cluster.streams.start();
	}

	@AfterEach
	void stop() {
		this.cluster.streams.stop();
	}

	@Test
	void theStreamSendsATaskEventWhenATaskChanges() throws Exception {
		MvcResult stream = open();
		MockHttpServletResponse response = stream.getResponse();
		assertThat(response.getContentType()).startsWith("text/event-stream");

		this.cluster.task("task-received", "t-live", "celery@py1", "name", "sample.add");
		await().until(() -> response.getContentAsString().contains("\"id\":\"t-live\""));
		this.cluster.task("task-succeeded", "t-live", "celery@py1", "result", "5", "runtime", 0.25);
		await().until(() -> response.getContentAsString().contains("\"state\":\"SUCCESS\""));

		String events = response.getContentAsString();
		assertThat(events).contains("event:task\ndata:{\"id\":\"t-live\",\"name\":\"sample.add\",\"state\":\"RECEIVED\","
				+ "\"worker\":\"celery@py1\"");
		assertThat(events).contains("\"runtime\":\"0.250 s\"");
	}

	@Test
	void theStreamSendsAWorkerEventWhenAWorkerIsHeardOf() throws Exception {
		MockHttpServletResponse response = open().getResponse();
		this.cluster.workerOnline("celery@py2");
		await().until(() -> response.getContentAsString().contains("event:worker\ndata:{\"name\":\"celery@py2\""));
		assertThat(response.getContentAsString()).contains("\"status\":\"online\"");
	}

	@Test
	void streamsBeyondTheBoundAreRefused() throws Exception {
		open();
		open();
		assertThat(this.cluster.streams.openStreams()).isEqualTo(2);
		this.mvc.perform(get("/taskqueue/stream")).andExpect(status().isServiceUnavailable());
	}

	private MvcResult open() throws Exception {
		return this.mvc.perform(get("/taskqueue/stream")).andExpect(request().asyncStarted()).andReturn();
	}

}
