package dev.taskqueue.eventsit;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import tools.jackson.databind.JsonNode;

import org.springframework.context.ConfigurableApplicationContext;

import dev.taskqueue.SendOptions;
import dev.taskqueue.TaskClient;
import dev.taskqueue.events.CeleryEvent;
import dev.taskqueue.events.EventReceiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The events interop tests, the same on either broker.
 */
public final class CeleryEventsInterop {

	private static final String OURS = "java@events";

	private CeleryEventsInterop() {
	}

	/**
	 * Celery's receiver sees our worker come online and beat, run a task that succeeds and one that fails, with
	 * Celery's fields, and go offline once the application closed.
	 * @param broker the broker's URL, for Celery
	 * @param java starts our worker's application with the given properties
	 * @param wait how long to wait for each event
	 */
	public static void celerysReceiverSeesOurWorkerComeBeatRunTasksAndGo(String broker,
			Function<String, ConfigurableApplicationContext> java, Duration wait) {
		try (CeleryEventsPeer celery = CeleryEventsPeer.receiver(broker, wait)) {
			ConfigurableApplicationContext application = java.apply("taskqueue.events.enabled=true");
			TaskClient client = application.getBean(TaskClient.class);
			String added = client.send("events.java.add", 2, 3).id();
			String failed = client.send("events.java.fail", "boom").id();

			seesOurWorkerAndItsTasks(celery, application, added, failed, wait);
		}
	}

	/**
	 * Our receiver sees a Celery worker ({@code -E}) come online, run a task, and go offline.
	 * @param broker the broker's URL, for Celery
	 * @param java starts our application (a client, no worker) with the given properties
	 * @param wait how long to wait for each event
	 */
	public static void ourReceiverSeesACeleryWorkerAndItsTasks(String broker,
			Function<String, ConfigurableApplicationContext> java, Duration wait) {
		List<CeleryEvent> received = new CopyOnWriteArrayList<>();
		try (ConfigurableApplicationContext application = java.apply("taskqueue.worker.enabled=false")) {
			application.getBean(EventReceiver.class).subscribe(received::add);
			try (CeleryEventsPeer celery = CeleryEventsPeer.worker(broker, "py@events")) {
				TaskClient toCelery = application.getBean(TaskClient.class)
					.withOptions(SendOptions.defaults().withQueue("events-py"));
				String added = toCelery.send("events.py.add", List.of(2, 3), Map.of()).id();

				seesCelerysWorkerAndItsTasks(celery, received, added, wait);
			}
		}
	}

