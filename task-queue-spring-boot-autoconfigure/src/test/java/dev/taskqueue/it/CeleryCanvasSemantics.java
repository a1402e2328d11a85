package dev.taskqueue.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

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
 * Celery's canvas across real Celery 5.2.6 and our workers, results in Redis (a server of the test's own), for
 * each broker (a subclass per broker): chains, chords and groups whose steps run on both sides, link_error from both
 * sides, and results each side reads of the other's workflows. The Python side is
 * {@code src/test/python/canvas/canvas_celery.py}; its worker consumes {@code canvas-py}, ours {@code canvas-java}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class CeleryCanvasSemantics {

	protected static final Duration WAIT = Duration.ofSeconds(60);

	private OwnRedisServer server;

	private ConfigurableApplicationContext java;

	private CanvasClient client;

	private StringRedisTemplate redis;

	private CeleryCanvasPeer celery;

	/**
	 * Start our worker and client on the broker, results in the given Redis, with Celery's tasks routed to
	 * {@code canvas-py}.
	 * @param redisPort the port of the Redis of results
	 * @param properties the properties every variant sets
	 * @return the application
	 */
	protected abstract ConfigurableApplicationContext startJava(int redisPort, String... properties);

	/**
	 * The broker URL Celery uses.
	 * @param redisPort the port of the Redis of results
	 * @return the URL
	 */
	protected abstract String celeryBroker(int redisPort);

	/**
	 * What the log files are named after.
	 * @return the name
	 */
	protected abstract String name();

	/**
	 * Release what the broker needed, once the workers have stopped.
	 */
	protected void stopped() {
	}

	@BeforeAll
	void start() {
		this.server = OwnRedisServer.start();
		this.java = startJava(this.server.port(), "spring.data.redis.host=127.0.0.1",
				"spring.data.redis.port=" + this.server.port(), "taskqueue.result-backend=redis",
				"taskqueue.default-queue=canvas-java", "taskqueue.worker.queues=canvas-java",
				"taskqueue.worker.concurrency=4", "taskqueue.worker.name=java-canvas",
				"taskqueue.routes[0].pattern=canvas.py.*", "taskqueue.routes[0].queue=canvas-py");
		this.client = this.java.getBean(CanvasClient.class);
		this.redis = this.java.getBean(StringRedisTemplate.class);
		String results = "redis://127.0.0.1:" + this.server.port() + "/0";
		this.celery = new CeleryCanvasPeer(name(), celeryBroker(this.server.port()), results, results, WAIT)
			.startWorker();
	}

	@AfterAll
	void stop() throws InterruptedException {
		if (this.celery != null) {
			this.celery.close();
		}
		if (this.java != null) {
			this.java.close();
		}
		this.server.close();
		stopped();
	}

	@BeforeEach
	void celeryIsRunning() {
		assertThat(this.celery.workerAlive()).as("the Celery worker (see %s)", this.celery.workerLog()).isTrue();
		CanvasTasks.ERRORS.clear();
	}

	@Test
	void aCeleryChainRunsItsMiddleStepOnOurWorker() throws Exception {
		JsonNode seen = this.celery.run("python-chain");
		assertThat(seen.path("result").asInt()).isEqualTo(35);
		assertThat(seen.path("parent").asInt()).isEqualTo(30);
	}

	@Test
	void ourChainRunsItsMiddleStepOnCeleryAndCeleryReadsItsEnd() throws Exception {
		AsyncResult<Object> result = this.client.send(Chain.of(Signature.of("canvas.java.add", 1, 2),
				Signature.of("canvas.py.mul", 10), Signature.of("canvas.java.add", 5)));
		assertThat(get(result)).isEqualTo(35);
		AsyncResult<Object> middle = result.parent().orElseThrow();
		assertThat(get(middle)).isEqualTo(30);
		assertThat(middle.children()).extracting(AsyncResult::id).containsExactly(result.id());

		JsonNode seen = this.celery.run("read-chain", result.id());
		assertThat(seen.path("result").asInt()).isEqualTo(35);
		assertThat(seen.path("parent_id").asString()).isEqualTo(middle.id());
	}

	@Test
	void aChordWithOurHeaderGivesItsResultsToACeleryBody() {
		List<Signature<Object>> squares = new ArrayList<>();
		for (int i = 1; i <= 5; i++) {
			squares.add(Signature.of("canvas.java.square", i));
		}
		AsyncResult<Object> total = this.client.send(Chord.of(Group.of(squares), Signature.of("canvas.py.tsum")));
		assertThat(get(total)).isEqualTo(55);
	}

	@Test
	void aChordWithAHeaderOnBothSidesIsJoinedOnceAcrossCeleryAndUs() {
		List<Signature<Object>> squares = new ArrayList<>();
		for (int i = 1; i <= 10; i++) {
			squares.add(Signature.of((i % 2 == 0) ? "canvas.java.square" : "canvas.py.square", i));
		}
		AsyncResult<Object> total = this.client.send(Chord.of(Group.of(squares), Signature.of("canvas.java.tsum")));
		assertThat(get(total)).isEqualTo(385);
	}

	@Test
	void celeryChordsWithACeleryOrMixedHeaderGiveTheirResultsToOurBody() throws Exception {
		JsonNode seen = this.celery.run("python-chord");
		assertThat(seen.path("python_header").asInt()).isEqualTo(55);
		assertThat(seen.path("mixed").asInt()).isEqualTo(385);
	}

	@Test
	void aCeleryHeaderTaskThatFailsFailsOurChordBodyWithChordError() {
		AsyncResult<Object> total = this.client.send(Chord.of(
				Group.of(Signature.of("canvas.py.fail", "boom"), Signature.of("canvas.java.square", 2)),
				Signature.of("canvas.java.tsum")));
		await().atMost(WAIT).failFast("the Celery worker died", () -> !this.celery.workerAlive()).until(total::ready);
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> total.get(WAIT)).satisfies((ex) -> {
			assertThat(ex.getFailure().type()).isEqualTo("celery.exceptions.ChordError");
			assertThat(ex.getFailure().message()).contains("raised ValueError('boom')");
		});
	}

	@Test
	void celerysLinkErrorOnOurTasksIsSentOrCalledHereAsCeleryWould() throws Exception {
		JsonNode seen = this.celery.run("link-error");
		assertThat(seen.path("state").asString()).isEqualTo("FAILURE");
		assertThat(seen.path("type").asString()).isEqualTo("IllegalStateException");
		// the Celery errback is no task of ours: sent to Celery with the failed task's id
		await().atMost(WAIT)
			.until(() -> this.redis.opsForList().range("canvas:errors", 0, -1),
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
			.failFast("the Celery worker died", () -> !this.celery.workerAlive())
			.until(() -> CanvasTasks.ERRORS.contains("java-old:" + toUs.id()));
		await().atMost(WAIT)
			.until(() -> this.redis.opsForList().range("canvas:errors", 0, -1),
					(errors) -> errors.contains("py-new:" + inCelery.id() + ":ValueError"));
	}

	@Test
	void ourMapOfACeleryTaskRunsInCeleryAndOursInOurWorker() {
		AsyncResult<List<Object>> celerys = this.client
			.send(Signature.map(Signature.of("canvas.py.square"), List.of(1, 2, 3)));
		AsyncResult<List<Object>> ours = this.client
			.send(Signature.starmap(Signature.of("canvas.java.add"), List.of(List.of(1, 2), List.of(3, 4))));
		await().atMost(WAIT).failFast("the Celery worker died", () -> !this.celery.workerAlive()).until(celerys::ready);
		assertThat(celerys.get(WAIT)).containsExactly(1, 4, 9);
		assertThat(ours.get(WAIT)).containsExactly(3, 7);
	}

	@Test
	void celerysMapAndChunksOfOurTaskRunInOurWorker() throws Exception {
		JsonNode seen = this.celery.run("java-map");
		assertThat(seen.path("map").toString()).isEqualTo("[1,4,9]");
		assertThat(seen.path("chunks").toString()).isEqualTo("[[2,4],[6]]");
	}

	@Test
	void aGroupOfAThousandTasksOnBothSidesIsReadByCeleryAndUs() throws Exception {
		List<Signature<Object>> adds = new ArrayList<>();
		long expected = 0;
		for (int i = 0; i < 1000; i++) {
			adds.add(Signature.of((i % 2 == 0) ? "canvas.java.add" : "canvas.py.add", i, i));
			expected += 2L * i;
		}
		GroupResult ours = this.client.send(Group.of(adds)).save();
		List<Object> values = ours.join(WAIT);
		assertThat(values).hasSize(1000);
		assertThat(values.subList(0, 4)).containsExactly(0, 2, 4, 6);
		assertThat(ours.completedCount()).isEqualTo(1000);
		JsonNode seen = this.celery.run("restore-group", ours.id());
		assertThat(seen.path("count").asInt()).isEqualTo(1000);
		assertThat(seen.path("sum").asLong()).isEqualTo(expected);
		assertThat(seen.path("completed").asInt()).isEqualTo(1000);

		JsonNode celerys = this.celery.run("python-group", "1000");
		GroupResult restored = this.client.restoreGroup(celerys.path("id").asString());
		assertThat(restored.results()).hasSize(1000);
		assertThat(restored.join(WAIT).stream().mapToLong((value) -> ((Number) value).longValue()).sum())
			.isEqualTo(celerys.path("sum").asLong())
			.isEqualTo(expected);
		assertThat(restored.ready()).isTrue();
	}

	private Object get(AsyncResult<Object> result) {
		await().atMost(WAIT).failFast("the Celery worker died", () -> !this.celery.workerAlive()).until(result::ready);
		return result.get(WAIT);
	}

}
