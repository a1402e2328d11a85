package dev.taskqueue.sqs;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.SendOptions;
import dev.taskqueue.Task;
import dev.taskqueue.TaskClient;
import dev.taskqueue.TaskFailedException;
import dev.taskqueue.autoconfigure.TaskQueueAutoConfiguration;
import dev.taskqueue.redis.OwnRedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Interoperability with real Celery 5.2.6 on kombu 5.2.4's SQS transport (Debian's python3-celery, python3-boto3
 * and python3-pycurl), both ways, against an ElasticMQ server of the test's own: a Java client and a Celery worker,
 * a Celery client and a Java worker; results in a Redis server of the test's own (Celery has no SQS result
 * backend). The Python side is in {@code src/test/python/sqs}.
 */
class CelerySqsInteropIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private static final String PREFIX = "tq-";

	private static final Path PYTHON = Path.of("src/test/python/sqs").toAbsolutePath();

	private static ElasticMqServer sqs;

	private static OwnRedisServer redis;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, TaskQueueAutoConfiguration.class))
		.withUserConfiguration(JavaTasks.class)
		.withBean(SqsClient.class, () -> sqs.client())
		.withPropertyValues("taskqueue.broker=sqs", "taskqueue.sqs.wait-time=1s", "taskqueue.result-backend=redis",
				"spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + redis.port(),
				"taskqueue.default-queue=interop.java", "taskqueue.worker.name=interop-java",
				// both sides put it before the queue names, then name them as kombu does: tq-interop-java
				"taskqueue.sqs.queue-name-prefix=" + PREFIX,
				"taskqueue.worker.shutdown-timeout=5s");

	@BeforeAll
	static void startServers() {
		sqs = ElasticMqServer.start();
		redis = OwnRedisServer.start();
	}

	@AfterAll
	static void stopServers() {
		sqs.close();
		redis.close();
	}

	@Test
	void aJavaClientSendsTasksACeleryWorkerRuns() {
		this.runner.withPropertyValues("taskqueue.worker.enabled=false").run((context) -> {
			Process worker = startCeleryWorker("interop.celery", "java-client");
			try {
				TaskClient client = context.getBean(TaskClient.class)
					.withOptions(SendOptions.defaults().withQueue("interop.celery"));
				assertThat(client.send("interop.add", List.of(2, 3), Map.of()).get(TIMEOUT)).isEqualTo(5);
				assertThat(client.send("interop.kwargs", List.of(), Map.of("a", 1, "b", "two")).get(TIMEOUT))
					.isEqualTo(Map.of("a", 1, "b", "two"));
				assertThatExceptionOfType(TaskFailedException.class)
					.isThrownBy(() -> client.send("interop.fail", List.of("boom"), Map.of()).get(TIMEOUT))
					.satisfies((ex) -> assertThat(ex.getFailure().type()).isEqualTo("ValueError"));
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
	void aCeleryClientSendsTasksAJavaWorkerRuns() {
		this.runner.withPropertyValues("taskqueue.worker.queues=interop.java").run((context) -> {
			JsonNode results = runClient("results");
			assertThat(results.get("sum").asInt()).isEqualTo(42);
			assertThat(results.get("echo").asString()).isEqualTo("h\u00e9llo");
			// sent with countdown=2: run no earlier
			assertThat(results.get("later_ms").asLong()).isGreaterThanOrEqualTo(2000);
			assertThat(context.getBean(SqsClient.class).getQueueUrl((request) -> request.queueName("tq-interop-java")).queueUrl())
				.endsWith("/tq-interop-java");
		});
	}

	private static Process startCeleryWorker(String queue, String name) throws IOException {
		ProcessBuilder builder = new ProcessBuilder("/usr/bin/python3", "-m", "celery", "-A", "interop_app", "worker",
				"-Q", queue, "-c", "1", "-P", "solo", "-n", name + "@interop", "--without-gossip", "--without-mingle",
				"--without-heartbeat", "-l", "info")
			.directory(PYTHON.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log("celery-sqs-worker-" + name));
		environment(builder);
		return builder.start();
	}

	private static JsonNode runClient(String mode) throws IOException, InterruptedException {
		File log = log("celery-sqs-client-" + mode);
		ProcessBuilder builder = new ProcessBuilder("/usr/bin/python3", "client.py", mode).directory(PYTHON.toFile())
			.redirectError(log);
		environment(builder);
		Process client = builder.start();
		String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(client.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
		assertThat(client.exitValue()).as("client.py %s exit code; stderr in %s", mode, log).isZero();
		String[] lines = output.trim().split("\n");
		return JsonMapper.builder().build().readTree(lines[lines.length - 1]);
	}

	private static void environment(ProcessBuilder builder) {
		builder.environment().put("TQ_BROKER", "sqs://x:x@127.0.0.1:" + sqs.port());
		builder.environment().put("TQ_BACKEND", "redis://127.0.0.1:" + redis.port() + "/0");
		builder.environment().put("TQ_PREFIX", PREFIX);
	}

	private static void stop(Process worker) throws InterruptedException {
		// SIGTERM: Celery's warm shutdown
		worker.destroy();
		if (!worker.waitFor(20, TimeUnit.SECONDS)) {
			worker.destroyForcibly();
		}
	}

	private static File log(String name) throws IOException {
		Path dir = Path.of("target", "interop-logs");
		Files.createDirectories(dir);
		return dir.resolve(name + ".log").toFile();
	}

	@Configuration(proxyBeanMethods = false)
	static class JavaTasks {

		@Bean
		Tasks sqsInteropTasks() {
			return new Tasks();
		}

	}

	/**
	 * The tasks the Celery client sends to the Java worker.
	 */
	public static class Tasks {

		@Task("it.add")
		public int add(int x, int y) {
			return x + y;
		}

		@Task("it.echo")
		public String echo(String text) {
			return text;
		}

		@Task("it.now")
		public long now() {
			return System.currentTimeMillis();
		}

	}

}
