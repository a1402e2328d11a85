package dev.taskqueue.it;

import java.io.File;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.taskqueue.AsyncResult;
import dev.taskqueue.SendOptions;
import dev.taskqueue.TaskClient;
import dev.taskqueue.TaskFailedException;
import dev.taskqueue.TaskState;
import dev.taskqueue.control.TaskControl;
import dev.taskqueue.redis.LocalRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Real Celery 5.2 ({@code /usr/bin/python3}, Debian's python3-celery) and this starter share one Redis
 * database as broker and result backend: each sends to the other's worker and reads the other's results. The
 * Python side is {@code src/test/python/interop_celery.py}. Celery 5.2 also stands in for Celery 5.3+ where kombu
 * 5.3's typed JSON values are concerned: given them as dicts, it writes the same objects byte for byte.
 */
class CeleryRedisInteropIT {

	private static final Duration WAIT = Duration.ofSeconds(60);

	private static final File PYTHON_DIR = new File("src/test/python");

	private static final List<Process> processes = new ArrayList<>();

	private static final List<ConfigurableApplicationContext> applications = new ArrayList<>();

	private static TaskClient client;

	/** The client of a Java worker that writes kombu 5.3's typed values ({@code taskqueue.json.typed-values}). */
	private static TaskClient kombu53Client;

	private static TaskControl control;

	private static StringRedisTemplate redis;

	@BeforeAll
	static void start() throws IOException {
		LocalRedis.flushed(LocalRedis.CELERY_INTEROP_DB).destroy();
		ConfigurableApplicationContext java = startJavaWorker("interop-java", 2);
		kombu53Client = startJavaWorker("interop-java-kombu53", 1, "taskqueue.json.typed-values=kombu53")
			.getBean(TaskClient.class);
		client = java.getBean(TaskClient.class);
		control = java.getBean(TaskControl.class);
		redis = java.getBean(StringRedisTemplate.class);
		python("celery-worker", "worker", "interop-py", "py@interop");
	}

	@AfterAll
	static void stop() throws InterruptedException {
		for (Process process : processes) {
			process.destroy();
			if (!process.waitFor(20, TimeUnit.SECONDS)) {
				process.destroyForcibly();
			}
		}
		applications.forEach(ConfigurableApplicationContext::close);
	}

	@Test
	void celeryRunsOurTasksWithPositionalArgsAndKwargs() {
		TaskClient toPython = client.withOptions(SendOptions.defaults().withQueue("interop-py"));
		assertThat(toPython.send("interop.py.add", List.of(2, 3), Map.of()).get(WAIT)).isEqualTo(5);
		assertThat(toPython.send("interop.py.greet", List.of(), Map.of("name", "Ada", "greeting", "Hi")).get(WAIT))
			.isEqualTo("Hi, Ada!");
	}

	@Test
	void weSeeACeleryFailureWithItsTypeAndMessage() {
		TaskClient toPython = client.withOptions(SendOptions.defaults().withQueue("interop-py"));
		AsyncResult<Object> result = toPython.send("interop.py.fail", List.of("bad input"), Map.of());
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(WAIT)).satisfies((ex) -> {
			assertThat(ex.getFailure().type()).isEqualTo("ValueError");
			assertThat(ex.getFailure().message()).isEqualTo("bad input");
			assertThat(ex.getFailure().traceback()).contains("Traceback (most recent call last)");
		});
	}

	@Test
	void weSeeTheStateACeleryTaskReportsOfItsOwnWithItsMetaThenItsResult() {
		AsyncResult<Integer> result = client.withOptions(SendOptions.defaults().withQueue("interop-py"))
			.send("interop.py.progress", List.of("p1"), Map.of())
			.as(Integer.class);
		await().atMost(WAIT).until(result::status, "PROGRESS"::equals);
		assertThat(result.state()).isEqualTo(TaskState.CUSTOM);
		assertThat(result.ready()).isFalse();
		assertThat(result.info()).isEqualTo(Map.of("current", 3, "total", 10));
		assertThat(result.meta()).isEqualTo(Map.of("current", 3, "total", 10));
		redis.opsForValue().set("interop:progress-seen:p1", "yes");
		assertThat(result.get(WAIT)).isEqualTo(10);
		assertThat(result.status()).isEqualTo("SUCCESS");
	}

	@Test
	void celeryHonoursOurCountdown() {
		Instant sent = Instant.now();
		AsyncResult<Object> result = client
			.withOptions(SendOptions.defaults().withQueue("interop-py").withCountdown(Duration.ofSeconds(2)))
			.send("interop.py.add", List.of(40, 2), Map.of());
		assertThat(result.get(WAIT)).isEqualTo(42);
		assertThat(Instant.now()).isAfterOrEqualTo(sent.plusSeconds(2));
	}

	@Test
	void celeryConsumesOurPrioritiesInKombusOrder() throws IOException {
		for (int priority : List.of(9, 5, 0)) {
			client.withOptions(SendOptions.defaults().withQueue("interop-py-priority").withPriority(priority))
				.send("interop.py.record", List.of("p" + priority), Map.of());
		}
		python("celery-priority-worker", "worker", "interop-py-priority", "py-priority@interop");
		await().atMost(WAIT).until(() -> redis.opsForList().size("interop:order") == 3);
		assertThat(redis.opsForList().range("interop:order", 0, -1)).containsExactly("p0", "p5", "p9");
	}

	@Test
	void ourWorkerRunsCeleryTasksAndCeleryReadsOurResults() throws Exception {
		JsonNode seen = runPythonClient("celery-client", "client");
		assertThat(seen.path("add").asInt()).isEqualTo(5);
		assertThat(seen.path("greet").asString()).isEqualTo("Hi, Ada!");
		assertThat(seen.path("fail_state").asString()).isEqualTo("FAILURE");
		assertThat(seen.path("fail_type").asString()).isEqualTo("IllegalArgumentException");
		assertThat(seen.path("fail_message").asString()).isEqualTo("nope");
		assertThat(seen.path("countdown").asInt()).isEqualTo(42);
		assertThat(seen.path("countdown_elapsed").asDouble()).isGreaterThanOrEqualTo(1.9);
	}

	@Test
	void celeryRunsOurMsgpackYamlAndCompressedMessages() {
		TaskClient toPython = client.withOptions(SendOptions.defaults().withQueue("interop-py"));
		for (SendOptions options : List.of(SendOptions.defaults().withSerializer("msgpack"),
				SendOptions.defaults().withSerializer("yaml"), SendOptions.defaults().withCompression("zlib"),
				SendOptions.defaults().withCompression("bzip2"), SendOptions.defaults().withCompression("lzma"),
				SendOptions.defaults().withSerializer("msgpack").withCompression("gzip"))) {
			assertThat(toPython.withOptions(options).send("interop.py.add", List.of(20, 22), Map.of()).get(WAIT))
				.as("%s %s", options.serializer(), options.compression())
				.isEqualTo(42);
		}
	}

	@Test
	void ourWorkerRunsCeleryMsgpackYamlAndCompressedMessages() throws Exception {
		JsonNode seen = runPythonClient("celery-serializers", "serializers");
		for (String label : List.of("msgpack", "yaml", "zlib", "bzip2", "lzma", "msgpack_zlib")) {
			assertThat(seen.path(label).asInt()).as(label).isEqualTo(42);
		}
	}

	@Test
	void celeryRetriesATaskWeSent() {
		AsyncResult<Object> retried = client.withOptions(SendOptions.defaults().withQueue("interop-py"))
			.send("interop.py.flaky", List.of(2), Map.of());
		assertThat(retried.get(WAIT)).isEqualTo(2);
	}

	@Test
	void ourWorkerHonoursCeleryEtaExpiresAndRetriesCelerySentTasks() throws Exception {
		JsonNode seen = runPythonClient("celery-semantics", "semantics");
		assertThat(seen.path("eta").asInt()).isEqualTo(3);
		assertThat(seen.path("eta_elapsed").asDouble()).isGreaterThanOrEqualTo(1.9);
		assertThat(seen.path("expired_state").asString()).isEqualTo("REVOKED");
		assertThat(seen.path("expired_error").asString()).isEqualTo("TaskRevokedError");
		assertThat(seen.path("retried").asInt()).isEqualTo(2);
	}

	@Test
	void celeryRevokesATaskOurWorkerHoldsAndOurWorkerAnswersAsCeleryDoes() throws Exception {
		JsonNode seen = runPythonClient("celery-revocation", "revocation");
		assertThat(seen.path("state").asString()).isEqualTo("REVOKED");
		assertThat(seen.path("error").asString()).isEqualTo("TaskRevokedError");
		List<String> repliers = new ArrayList<>();
		seen.path("replies").forEach((reply) -> reply.propertyNames().forEach(repliers::add));
		assertThat(repliers).contains("java-interop-java", "py@interop");
		seen.path("replies").valueStream()
			.filter((reply) -> reply.has("java-interop-java"))
			.forEach((reply) -> assertThat(reply.path("java-interop-java").path("ok").asString())
				.endsWith("flagged as revoked"));
	}

	@Test
	void ourRevocationReachesCeleryWorkers() {
		TaskClient toPython = client.withOptions(SendOptions.defaults().withQueue("interop-py"));
		AsyncResult<Object> revoked = toPython.withOptions(SendOptions.defaults().withCountdown(Duration.ofSeconds(3)))
			.send("interop.py.note", List.of("revoked"), Map.of());
		control.revoke(revoked.id());
		// sent later and due later: once it ran, the Celery worker has passed the revoked task's eta
		AsyncResult<Object> after = toPython.withOptions(SendOptions.defaults().withCountdown(Duration.ofSeconds(4)))
			.send("interop.py.note", List.of("after"), Map.of());
		assertThat(after.get(WAIT)).isEqualTo("after");
		assertThat(redis.opsForList().range("interop:notes", 0, -1)).containsExactly("after");
		assertThat(revoked.state()).isEqualTo(TaskState.REVOKED);
	}

	@Test
	void ourWorkerConsumesCeleryPrioritiesInKombusOrder() throws Exception {
		Process publisher = python("celery-priority-publisher", "publish-priorities", "interop-java-priority");
		assertThat(publisher.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
		assertThat(publisher.exitValue()).isZero();
		startJavaWorker("interop-java-priority", 1);
		await().atMost(WAIT).until(() -> redis.opsForList().size("it:order") == 3);
		assertThat(redis.opsForList().range("it:order", 0, -1)).containsExactly("c0", "c5", "c9");
	}

	@Test
	void ourWorkerBindsTheTypedValuesCelery53SendsAndCelerySeesOurTypedResults() throws Exception {
		JsonNode seen = runPythonClient("celery-typed", "typed");
		assertThat(seen.path("bound").asString()).isEqualTo(String.join("|",
				"OffsetDateTime 2026-12-02T10:11:12.123456Z", "LocalDate 2026-12-02", "BigDecimal 1.10",
				"UUID 6f1c2a4e-8b3d-4c5f-9a7e-1d2b3c4d5e6f", "byte[] 636166c3a9", "byte[] ff0001",
				"LocalDateTime 2026-12-02T10:11:12", "LocalTime 10:11:12.000500"));
		// stored by a worker with taskqueue.json.typed-values=kombu53: Celery 5.2 sees each typed object as a dict
		assertThat(seen.path("typed_result")).isEqualTo(JsonMapper.builder().build().readTree("""
				{"when": {"__type__": "datetime", "__value__": "2026-12-02T10:11:12.123456+02:00"},
				 "naive": {"__type__": "datetime", "__value__": "2026-12-02T10:11:12.123456"},
				 "day": {"__type__": "date", "__value__": "2026-12-02"},
				 "at": {"__type__": "time", "__value__": "10:11:12"},
				 "amount": {"__type__": "decimal", "__value__": "1.10"},
				 "id": {"__type__": "uuid", "__value__": {"hex": "6f1c2a4e8b3d4c5f9a7e1d2b3c4d5e6f", "version": 4}},
				 "text": {"__type__": "bytes", "__value__": "caf\\u00e9"},
				 "binary": {"__type__": "base64", "__value__": "/wAB"}}
				"""));
		assertThat(seen.path("unknown_state").asString()).isEqualTo("FAILURE");
		assertThat(seen.path("unknown_message").asString()).contains("Unsupported type 'complex'");
	}

	@Test
	void weReadTheTypedValuesACelery53TaskReturnsAsValues() {
		AsyncResult<Object> result = client.withOptions(SendOptions.defaults().withQueue("interop-py"))
			.send("interop.py.typed", List.of(), Map.of());
		Map<?, ?> values = (Map<?, ?>) result.get(WAIT);
		assertThat(values.get("when")).isEqualTo(OffsetDateTime.parse("2026-12-02T10:11:12.123456Z"));
		assertThat(values.get("naive")).isEqualTo(LocalDateTime.parse("2026-12-02T10:11:12"));
		assertThat(values.get("day")).isEqualTo(LocalDate.of(2026, 12, 2));
		assertThat(values.get("at")).isEqualTo(LocalTime.parse("10:11:12.000500"));
		assertThat(values.get("amount")).isEqualTo(new BigDecimal("1.10"));
		assertThat(values.get("id")).isEqualTo(TypedJsonTasks.ID);
		assertThat((byte[]) values.get("text")).isEqualTo("café".getBytes(StandardCharsets.UTF_8));
		assertThat((byte[]) values.get("binary")).isEqualTo(new byte[] { (byte) 0xff, 0, 1 });
		assertThat(values.get("list")).isEqualTo(List.of(LocalDate.of(2026, 12, 3)));
		Stamp stamp = result.as(Stamp.class).get(WAIT);
		assertThat(stamp.when()).isEqualTo(Instant.parse("2026-12-02T10:11:12.123456Z"));
		assertThat(stamp.day()).isEqualTo(LocalDate.of(2026, 12, 2));
		assertThat(stamp.amount()).isEqualTo(new BigDecimal("1.10"));
		assertThat(stamp.id()).isEqualTo(TypedJsonTasks.ID);
	}

	@Test
	void withKombu53OurClientSendsTypedValuesThatCelery52SeesAsDicts() {
		AsyncResult<Object> result = kombu53Client.withOptions(SendOptions.defaults().withQueue("interop-py"))
			.send("interop.py.echo", List.of(TypedJsonTasks.WHEN, LocalDate.of(2026, 12, 2), new BigDecimal("1.10"),
					TypedJsonTasks.ID), Map.of());
		Map<?, ?> echoed = (Map<?, ?>) result.get(WAIT);
		assertThat(echoed.get("types")).isEqualTo(List.of("dict", "dict", "dict", "dict"));
		// Celery 5.2 writes the dicts back as they came, which we read as the values sent
		assertThat(echoed.get("args")).isEqualTo(List.of(TypedJsonTasks.WHEN, LocalDate.of(2026, 12, 2),
				new BigDecimal("1.10"), TypedJsonTasks.ID));
	}

	/** A result type for a Celery task's typed values. */
	record Stamp(Instant when, LocalDate day, BigDecimal amount, UUID id, List<LocalDate> list) {
	}

	private static ConfigurableApplicationContext startJavaWorker(String queue, int concurrency,
			String... properties) {
		ConfigurableApplicationContext application = new SpringApplicationBuilder(RedisWorkerApplication.class)
			.web(WebApplicationType.NONE)
			.properties("spring.data.redis.host=127.0.0.1", "spring.data.redis.database=" + LocalRedis.CELERY_INTEROP_DB,
					"taskqueue.broker=redis", "taskqueue.result-backend=redis", "taskqueue.default-queue=interop-java",
					"taskqueue.worker.queues=" + queue, "taskqueue.worker.concurrency=" + concurrency,
					"taskqueue.accept-content=json,msgpack,yaml",
					"taskqueue.worker.prefetch=" + concurrency, "taskqueue.worker.name=java-" + queue)
			.properties(properties)
			.run();
		applications.add(application);
		return application;
	}

	/**
	 * Run a Celery client command to its end and read the JSON document it printed last.
	 */
	private static JsonNode runPythonClient(String name, String command) throws Exception {
		Process process = python(name, command);
		assertThat(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
		String output = Files.readString(logFile(name).toPath());
		assertThat(process.exitValue()).as(output).isZero();
		String json = output.lines().filter((line) -> line.startsWith("{")).reduce((first, last) -> last).orElseThrow();
		return JsonMapper.builder().build().readTree(json);
	}

	private static Process python(String name, String... arguments) throws IOException {
		List<String> command = new ArrayList<>(List.of("/usr/bin/python3", "interop_celery.py"));
		command.addAll(List.of(arguments));
		ProcessBuilder builder = new ProcessBuilder(command).directory(PYTHON_DIR)
			.redirectErrorStream(true)
			.redirectOutput(logFile(name));
		builder.environment().put("INTEROP_REDIS_DB", String.valueOf(LocalRedis.CELERY_INTEROP_DB));
		Process process = builder.start();
		processes.add(process);
		return process;
	}

	private static File logFile(String name) {
		File directory = new File("target/worker-processes");
		directory.mkdirs();
		return new File(directory, "interop-" + name + ".log");
	}

}
