package dev.taskqueue.it;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.taskqueue.AsyncResult;
import dev.taskqueue.TaskFailedException;
import dev.taskqueue.canvas.CanvasClient;
import dev.taskqueue.canvas.Chain;
import dev.taskqueue.canvas.Chord;
import dev.taskqueue.canvas.Group;
import dev.taskqueue.canvas.GroupResult;
import dev.taskqueue.canvas.Signature;
import dev.taskqueue.redis.OwnRedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Celery's canvas across real Celery 5.2.6 and our workers on one Redis (broker and results), a server of the
 * test's own: chains, chords and groups whose steps run on both sides, link_error from both sides, and results each
 * side reads of the other's workflows. The Python side is {@code src/test/python/canvas/canvas_celery.py}.
 */
class CeleryCanvasRedisInteropIT {

	private static final Duration WAIT = Duration.ofSeconds(60);

	private static final File PYTHON_DIR = new File("src/test/python/canvas");

	private static final List<Process> processes = new ArrayList<>();

	private static OwnRedisServer server;

	private static ConfigurableApplicationContext java;

	private static CanvasClient client;

	private static StringRedisTemplate redis;

	private static Process celeryWorker;

	@BeforeAll
	static void start() throws IOException {
		server = OwnRedisServer.start();
		java = new SpringApplicationBuilder(RedisWorkerApplication.class).web(WebApplicationType.NONE)
			.properties("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + server.port(),
					"taskqueue.broker=redis", "taskqueue.result-backend=redis", "taskqueue.default-queue=canvas-java",
					"taskqueue.worker.queues=canvas-java", "taskqueue.worker.concurrency=4",
					"taskqueue.worker.name=java-canvas", "taskqueue.routes[0].pattern=canvas.py.*",
					"taskqueue.routes[0].queue=canvas-py")
			.run();
		client = java.getBean(CanvasClient.class);
		redis = java.getBean(StringRedisTemplate.class);
		celeryWorker = python("celery-worker", "worker", "py@canvas");
	}

	@AfterAll
	static void stop() throws InterruptedException {
		for (Process process : processes) {
			process.destroy();
			if (!process.waitFor(20, TimeUnit.SECONDS)) {
				process.destroyForcibly();
			}
		}
		if (java != null) {
			java.close();
		}
		server.close();
	}

	@BeforeEach
	void celeryIsRunning() {
		assertThat(celeryWorker.isAlive()).as("the Celery worker (see %s)", logFile("celery-worker")).isTrue();
		CanvasTasks.ERRORS.clear();
	}

	@Test
	void aCeleryChainRunsItsMiddleStepOnOurWorker() throws Exception {
		JsonNode seen = runPython("python-chain");
		assertThat(seen.path("result").asInt()).isEqualTo(35);
		assertThat(seen.path("parent").asInt()).isEqualTo(30);
	}

	@Test
	void ourChainRunsItsMiddleStepOnCeleryAndCeleryReadsItsEnd() throws Exception {
		AsyncResult<Object> result = client.send(Chain.of(Signature.of("canvas.java.add", 1, 2),
				Signature.of("canvas.py.mul", 10), Signature.of("canvas.java.add", 5)));
		assertThat(get(result)).isEqualTo(35);
		AsyncResult<Object> middle = result.parent().orElseThrow();
		assertThat(get(middle)).isEqualTo(30);
		assertThat(middle.children()).extracting(AsyncResult::id).containsExactly(result.id());

		JsonNode seen = runPython("read-chain", result.id());
		assertThat(seen.path("result").asInt()).isEqualTo(35);
		assertThat(seen.path("parent_id").asString()).isEqualTo(middle.id());
	}

	@Test
	void aChordWithOurHeaderGivesItsResultsToACeleryBody() {
		List<Signature<Object>> squares = new ArrayList<>();
		for (int i = 1; i <= 5; i++) {
			squares.add(Signature.of("canvas.java.square", i));
		}
		AsyncResult<Object> total = client.send(Chord.of(Group.of(squares), Signature.of("canvas.py.tsum")));
		assertThat(get(total)).isEqualTo(55);
	}

	@Test
	void aChordWithAHeaderOnBothSidesIsJoinedOnceAcrossCeleryAndUs() {
		List<Signature<Object>> squares = new ArrayList<>();
		for (int i = 1; i <= 10; i++) {
			squares.add(Signature.of((i % 2 == 0) ? "canvas.java.square" : "canvas.py.square", i));
		}
		AsyncResult<Object> total = client.send(Chord.of(Group.of(squares), Signature.of("canvas.java.tsum")));
		assertThat(get(total)).isEqualTo(385);
	}

	@Test
	void celeryChordsWithACeleryOrMixedHeaderGiveTheirResultsToOurBody() throws Exception {
		JsonNode seen = runPython("python-chord");
		assertThat(seen.path("python_header").asInt()).isEqualTo(55);
		assertThat(seen.path("mixed").asInt()).isEqualTo(385);
	}

