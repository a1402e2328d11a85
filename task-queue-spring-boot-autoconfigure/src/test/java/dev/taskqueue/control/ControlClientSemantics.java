package dev.taskqueue.control;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import dev.taskqueue.AsyncResult;
import dev.taskqueue.SendOptions;
import dev.taskqueue.TaskClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * Java's {@link TaskControl} against a real Celery 5.2.6 worker ({@code src/test/python/control_celery.py}) on one
 * broker: the tests every broker passes. The Java application runs no worker, so every reply is Celery's. A
 * subclass starts the broker it owns and names its properties; {@link #start} starts both sides once per class.
 * Every wait checks that the Python worker is still alive, so that a dead worker fails the test at once.
 */
public abstract class ControlClientSemantics {

	/** The Python worker's name, Celery's {@code -n}. */
	protected static final String NODE = "py-control@it";

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static final File PYTHON_DIR = new File("src/test/python");

	private static Process celery;

	private static File celeryLog;

	private static ConfigurableApplicationContext application;

	/**
	 * Start the Java application and the Celery worker, and wait until the worker answers a ping.
	 * @param brokerUrl the broker as Celery names it
	 * @param properties the Java application's broker properties
	 * @param name the test's name, for the worker's log file
	 */
	protected static void start(String brokerUrl, String name, String... properties) {
		application = new SpringApplicationBuilder(ControlApplication.class).web(WebApplicationType.NONE)
			.properties(properties)
			.properties("taskqueue.worker.enabled=false", "taskqueue.result-backend=none",
					"taskqueue.default-queue=control-py")
			.run();
		celeryLog = new File("target/worker-processes/" + name + "-celery.log");
		celeryLog.getParentFile().mkdirs();
		ProcessBuilder builder = new ProcessBuilder("/usr/bin/python3", "-m", "celery", "-A", "control_celery", "worker",
				"-n", NODE, "-Q", "control-py", "-P", "threads", "-c", "2", "--without-gossip", "--without-mingle",
				"--without-heartbeat", "-l", "info")
			.directory(PYTHON_DIR)
			.redirectErrorStream(true)
			.redirectOutput(celeryLog);
		builder.environment().put("TQ_BROKER", brokerUrl);
		try {
			celery = builder.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		ControlOptions quick = ControlOptions.defaults().withDestination(NODE).withTimeout(Duration.ofMillis(300));
		await().atMost(WAIT).until(() -> alive() && !control().ping(quick).isEmpty());
	}

	/**
	 * Stop the Celery worker (warm shutdown) and the Java application; a subclass calls it before it stops its broker.
	 * @throws InterruptedException if interrupted while the worker stops
	 */
	protected static void stop() throws InterruptedException {
		if (celery != null) {
			celery.destroy();
			if (!celery.waitFor(20, TimeUnit.SECONDS)) {
				celery.destroyForcibly();
			}
		}
		if (application != null) {
			application.close();
		}
	}

	@Test
	void pingGetsTheCeleryWorkersPongUnderItsNodename() {
		Replies<String> replies = control().ping();
		assertThat(replies.values()).containsEntry(NODE, "pong");
		assertThat(replies.errors()).isEmpty();
	}

	@Test
	void inspectRegisteredListsTheCeleryTaskNames() {
		assertThat(inspect().registered().get(NODE)).contains("control.py.add", "control.py.sleep");
	}

	@Test
	void inspectActiveShowsTheCeleryTaskRunningWithItsNameIdAndArguments() {
		TaskClient client = application.getBean(TaskClient.class)
			.withOptions(SendOptions.defaults().withQueue("control-py"));
		AsyncResult<Object> sleeping = client.send("control.py.sleep", List.of(3), Map.of());
		TaskInfo running = await().atMost(WAIT).until(() -> {
			assertAlive();
			List<TaskInfo> active = inspect().active().get(NODE);
			return (active != null) ? active.stream().filter((task) -> task.id().equals(sleeping.id())).findFirst()
				.orElse(null) : null;
		}, (task) -> task != null);
		assertThat(running.name()).isEqualTo("control.py.sleep");
		assertThat(running.args().toString()).isEqualTo("[3]");
		assertThat(running.hostname()).isEqualTo(NODE);
		assertThat(running.timeStart()).isNotNull();
		assertThat(running.routingKey()).isEqualTo("control-py");
	}

	@Test
	void rateLimitOnACeleryTaskGetsCelerysOkReplyAndAnUnknownTaskItsError() {
		assertThat(control().rateLimit("control.py.add", "10/s", NODE).values())
			.containsOnly(Map.entry(NODE, "new rate limit set successfully"));
		Replies<String> unknown = control().rateLimit("control.py.nope", "10/s", NODE);
		assertThat(unknown.values()).isEmpty();
		assertThat(unknown.errors()).containsOnly(Map.entry(NODE, "unknown task"));
	}

	@Test
	void statsFromTheCeleryWorkerAreRead() {
		WorkerStats stats = inspect().stats().get(NODE);
		assertThat(stats).isNotNull();
		assertThat(stats.pid()).isEqualTo(celery.pid());
		assertThat(stats.maxConcurrency()).isEqualTo(2L);
		assertThat(stats.clock()).isPositive();
		assertThat(stats.uptime()).isNotNull();
		assertThat(stats.transport()).isEqualTo(transport());
	}

	@Test
	void aCommandCeleryDoesNotKnowAnswersCelerysError() {
		Replies<tools.jackson.databind.JsonNode> replies = control().broadcast("no_such_command", Map.of(),
				ControlOptions.defaults().withDestination(NODE));
		assertThat(replies.errors()).containsOnly(Map.entry(NODE, "KeyError('no_such_command')"));
	}

	/**
	 * The broker's transport as Celery's {@code stats} names it.
	 * @return {@code redis} or {@code amqp}
	 */
	protected abstract String transport();

	private static TaskControl control() {
		return application.getBean(TaskControl.class);
	}

	private static Inspector inspect() {
		assertAlive();
		return control().inspect(ControlOptions.defaults().withDestination(NODE));
	}

	private static boolean alive() {
		assertAlive();
		return true;
	}

	private static void assertAlive() {
		if (!celery.isAlive()) {
			try {
				fail("The Celery worker exited (" + celery.exitValue() + "):\n" + Files.readString(celeryLog.toPath()));
			}
			catch (IOException ex) {
				fail("The Celery worker exited (" + celery.exitValue() + "); no log at " + celeryLog);
			}
		}
	}

	/**
	 * An application that runs no worker: it only controls.
	 */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class ControlApplication {

	}

}
