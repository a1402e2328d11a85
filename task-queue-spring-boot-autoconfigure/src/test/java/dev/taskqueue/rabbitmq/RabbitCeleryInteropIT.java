package dev.taskqueue.rabbitmq;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.AsyncResult;
import dev.taskqueue.SendOptions;
import dev.taskqueue.Task;
import dev.taskqueue.TaskClient;
import dev.taskqueue.TaskFailedException;
import dev.taskqueue.autoconfigure.TaskQueueAutoConfiguration;
import dev.taskqueue.autoconfigure.TaskQueueControlAutoConfiguration;
import dev.taskqueue.control.TaskControl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Interoperability with real Celery 5.2.6 (Debian's python3-celery) over RabbitMQ, both ways: a Java client
 * and a Celery worker, a Celery client and a Java worker; results through Celery's rpc backend. The Python
 * side is in {@code src/test/python/rabbitmq}.
 */
class RabbitCeleryInteropIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private static final Path PYTHON = Path.of("src/test/python/rabbitmq").toAbsolutePath();

	private static final List<String> recorded = new CopyOnWriteArrayList<>();

	/** Results in Redis: a database of this test's own (see LocalRedis). */
	private static final int REDIS_DB = dev.taskqueue.redis.LocalRedis.RABBIT_INTEROP_DB;

	private static final String REDIS_URL = "redis://127.0.0.1:6379/" + REDIS_DB;

	private static RabbitVhost vhost;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, TaskQueueAutoConfiguration.class,
				TaskQueueControlAutoConfiguration.class))
		.withUserConfiguration(JavaTasks.class)
		.withPropertyValues("spring.rabbitmq.host=127.0.0.1", "spring.rabbitmq.port=5672",
				"spring.rabbitmq.username=guest", "spring.rabbitmq.password=guest",
				"spring.rabbitmq.virtual-host=" + vhost.name(), "taskqueue.broker=rabbitmq",
				"taskqueue.result-backend=rpc", "taskqueue.default-queue=interop.java",
				"taskqueue.worker.name=interop-java", "taskqueue.worker.shutdown-timeout=5s",
				// the same arguments as the Celery app's queues (interop_app.py)
				"taskqueue.rabbitmq.queues[0].name=interop.prio", "taskqueue.rabbitmq.queues[0].max-priority=10",
				"taskqueue.rabbitmq.queues[1].name=interop.java.prio", "taskqueue.rabbitmq.queues[1].max-priority=10");

	@BeforeAll
	static void createVhost() {
		vhost = RabbitVhost.create("taskqueue-it-rabbit-celery");
	}

	@AfterAll
	static void deleteVhost() {
		vhost.delete();
	}

	@BeforeEach
	void emptyQueues() {
		recorded.clear();
		CachingConnectionFactory connectionFactory = vhost.connectionFactory();
		try {
			RabbitAdmin admin = new RabbitAdmin(connectionFactory);
			for (String queue : List.of("interop.celery", "interop.java", "interop.prio", "interop.java.prio",
					"py-late")) {
				admin.deleteQueue(queue);
			}
			admin.deleteExchange("py-late");
		}
		finally {
			connectionFactory.destroy();
		}
	}

	@Test
	void javaClientCeleryWorker() {
		javaClientCeleryWorker(this.runner, Map.of());
	}

	@Test
	void javaClientCeleryWorkerWithResultsInRedis() {
		flushRedis();
		javaClientCeleryWorker(withResultsInRedis(), Map.of("TQ_BACKEND", REDIS_URL));
	}

	@Test
	void celeryClientJavaWorkerWithResultsInRedis() {
		flushRedis();
		withResultsInRedis().run((context) -> assertCeleryClientResults(runClient("results", Map.of("TQ_BACKEND",
				REDIS_URL))));
	}

	private ApplicationContextRunner withResultsInRedis() {
		return this.runner
			.withConfiguration(AutoConfigurations.of(
					org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration.class))
			.withPropertyValues("taskqueue.result-backend=redis", "spring.data.redis.host=127.0.0.1",
					"spring.data.redis.port=6379", "spring.data.redis.database=" + REDIS_DB);
	}

	private static void flushRedis() {
		dev.taskqueue.redis.LocalRedis.flushed(REDIS_DB).destroy();
	}

	private static void javaClientCeleryWorker(ApplicationContextRunner runner, Map<String, String> env) {
		runner.withPropertyValues("taskqueue.worker.enabled=false").run((context) -> {
			Process worker = startCeleryWorker("interop.celery", "java-client", env);
			try {
				awaitConsumer(context.getBean(RabbitAdmin.class), "interop.celery");
				TaskClient client = context.getBean(TaskClient.class)
					.withOptions(SendOptions.defaults().withQueue("interop.celery"));
				assertThat(client.send("interop.add", List.of(2, 3), Map.of()).get(TIMEOUT)).isEqualTo(5);
				assertThat(client.send("interop.kwargs", List.of(), Map.of("a", 1, "b", "two")).get(TIMEOUT))
					.isEqualTo(Map.of("a", 1, "b", "two"));
				assertThatExceptionOfType(TaskFailedException.class)
					.isThrownBy(() -> client.send("interop.fail", List.of("boom"), Map.of()).get(TIMEOUT))
					.satisfies((ex) -> {
						assertThat(ex.getFailure().type()).isEqualTo("ValueError");
						assertThat(ex.getFailure().message()).isEqualTo("boom");
						assertThat(ex.getFailure().traceback()).contains("ValueError: boom");
					});
				long sent = System.currentTimeMillis();
				Object ran = client.withOptions(SendOptions.defaults().withCountdown(Duration.ofSeconds(2)))
					.send("interop.now", List.of(), Map.of())
					.get(TIMEOUT);
				assertThat(((Number) ran).longValue()).isGreaterThanOrEqualTo(sent + 2000);
			}
			finally {
				stop(worker);
			}
		});
	}

	@Test
	void aJavaClientSendsToAQueueOnlyACeleryWorkerConsumesBeforeThatWorkerHasDeclaredIt() {
		this.runner.withPropertyValues("taskqueue.worker.enabled=false").run((context) -> {
			TaskClient client = context.getBean(TaskClient.class)
				.withOptions(SendOptions.defaults().withQueue("py-late"));
			// nothing has declared py-late: the send declares it, as a Celery client would, and the task waits
			AsyncResult<Object> sum = client.send("interop.add", List.of(20, 22), Map.of());
			assertThat(context.getBean(RabbitAdmin.class).getQueueInfo("py-late").getMessageCount()).isOne();
			// the Celery worker starts afterwards and declares the queue its own way (a missing queue to it too):
			// the same declaration, so no PRECONDITION_FAILED, and it runs the waiting task
			Process worker = startCeleryWorker("py-late", "py-late", Map.of());
			try {
				assertThat(sum.get(TIMEOUT)).isEqualTo(42);
				assertThat(Files.readString(log("celery-worker-py-late").toPath())).doesNotContain("PRECONDITION_FAILED");
			}
			finally {
				stop(worker);
			}
		});
	}

	@Test
	void withCreateMissingQueuesOffASendToAQueueNobodyDeclaredFailsWithNoRoute() {
		this.runner.withPropertyValues("taskqueue.worker.enabled=false", "taskqueue.rabbitmq.create-missing-queues=false")
			.run((context) -> {
				TaskClient client = context.getBean(TaskClient.class)
					.withOptions(SendOptions.defaults().withQueue("py-late"));
				assertThatExceptionOfType(dev.taskqueue.broker.BrokerException.class)
					.isThrownBy(() -> client.send("interop.add", List.of(20, 22), Map.of()))
					.withMessageContaining("py-late")
					.withMessageContaining("NO_ROUTE");
				assertThat(context.getBean(RabbitAdmin.class).getQueueInfo("py-late")).isNull();
			});
	}

	@Test
	void javaClientPriorityOnACeleryWorker() {
		this.runner.withPropertyValues("taskqueue.worker.enabled=false").run((context) -> {
			TaskClient client = context.getBean(TaskClient.class);
			List<AsyncResult<Object>> results = new ArrayList<>();
			// all queued before the worker starts, so that the broker chooses the order
			for (int priority : new int[] { 1, 9, 5, 0, 7 }) {
				results.add(client.withOptions(SendOptions.defaults().withQueue("interop.prio").withPriority(priority))
					.send("interop.stamp", List.of("p" + priority), Map.of()));
			}
			Process worker = startCeleryWorker("interop.prio", "java-priority", Map.of());
			try {
				List<List<?>> stamps = new ArrayList<>();
				for (AsyncResult<Object> result : results) {
					stamps.add((List<?>) result.get(TIMEOUT));
				}
				stamps.sort(Comparator.comparingDouble((stamp) -> ((Number) stamp.get(1)).doubleValue()));
				assertThat(stamps).extracting((stamp) -> (Object) stamp.get(0)).containsExactly("p9", "p7", "p5", "p1", "p0");
			}
			finally {
				stop(worker);
			}
		});
	}

	@Test
	void celeryClientJavaWorker() {
		this.runner.run((context) -> assertCeleryClientResults(runClient("results", Map.of())));
	}

	private static void assertCeleryClientResults(JsonNode out) {
		{
			assertThat(out.get("add").asInt()).isEqualTo(5);
			assertThat(out.get("kwargs").asInt()).isEqualTo(42);
			assertThat(out.get("fail").get("state").asString()).isEqualTo("FAILURE");
			assertThat(out.get("fail").get("message").asString()).contains("boom");
			JsonNode countdown = out.get("countdown");
			assertThat(countdown.get("ran").asLong()).isGreaterThanOrEqualTo(countdown.get("sent").asLong() + 2000);
		}
	}

	@Test
	void celeryRevokesATaskOurWorkerHoldsAndOurWorkerAnswersAsCeleryDoes() {
		this.runner.run((context) -> {
			JsonNode out = runClient("revoke", Map.of());
			assertThat(out.get("state").asString()).isEqualTo("REVOKED");
			assertThat(out.get("error").asString()).isEqualTo("TaskRevokedError");
			assertThat(out.get("replies").valueStream().filter((reply) -> reply.has("interop-java")).toList())
				.singleElement()
				.satisfies((reply) -> assertThat(reply.path("interop-java").path("ok").asString())
					.endsWith("flagged as revoked"));
		});
	}

	@Test
	void ourRevocationReachesCeleryWorkers() {
		this.runner.withPropertyValues("taskqueue.worker.enabled=false").run((context) -> {
			Process worker = startCeleryWorker("interop.celery", "revoked", Map.of());
			try {
				awaitConsumer(context.getBean(RabbitAdmin.class), "interop.celery");
				TaskClient client = context.getBean(TaskClient.class)
					.withOptions(SendOptions.defaults().withQueue("interop.celery"));
				AsyncResult<Object> revoked = client.withOptions(SendOptions.defaults().withCountdown(Duration.ofSeconds(3)))
					.send("interop.stamp", List.of("revoked"), Map.of());
				context.getBean(TaskControl.class).revoke(revoked.id());
				// sent later and due later: once it ran, the Celery worker has passed the revoked task's eta
				AsyncResult<Object> after = client.withOptions(SendOptions.defaults().withCountdown(Duration.ofSeconds(4)))
					.send("interop.stamp", List.of("after"), Map.of());
				assertThat((List<?>) after.get(TIMEOUT)).first().isEqualTo("after");
				String log = Files.readString(log("celery-worker-revoked").toPath());
				assertThat(log).contains("Tasks flagged as revoked: " + revoked.id())
					.doesNotContain("interop.stamp[" + revoked.id() + "] succeeded");
			}
			finally {
				stop(worker);
			}
		});
	}

	@Test
	void celeryClientPriorityOnAJavaWorker() throws Exception {
		// the Celery client declares the priority queue and fills it before the Java worker starts
		assertThat(runClient("priority", Map.of()).get("sent").asInt()).isEqualTo(5);
		this.runner
			.withPropertyValues("taskqueue.worker.queues=interop.java.prio", "taskqueue.worker.concurrency=1",
					"taskqueue.worker.prefetch=1")
			.run((context) -> {
				await().atMost(TIMEOUT).until(() -> recorded.size() == 5);
				assertThat(recorded).containsExactly("p9", "p7", "p5", "p1", "p0");
			});
	}

	private static void awaitConsumer(RabbitAdmin admin, String queue) {
		await().atMost(TIMEOUT).until(() -> {
			var info = admin.getQueueInfo(queue);
			return info != null && info.getConsumerCount() > 0;
		});
	}

	private static Process startCeleryWorker(String queue, String name, Map<String, String> env) throws IOException {
		ProcessBuilder builder = new ProcessBuilder("/usr/bin/python3", "-m", "celery", "-A", "interop_app", "worker",
				"-Q", queue, "-c", "1", "-P", "solo", "-n", name + "@interop", "--without-gossip", "--without-mingle",
				"--without-heartbeat", "-l", "info")
			.directory(PYTHON.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log("celery-worker-" + name));
		builder.environment().put("TQ_BROKER", brokerUrl());
		builder.environment().putAll(env);
		return builder.start();
	}

	private static JsonNode runClient(String mode, Map<String, String> env) throws IOException, InterruptedException {
		File log = log("celery-client-" + mode);
		ProcessBuilder builder = new ProcessBuilder("/usr/bin/python3", "client.py", mode).directory(PYTHON.toFile())
			.redirectError(log);
		builder.environment().put("TQ_BROKER", brokerUrl());
		builder.environment().putAll(env);
		Process client = builder.start();
		String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(client.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
		assertThat(client.exitValue()).as("client.py %s exit code; stderr in %s", mode, log).isZero();
		String[] lines = output.trim().split("\n");
		return JsonMapper.builder().build().readTree(lines[lines.length - 1]);
	}

	private static void stop(Process worker) throws InterruptedException {
		// SIGTERM: Celery's warm shutdown
		worker.destroy();
		if (!worker.waitFor(20, TimeUnit.SECONDS)) {
			worker.destroyForcibly();
		}
	}

	private static String brokerUrl() {
		return "amqp://guest:guest@127.0.0.1:5672/" + vhost.name();
	}

	private static File log(String name) throws IOException {
		Path dir = Path.of("target", "interop-logs");
		Files.createDirectories(dir);
		return dir.resolve(name + ".log").toFile();
	}

	@Configuration(proxyBeanMethods = false)
	static class JavaTasks {

		@Bean
		Tasks interopJavaTasks() {
			return new Tasks();
		}

	}

	/**
	 * The RabbitMQ worker test's tasks, and one that records the order it ran in.
	 */
	public static class Tasks extends RabbitWorkerIT.Tasks {

		@Task("it.record")
		public String record(String tag) {
			recorded.add(tag);
			return tag;
		}

	}

}
