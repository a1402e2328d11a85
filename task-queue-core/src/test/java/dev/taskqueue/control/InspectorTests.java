package dev.taskqueue.control;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.protocol.LamportClock;
import dev.taskqueue.result.memory.InMemoryResultBackend;
import dev.taskqueue.revoke.InMemoryRevocations;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The inspector reads what a real Celery 5.2.6 worker answers ({@code celery-5.2.6-control-replies.json}, captured
 * from {@code app.control.inspect()}), replayed here by a worker on the in-memory transport: each inspect command is
 * sent with Celery's arguments and its replies are read into the typed values, with the JSON still at hand.
 */
class InspectorTests {

	private static final JsonMapper mapper = JsonMapper.builder().build();

	private static final JsonNode captured = captured();

	private static final String NODE = "py@capture";

	private final InMemoryPidboxTransport transport = new InMemoryPidboxTransport();

	private final TaskControl control = new TaskControl(new InMemoryRevocations(Duration.ofHours(1), Clock.systemUTC()),
			new InMemoryResultBackend(Duration.ofHours(1), Clock.systemUTC()), Clock.systemUTC(), this.transport, mapper,
			new LamportClock());

	private final FakeWorker worker = new FakeWorker(NODE, this.transport);

	private final Inspector inspector;

	InspectorTests() {
		for (String method : List.of("ping", "stats", "active", "scheduled", "reserved", "revoked", "active_queues",
				"registered")) {
			this.worker.answers(method, captured.path(method).path(NODE));
		}
		this.inspector = this.control.inspect(ControlOptions.defaults().withDestination(NODE));
	}

	@AfterEach
	void close() {
		this.transport.close();
	}

	@Test
	void activeReadsTheRunningTasksOfCelerysTaskInfo() {
		Replies<List<TaskInfo>> replies = this.inspector.active();
		TaskInfo task = replies.get(NODE).get(0);
		assertThat(task.id()).isEqualTo("5000db18-00ff-49ea-a28d-00d71b3a314f");
		assertThat(task.name()).isEqualTo("x.sleep");
		assertThat(task.args().toString()).isEqualTo("[4]");
		assertThat(task.kwargs().isEmpty()).isTrue();
		assertThat(task.hostname()).isEqualTo(NODE);
		assertThat(task.timeStart()).isBetween(Instant.parse("2026-12-07T04:28:56Z"),
				Instant.parse("2026-12-07T04:28:57Z"));
		assertThat(task.acknowledged()).isTrue();
		assertThat(task.exchange()).isEmpty();
		assertThat(task.routingKey()).isEqualTo("celery");
		assertThat(task.priority()).isZero();
		assertThat(task.redelivered()).isNull();
		assertThat(task.workerPid()).isEqualTo(25472L);
		assertThat(this.worker.commands.get(0).path("arguments").toString()).isEqualTo("{\"safe\":null}");
	}

	@Test
	void registeredGivesTheNamesWithoutTheTaskInfoCeleryAppends() {
		this.worker.answers("registered", List.of("x.add [rate_limit=10/s]", "x.sleep"));
		Replies<List<String>> replies = this.inspector.registered();
		assertThat(replies.get(NODE)).containsExactly("x.add", "x.sleep");
		assertThat(replies.raw().get(NODE).get(0).asString()).isEqualTo("x.add [rate_limit=10/s]");
	}

	@Test
	void scheduledReadsTheEtaAndTheTask() {
		ScheduledTask scheduled = this.inspector.scheduled().get(NODE).get(0);
		assertThat(scheduled.eta()).isEqualTo(Instant.parse("2026-12-07T04:29:56.869668Z"));
		assertThat(scheduled.priority()).isEqualTo(6);
		assertThat(scheduled.request().name()).isEqualTo("x.sleep");
		assertThat(scheduled.request().timeStart()).isNull();
		assertThat(scheduled.request().workerPid()).isNull();
	}

	@Test
	void registeredListsTheTaskNames() {
		assertThat(this.inspector.registered().get(NODE)).containsExactly("x.add", "x.sleep");
		assertThat(this.worker.commands.get(0).path("arguments").toString()).isEqualTo("{\"taskinfoitems\":[]}");
	}

	@Test
	void statsReadsCelerysStatisticsWithItsClockWrittenAsAString() {
		WorkerStats stats = this.inspector.stats().get(NODE);
		assertThat(stats.pid()).isEqualTo(25470L);
		assertThat(stats.clock()).isEqualTo(11L);
		assertThat(stats.uptime()).isEqualTo(Duration.ofSeconds(8));
		assertThat(stats.maxConcurrency()).isEqualTo(1L);
		assertThat(stats.prefetchCount()).isEqualTo(3L);
		assertThat(stats.total()).containsOnly(Map.entry("x.sleep", 1L));
		assertThat(stats.transport()).isEqualTo("redis");
		assertThat(this.inspector.stats().raw().get(NODE).path("rusage").has("maxrss")).isTrue();
	}

	@Test
	void activeQueuesReadsEachQueueAndItsExchange() {
		QueueInfo queue = this.inspector.activeQueues().get(NODE).get(0);
		assertThat(queue).isEqualTo(new QueueInfo("celery", "celery", "direct", "celery", true, false, false, null));
	}

	@Test
	void reservedRevokedAndPingReadEmptyListsAndPong() {
		assertThat(this.inspector.reserved().get(NODE)).isEmpty();
		assertThat(this.inspector.revoked().get(NODE)).isEmpty();
		assertThat(this.inspector.ping().get(NODE)).isEqualTo("pong");
	}

	@Test
	void queryTaskReadsTheStateAndTheTaskOfEachIdAsked() {
		JsonNode info = captured.path("active").path(NODE).get(0);
		this.worker.answers("query_task", Map.of(info.path("id").asString(), List.of("active", info)));
		Replies<Map<String, QueriedTask>> replies = this.inspector.queryTask(info.path("id").asString(), "unknown");
		QueriedTask task = replies.get(NODE).get(info.path("id").asString());
		assertThat(task.state()).isEqualTo("active");
		assertThat(task.info().name()).isEqualTo("x.sleep");
		assertThat(this.worker.commands.get(0).path("arguments").path("ids").toString())
			.isEqualTo("[\"" + info.path("id").asString() + "\",\"unknown\"]");
	}

	@Test
	void anyInspectCommandCanBeSentAndReadAsJson() {
		this.worker.answers("clock", Map.of("clock", 12));
		assertThat(this.inspector.request("clock", Map.of()).get(NODE).path("clock").asInt()).isEqualTo(12);
	}

	private static JsonNode captured() {
		try (InputStream in = InspectorTests.class.getResourceAsStream("celery-5.2.6-control-replies.json")) {
			return mapper.readTree(in);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