	@Test
	void aCeleryHeaderTaskThatFailsFailsOurChordBodyWithChordError() {
		AsyncResult<Object> total = client.send(Chord.of(
				Group.of(Signature.of("canvas.py.fail", "boom"), Signature.of("canvas.java.square", 2)),
				Signature.of("canvas.java.tsum")));
		await().atMost(WAIT).failFast("the Celery worker died", () -> !celeryWorker.isAlive()).until(total::ready);
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> total.get(WAIT)).satisfies((ex) -> {
			assertThat(ex.getFailure().type()).isEqualTo("celery.exceptions.ChordError");
			assertThat(ex.getFailure().message()).contains("raised ValueError('boom')");
		});
	}

	@Test
	void celerysLinkErrorOnOurTasksIsSentOrCalledHereAsCeleryWould() throws Exception {
		JsonNode seen = runPython("link-error");
		assertThat(seen.path("state").asString()).isEqualTo("FAILURE");
		assertThat(seen.path("type").asString()).isEqualTo("IllegalStateException");
		// the Celery errback is no task of ours: sent to Celery with the failed task's id
		await().atMost(WAIT)
			.until(() -> redis.opsForList().range("canvas:errors", 0, -1),
					(errors) -> errors.contains("py-old:" + seen.path("old").asString()));
		// ours takes request, failure and traceback: called in our worker, nothing sent
		assertThat(CanvasTasks.ERRORS)
			.contains("java-new:" + seen.path("new").asString() + ":java.lang.IllegalStateException");
	}

	@Test
	void ourLinkErrorOnCeleryTasksIsSentToUsOrCalledInCelery() {
		AsyncResult<Object> toUs = client
			.send(Signature.of("canvas.py.fail", "boom").onError(Signature.of("canvas.java.on_error_old")));
		AsyncResult<Object> inCelery = client
			.send(Signature.of("canvas.py.fail", "bang").onError(Signature.of("canvas.py.on_error")));
		await().atMost(WAIT)
			.failFast("the Celery worker died", () -> !celeryWorker.isAlive())
			.until(() -> CanvasTasks.ERRORS.contains("java-old:" + toUs.id()));
		await().atMost(WAIT)
			.until(() -> redis.opsForList().range("canvas:errors", 0, -1),
					(errors) -> errors.contains("py-new:" + inCelery.id() + ":ValueError"));
	}

	@Test
	void aGroupOfAThousandTasksOnBothSidesIsReadByCeleryAndUs() throws Exception {
		List<Signature<Object>> adds = new ArrayList<>();
		long expected = 0;
		for (int i = 0; i < 1000; i++) {
			adds.add(Signature.of((i % 2 == 0) ? "canvas.java.add" : "canvas.py.add", i, i));
			expected += 2L * i;
		}
		GroupResult ours = client.send(Group.of(adds)).save();
		List<Object> values = ours.join(WAIT);
		assertThat(values).hasSize(1000);
		assertThat(values.subList(0, 4)).containsExactly(0, 2, 4, 6);
		assertThat(ours.completedCount()).isEqualTo(1000);
		JsonNode seen = runPython("restore-group", ours.id());
		assertThat(seen.path("count").asInt()).isEqualTo(1000);
		assertThat(seen.path("sum").asLong()).isEqualTo(expected);
		assertThat(seen.path("completed").asInt()).isEqualTo(1000);

		JsonNode celerys = runPython("python-group", "1000");
		GroupResult restored = client.restoreGroup(celerys.path("id").asString());
		assertThat(restored.results()).hasSize(1000);
		assertThat(restored.join(WAIT).stream().mapToLong((value) -> ((Number) value).longValue()).sum())
			.isEqualTo(celerys.path("sum").asLong())
			.isEqualTo(expected);
		assertThat(restored.ready()).isTrue();
	}

	private static Object get(AsyncResult<Object> result) {
		await().atMost(WAIT).failFast("the Celery worker died", () -> !celeryWorker.isAlive()).until(result::ready);
		return result.get(WAIT);
	}

	/**
	 * Run a Celery client scenario to its end and read the JSON document it printed last.
	 */
	private static JsonNode runPython(String scenario, String... arguments) throws Exception {
		List<String> command = new ArrayList<>(List.of(scenario));
		command.addAll(List.of(arguments));
		String name = "celery-" + scenario;
		Process process = python(name, command.toArray(String[]::new));
		assertThat(process.waitFor(WAIT.toSeconds() + 30, TimeUnit.SECONDS)).as("%s ended", scenario).isTrue();
		String output = Files.readString(logFile(name).toPath());
		assertThat(process.exitValue()).as(output).isZero();
		String json = output.lines().filter((line) -> line.startsWith("{")).reduce((first, last) -> last).orElseThrow();
		return JsonMapper.builder().build().readTree(json);
	}

	private static Process python(String name, String... arguments) throws IOException {
		List<String> command = new ArrayList<>(List.of("/usr/bin/python3", "canvas_celery.py"));
		command.addAll(List.of(arguments));
		ProcessBuilder builder = new ProcessBuilder(command).directory(PYTHON_DIR)
			.redirectErrorStream(true)
			.redirectOutput(logFile(name));
		String url = "redis://127.0.0.1:" + server.port() + "/0";
		builder.environment().put("CANVAS_BROKER", url);
		builder.environment().put("CANVAS_BACKEND", url);
		builder.environment().put("CANVAS_REDIS", url);
		Process process = builder.start();
		processes.add(process);
		return process;
	}

	private static File logFile(String name) {
		File directory = new File("target/worker-processes");
		directory.mkdirs();
		return new File(directory, "canvas-redis-" + name + ".log");
	}

}
