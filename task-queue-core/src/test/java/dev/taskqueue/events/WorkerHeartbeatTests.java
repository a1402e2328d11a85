package dev.taskqueue.events;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.listener.TaskEvent;
import dev.taskqueue.listener.TaskOutcome;
import dev.taskqueue.listener.WorkerEvent;
import dev.taskqueue.protocol.LamportClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A worker is online from ready to stopping, with a heartbeat every interval that says how busy it is, in the
 * fields and types of Celery's worker events.
 */
class WorkerHeartbeatTests {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private static final WorkerEvent WORKER = new WorkerEvent("w1@test", List.of("celery"), 2);

	private final RecordingEventTransport transport = new RecordingEventTransport();

	private final EventDispatcher dispatcher = EventDispatcher.builder(this.transport, MAPPER, new LamportClock(),
			"w1@test")
		.build();

	private final WorkerHeartbeat heartbeat = new WorkerHeartbeat(this.dispatcher, Duration.ofMillis(200));

	@AfterEach
	void close() {
		this.heartbeat.close();
		this.dispatcher.close();
	}

	@Test
	void aReadyWorkerIsOnlineThenBeatsUntilItStopsAndGoesOffline() {
		this.heartbeat.workerReady(WORKER);
		await().until(() -> types().contains("worker-heartbeat"));

		this.heartbeat.workerStopping(WORKER);
		this.dispatcher.close();

		List<String> types = types();
		assertThat(types.get(0)).isEqualTo("worker-online");
		assertThat(types.get(types.size() - 1)).isEqualTo("worker-offline");
		assertThat(types.subList(1, types.size() - 1)).isNotEmpty().containsOnly("worker-heartbeat");
		assertThat(this.transport.published()).allSatisfy((message) -> {
			assertThat(message.routingKey()).isEqualTo(message.body().path("type").asString().replace('-', '.'));
			TaskEventsListenerTests.assertShapedAsCelerys(message.body());
		});
	}

	@Test
	void aHeartbeatSaysItsFrequencyHowBusyTheWorkerIsAndWhatItRuns() {
		TaskEvent running = task("running");
		TaskEvent finished = task("finished");
		this.heartbeat.prerun(running);
		this.heartbeat.prerun(finished);
		this.heartbeat.postrun(finished, TaskOutcome.SUCCESS);
		// a message settled without running (revoked) never started
		this.heartbeat.postrun(task("never-started"), TaskOutcome.REVOKED);

		this.heartbeat.workerReady(WORKER);
		this.dispatcher.close();

		JsonNode online = this.transport.published().get(0).body();
		assertThat(online.path("freq").asDouble()).isEqualTo(0.2);
		assertThat(online.path("active").asInt()).isEqualTo(1);
		assertThat(online.path("processed").asInt()).isEqualTo(2);
		assertThat(online.path("loadavg")).hasSize(3);
		assertThat(online.path("sw_ident").asString()).isEqualTo("java-taskqueue");
		assertThat(online.path("sw_ver").asString()).isNotEmpty().isNotEqualTo("unknown");
		assertThat(online.path("sw_sys").asString()).isNotEmpty();
	}

	@Test
	void withSeveralWorkerGroupsTheWorkerIsOnlineFromTheFirstReadyToTheLastStopping() {
		WorkerEvent other = new WorkerEvent("w1@test-other", List.of("other"), 1);

		this.heartbeat.workerReady(WORKER);
		this.heartbeat.workerReady(other);
		this.heartbeat.workerStopping(WORKER);
		assertThat(types()).doesNotContain("worker-offline");
		this.heartbeat.workerStopping(other);
		this.dispatcher.close();

		assertThat(types()).filteredOn((type) -> !type.equals("worker-heartbeat"))
			.containsExactly("worker-online", "worker-offline");
	}

	@Test
	void pythonsSystemNamesAreUsed() {
		assertThat(SoftwareInfo.system("Linux")).isEqualTo("Linux");
		assertThat(SoftwareInfo.system("Mac OS X")).isEqualTo("Darwin");
		assertThat(SoftwareInfo.system("Windows 11")).isEqualTo("Windows");
		assertThat(SoftwareInfo.system("FreeBSD")).isEqualTo("FreeBSD");
	}

	private List<String> types() {
		return this.transport.published().stream().map((message) -> message.body().path("type").asString()).toList();
	}

	private static TaskEvent task(String id) {
		TaskEvent event = new TaskEvent(id, "sample.add", "celery", 0, Map.of(), "w1@test", null);
		if (!id.equals("never-started")) {
			event.markStarted();
		}
		return event;
	}

}