	/**
	 * Celery's receiver saw our worker come online and beat, run one task that succeeded and one that failed, with
	 * Celery's fields, then go offline once the application closed.
	 * @param celery Celery's receiver, started before our worker
	 * @param java our worker's application; closed here
	 * @param added the id of {@code events.java.add(2, 3)}
	 * @param failed the id of {@code events.java.fail("boom")}
	 * @param wait how long to wait for each event
	 */
	private static void seesOurWorkerAndItsTasks(CeleryEventsPeer celery, ConfigurableApplicationContext java,
			String added, String failed, Duration wait) {
		JsonNode online = celery.awaitEvent(wait, "worker-online", (event) -> is(event, "worker-online", OURS));
		assertThat(online.path("sw_ident").asString()).isEqualTo("java-taskqueue");
		assertThat(online.path("sw_sys").asString()).isNotEmpty();
		assertThat(online.path("freq").asDouble()).isEqualTo(2.0);
		assertThat(online.path("loadavg")).hasSize(3);
		// what Celery's events.State (celery events, Flower) made of them: the tasks' states, the worker alive
		JsonNode succeeded = celery.awaitEvent(wait, "task-succeeded",
				(event) -> is(event, "task-succeeded", OURS) && event.path("uuid").asString().equals(added));
		assertThat(succeeded.path("_task_state").asString()).isEqualTo("SUCCESS");
		JsonNode failure = celery.awaitEvent(wait, "task-failed",
				(event) -> is(event, "task-failed", OURS) && event.path("uuid").asString().equals(failed));
		assertThat(failure.path("_task_state").asString()).isEqualTo("FAILURE");
		JsonNode heartbeat = celery.awaitEvent(wait, "worker-heartbeat",
				(event) -> is(event, "worker-heartbeat", OURS) && event.path("processed").asInt() == 2);
		assertThat(heartbeat.path("active").asInt()).isZero();
		assertThat(heartbeat.path("_worker_alive").asBoolean()).isTrue();
		java.close();
		JsonNode offline = celery.awaitEvent(wait, "worker-offline", (event) -> is(event, "worker-offline", OURS));
		assertThat(offline.path("_worker_alive").asBoolean(true)).isFalse();

		List<JsonNode> events = celery.events();
		assertThat(types(events, added)).containsExactly("task-received", "task-started", "task-succeeded");
		assertThat(types(events, failed)).containsExactly("task-received", "task-started", "task-failed");
		JsonNode received = find(events, added, "task-received");
		assertThat(received.path("name").asString()).isEqualTo("events.java.add");
		assertThat(received.path("args").asString()).isEqualTo("(2, 3)");
		assertThat(find(events, added, "task-succeeded").path("result").asString()).isEqualTo("5");
		assertThat(find(events, added, "task-succeeded").path("runtime").isNumber()).isTrue();
		failure = find(events, failed, "task-failed");
		assertThat(failure.path("exception").asString()).isEqualTo("IllegalArgumentException('boom')");
		assertThat(failure.path("traceback").asString()).contains("java.lang.IllegalArgumentException: boom");
		// Celery's receiver kept its clock and added the time of receipt to each
		assertThat(events).filteredOn((event) -> OURS.equals(event.path("hostname").asString()))
			.allSatisfy((event) -> {
				assertThat(event.path("clock").isIntegralNumber()).isTrue();
				assertThat(event.path("local_received").isNumber()).isTrue();
				assertThat(event.path("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
			});
	}

	/**
	 * Our receiver saw a Celery worker come online, run a task with Celery's fields, and go offline when stopped.
	 * @param celery the Celery worker; stopped here
	 * @param received what our receiver received
	 * @param added the id of {@code events.py.add(2, 3)}
	 * @param wait how long to wait for each event
	 */
	private static void seesCelerysWorkerAndItsTasks(CeleryEventsPeer celery, List<CeleryEvent> received, String added,
			Duration wait) {
		celery.await(wait, "the Celery worker's task-succeeded", () -> received.stream()
			.anyMatch((event) -> event.type().equals("task-succeeded") && added.equals(event.uuid())));
		CeleryEvent online = received.stream()
			.filter((event) -> event.type().equals("worker-online"))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no worker-online in " + received));
		assertThat(online.hostname()).isEqualTo("py@events");
		assertThat(online.get("sw_ident")).isEqualTo("py-celery");
		assertThat(online.get("sw_ver")).isEqualTo("5.2.6");
		// a Celery worker's batches may arrive out of order: its clock orders them, as Celery's monitors do
		assertThat(received.stream()
			.filter((event) -> added.equals(event.uuid()))
			.sorted(Comparator.comparingLong(CeleryEvent::clock))
			.map(CeleryEvent::type)).containsExactly("task-received", "task-started", "task-succeeded");
		CeleryEvent succeeded = received.stream()
			.filter((event) -> event.type().equals("task-succeeded") && added.equals(event.uuid()))
			.findFirst()
			.orElseThrow();
		assertThat(succeeded.get("result")).isEqualTo("5");
		assertThat(succeeded.hostname()).isEqualTo("py@events");
		assertThat(succeeded.get("local_received")).isInstanceOf(Double.class);
		celery.stop();
		await().atMost(wait).until(() -> received.stream()
			.anyMatch((event) -> event.type().equals("worker-offline") && "py@events".equals(event.hostname())));
	}

	private static boolean is(JsonNode event, String type, String hostname) {
		return event.path("type").asString().equals(type) && event.path("hostname").asString().equals(hostname);
	}

	private static List<String> types(List<JsonNode> events, String uuid) {
		return events.stream()
			.filter((event) -> event.path("uuid").asString("").equals(uuid))
			.map((event) -> event.path("type").asString())
			.toList();
	}

	private static JsonNode find(List<JsonNode> events, String uuid, String type) {
		return events.stream()
			.filter((event) -> event.path("uuid").asString("").equals(uuid) && event.path("type").asString().equals(type))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no " + type + " of " + uuid + " in " + events));
	}

}
