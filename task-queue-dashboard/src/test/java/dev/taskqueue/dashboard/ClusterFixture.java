package dev.taskqueue.dashboard;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

import dev.taskqueue.broker.DeadLetter;
import dev.taskqueue.broker.Delivery;
import dev.taskqueue.broker.memory.InMemoryBroker;
import dev.taskqueue.control.TaskControl;
import dev.taskqueue.events.CeleryEvent;
import dev.taskqueue.events.state.ClusterState;
import dev.taskqueue.protocol.Envelope;
import dev.taskqueue.protocol.ProtocolHeaders;
import dev.taskqueue.registry.TaskRegistry;
import dev.taskqueue.result.memory.InMemoryResultBackend;
import dev.taskqueue.revoke.InMemoryRevocations;
import dev.taskqueue.worker.QueueOverview;

/**
 * A dashboard over the in-memory broker and a real {@link ClusterState}, fed with Celery's events as a Python
 * worker sends them; served by MockMvc (Spring MVC) or WebTestClient (WebFlux).
 */
final class ClusterFixture {

	final InMemoryBroker broker = new InMemoryBroker();

	final ClusterState state = new ClusterState();

	final InMemoryRevocations revocations = new InMemoryRevocations(Duration.ofHours(1), Clock.systemUTC());

	final InMemoryResultBackend results = new InMemoryResultBackend(Duration.ofHours(1), Clock.systemUTC());

	final TaskControl control = new TaskControl(this.revocations, this.results, Clock.systemUTC());

	final TaskRegistry registry = new TaskRegistry();

	final QueueOverview queues = new QueueOverview(this.broker, null, this.registry, "celery");

	final DashboardStreams streams = new DashboardStreams(this.state, 2, JsonMapper.builder().build());

	TaskQueueDashboard dashboard(boolean readOnly) {
		return TaskQueueDashboard.builder(this.state, this.control, this.broker, this.queues)
			.path("/taskqueue")
			.readOnly(readOnly)
			.streams(this.streams)
			.remoteControlTimeout(Duration.ofMillis(100))
			.build();
	}

	MockMvc mvc(boolean readOnly) {
		return MockMvcBuilders.routerFunctions(WebMvcDashboardRoutes.routes(dashboard(readOnly))).build();
	}

	WebTestClient webFlux(boolean readOnly) {
		return WebTestClient.bindToRouterFunction(WebFluxDashboardRoutes.routes(dashboard(readOnly))).build();
	}

	/** A Celery worker says it is online, with a heartbeat. */
	void workerOnline(String hostname) {
		event("worker-online", hostname, "freq", 2.0, "sw_ident", "py-celery", "sw_ver", "5.2.6", "sw_sys", "Linux",
				"pid", 4242);
		event("worker-heartbeat", hostname, "freq", 2.0, "active", 1, "processed", 7, "loadavg",
				List.of(0.5, 0.25, 0.125), "sw_ident", "py-celery", "sw_ver", "5.2.6", "sw_sys", "Linux", "pid", 4242);
	}

	/** A task event, from a worker. */
	void task(String type, String id, String hostname, @Nullable Object... fields) {
		Object[] all = new Object[fields.length + 2];
		all[0] = "uuid";
		all[1] = id;
		System.arraycopy(fields, 0, all, 2, fields.length);
		event(type, hostname, all);
	}

	void event(String type, String hostname, @Nullable Object... fields) {
		Map<String, @Nullable Object> map = new HashMap<>();
		map.put("type", type);
		map.put("hostname", hostname);
		map.put("timestamp", Instant.now().toEpochMilli() / 1000.0);
		map.put("utcoffset", 0);
		map.put("pid", 4242);
		map.put("clock", 1);
		for (int i = 0; i + 1 < fields.length; i += 2) {
			map.put((String) fields[i], fields[i + 1]);
		}
		this.state.event(CeleryEvent.of(map));
	}

	/** A message of the queue that a worker rejected. */
	DeadLetter deadLetter(String queue, String taskName, String taskId, String reason) throws InterruptedException {
		Map<String, Object> headers = Map.of(ProtocolHeaders.TASK, taskName, ProtocolHeaders.ID, taskId);
		this.broker.publish(queue, new Envelope("[[], {}, {}]".getBytes(StandardCharsets.UTF_8), "application/json",
				"utf-8", headers, taskId, null, 0, null));
		Delivery delivery = this.broker.poll(List.of(queue), Duration.ofSeconds(1));
		delivery.reject(reason);
		return this.broker.listDeadLetters(queue, 100)
			.stream()
			.filter((letter) -> taskId.equals(letter.envelope().correlationId()))
			.findFirst()
			.orElseThrow();
	}

}
