package dev.taskqueue.control;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.taskqueue.AsyncResult;
import dev.taskqueue.SendOptions;
import dev.taskqueue.TaskClient;
import dev.taskqueue.broker.Broker;
import dev.taskqueue.registry.TaskRegistry;
import dev.taskqueue.worker.Workers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * Celery 5.2.6's own command line ({@code celery inspect}, {@code celery status}, {@code celery control}) and a
 * Python client of {@code app.control} see and steer a Java worker as one of theirs: the tests every broker
 * passes. The Python side is {@code src/test/python/remote_control.py}. A subclass starts the broker its test owns
 * and names its properties.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class RemoteControlSemantics {

	/** The Java worker's node name, in Celery's {@code name@host} form. */
	protected static final String WORKER = "java@remote-control";

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static final Path PYTHON = Path.of("src/test/python").toAbsolutePath();

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private ConfigurableApplicationContext worker;

	/**
	 * Start the broker the test owns, empty.
	 */
	protected abstract void startBroker();

	/**
	 * Stop the broker, deleting what the test made.
	 */
	protected abstract void stopBroker();

	/**
	 * The properties that point the Java worker at the broker and a result backend.
	 * @return {@code key=value} properties
	 */
	protected abstract List<String> brokerProperties();

	/**
	 * The broker's URL as Celery reads it.
	 * @return the URL
	 */
	protected abstract String brokerUrl();

	/**
	 * The transport's name in kombu ({@code redis}, {@code amqp}), as {@code stats} reports it.
	 * @return the name
	 */
	protected abstract String transport();

	@BeforeAll
	void startWorker() {
		startBroker();
		List<String> properties = new ArrayList<>(brokerProperties());
		properties.addAll(List.of("spring.application.name=remote-control", "taskqueue.worker.name=" + WORKER,
				"taskqueue.worker.concurrency=2", "taskqueue.worker.shutdown-timeout=2s"));
		this.worker = new SpringApplicationBuilder(RemoteControlApplication.class).web(WebApplicationType.NONE)
			.properties(properties.toArray(String[]::new))
			.run();
	}

	@AfterAll
	void stopWorker() {
		try {
			if (this.worker != null) {
				this.worker.close();
			}
		}
		finally {
			stopBroker();
		}
	}

	@Test
	void celeryInspectPingAndCeleryStatusSeeTheJavaWorker() throws Exception {
		JsonNode ping = json(celery("inspect", "ping", "-d", WORKER, "-j"));
		assertThat(ping).isEqualTo(MAPPER.readTree("{\"" + WORKER + "\": {\"ok\": \"pong\"}}"));

		String status = celery("status");
		assertThat(status).contains(WORKER + ": OK").contains("1 node online.");
	}

	@Test
	void celeryInspectRegisteredListsTheJavaTasks() throws Exception {
		JsonNode registered = json(celery("inspect", "registered", "-d", WORKER, "-j"));

		assertThat(registered.path(WORKER).valueStream().map(JsonNode::asString)).contains("sample.add",
				"sample.sleep");
	}

	@Test
	void celeryInspectActiveShowsTheSleepTheJavaWorkerRuns() throws Exception {
		RemoteControlApplication.Tasks tasks = this.worker.getBean(RemoteControlApplication.Tasks.class);
		tasks.sleeping = new CountDownLatch(1);
		AsyncResult<Object> sleep = client().send("sample.sleep", 3.0);
		assertThat(tasks.sleeping.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

		JsonNode active = json(celery("inspect", "active", "-d", WORKER, "-j")).path(WORKER);

		assertThat(active).hasSize(1);
		assertThat(active.get(0).path("id").asString()).isEqualTo(sleep.id());
		assertThat(active.get(0).path("name").asString()).isEqualTo("sample.sleep");
		assertThat(active.get(0).path("args")).isEqualTo(MAPPER.readTree("[3.0]"));
		assertThat(active.get(0).path("hostname").asString()).isEqualTo(WORKER);
		assertThat(sleep.get(WAIT)).isEqualTo(3.0);
	}

	@Test
	void celeryInspectStatsDescribesTheJavaWorkersPoolBrokerAndTasks() throws Exception {
		assertThat(client().send("sample.add", 1, 2).get(WAIT)).isEqualTo(3);

		JsonNode stats = json(celery("inspect", "stats", "-d", WORKER, "-j")).path(WORKER);

		assertThat(stats.path("total").path("sample.add").asInt()).isPositive();
		assertThat(stats.path("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
		assertThat(stats.path("pool").path("max-concurrency").asInt()).isEqualTo(2);
		assertThat(stats.path("broker").path("transport").asString()).isEqualTo(transport());
		assertThat(stats.path("prefetch_count").asInt()).isPositive();
		assertThat(stats.has("uptime")).isTrue();
		assertThat(stats.has("clock")).isTrue();
		assertThat(stats.path("rusage").has("utime")).isTrue();
	}

	@Test
	void aRateLimitSetWithCeleryControlIsAppliedByTheJavaWorker() throws Exception {
		TaskRegistry registry = this.worker.getBean(TaskRegistry.class);
		try {
			JsonNode reply = json(celery("control", "rate_limit", "sample.add", "10/s", "-d", WORKER, "-j"));
			assertThat(reply).isEqualTo(
					MAPPER.readTree("[{\"" + WORKER + "\": {\"ok\": \"new rate limit set successfully\"}}]"));
			assertThat(json(celery("inspect", "registered", "-d", WORKER, "-j")).path(WORKER).toString())
				.contains("sample.add [rate_limit=10/s]");

			// 21 starts at 10 a second: the last one 2 seconds after the first
			long started = System.nanoTime();
			List<AsyncResult<Object>> sums = IntStream.range(0, 21).mapToObj((i) -> client().send("sample.add", i, 1))
				.toList();
			sums.forEach((sum) -> sum.get(WAIT));
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofMillis(1800));
		}
		finally {
			registry.update("sample.add", (options) -> options.withRateLimit(null));
		}
	}

	@Test
	void celeryControlAddsAndCancelsAConsumerOfTheJavaWorker() throws Exception {
		String queue = "remote-control-extra";
		TaskClient toExtra = client().withOptions(SendOptions.defaults().withQueue(queue));
		Workers workers = this.worker.getBean(Workers.class);

		JsonNode added = json(celery("control", "add_consumer", queue, "-d", WORKER, "-j"));
		assertThat(added.get(0).path(WORKER).path("ok").asString()).isEqualTo("add consumer " + queue);
		assertThat(toExtra.send("sample.add", 20, 22).get(WAIT)).isEqualTo(42);
		assertThat(workers.snapshot().get(0).consuming()).containsEntry(queue, true);
		assertThat(json(celery("inspect", "active_queues", "-d", WORKER, "-j")).path(WORKER).findValuesAsString("name"))
			.contains(queue);

		JsonNode cancelled = json(celery("control", "cancel_consumer", queue, "-d", WORKER, "-j"));
		assertThat(cancelled.get(0).path(WORKER).path("ok").asString()).isEqualTo("no longer consuming from " + queue);
		// as Celery's call_soon: the reply comes first, the consumer goes soon after
		await().atMost(WAIT).until(() -> !workers.snapshot().get(0).consuming().getOrDefault(queue, false));
		AsyncResult<Object> waiting = toExtra.send("sample.add", 1, 1);
		Broker broker = this.worker.getBean(Broker.class);
		await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> broker.queueDepth(queue) == 1);
		assertThat(waiting.ready()).isFalse();
		broker.purge(queue);
	}

	@Test
	void aCommandTheWorkerDoesNotKnowIsAnsweredAsACeleryWorkerAnswersIt() throws Exception {
		JsonNode replies = json(python("unknown"));

		assertThat(replies).contains(MAPPER.readTree("{\"" + WORKER + "\": {\"error\": \"KeyError('nosuch')\"}}"));
	}

	@Test
	void aPythonClientsInspectRegisteredListsTheJavaTasksUnderTheWorkersNodeName() throws Exception {
		JsonNode registered = json(python("registered"));

		assertThat(registered.propertyNames()).containsExactly(WORKER);
		assertThat(WORKER).matches("[^@]+@[^@]+");
		assertThat(registered.path(WORKER).valueStream().map(JsonNode::asString)).contains("sample.add",
				"sample.sleep");
	}

	private TaskClient client() {
		return this.worker.getBean(TaskClient.class);
	}

	/** Celery's command line on this test's broker: its standard output, once it exited with 0. */
	private String celery(String... arguments) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of("/usr/bin/python3", "-m", "celery", "-A", "remote_control"));
		command.addAll(List.of(arguments));
		return run(command);
	}

	/** {@code remote_control.py} as a Python client: its standard output. */
	private String python(String mode) throws IOException, InterruptedException {
		return run(List.of("/usr/bin/python3", "remote_control.py", mode));
	}

	private String run(List<String> command) throws IOException, InterruptedException {
		Path out = Files.createTempFile("remote-control", ".out");
		Path err = Files.createTempFile("remote-control", ".err");
		try {
			ProcessBuilder builder = new ProcessBuilder(command).directory(PYTHON.toFile())
				.redirectOutput(out.toFile())
				.redirectError(err.toFile());
			builder.environment().put("TQ_BROKER", brokerUrl());
			Process process = builder.start();
			if (!process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)) {
				process.destroyForcibly();
				fail("%s did not end within %s; stderr: %s", command, WAIT, Files.readString(err));
			}
			String output = Files.readString(out, StandardCharsets.UTF_8);
			assertThat(process.exitValue()).as("%s exit code; stdout: %s; stderr: %s", command, output,
					Files.readString(err))
				.isZero();
			return output;
		}
		finally {
			Files.deleteIfExists(out);
			Files.deleteIfExists(err);
		}
	}

	private static JsonNode json(String output) {
		String[] lines = output.trim().split("\n");
		return MAPPER.readTree(lines[lines.length - 1]);
	}

}
