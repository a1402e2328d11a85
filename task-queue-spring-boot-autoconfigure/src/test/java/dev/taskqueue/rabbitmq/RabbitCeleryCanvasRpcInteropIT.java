package dev.taskqueue.rabbitmq;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.taskqueue.AsyncResult;
import dev.taskqueue.canvas.CanvasClient;
import dev.taskqueue.canvas.Chain;
import dev.taskqueue.canvas.Chord;
import dev.taskqueue.canvas.Group;
import dev.taskqueue.canvas.GroupResult;
import dev.taskqueue.canvas.Signature;
import dev.taskqueue.it.CanvasTasks;
import dev.taskqueue.it.CeleryCanvasPeer;
import dev.taskqueue.it.RedisWorkerApplication;
import dev.taskqueue.redis.OwnRedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Celery's canvas across real Celery 5.2.6 and our workers on RabbitMQ with Celery's {@code rpc://} results, as far
 * as Celery supports it there: chains (every step replies to the client that sent the chain, the {@code reply_to}
 * each step carries), link_error and groups both ways; chords refused by both sides, as Celery refuses them, and a
 * group that cannot be saved. A Redis of the test's own holds only the Celery errbacks' traces.
 */
class RabbitCeleryCanvasRpcInteropIT {

	private static final Duration WAIT = Duration.ofSeconds(60);

	private static RabbitVhost vhost;

	private static OwnRedisServer traces;

	private static LettuceConnectionFactory tracesConnection;

	private static ConfigurableApplicationContext java;

	private static CanvasClient client;

	private static CeleryCanvasPeer celery;

	@BeforeAll
	static void start() {
		vhost = RabbitVhost.create("taskqueue-it-rabbit-canvas-rpc");
		traces = OwnRedisServer.start();
		tracesConnection = traces.connectionFactory();
		java = new SpringApplicationBuilder(RedisWorkerApplication.class).web(WebApplicationType.NONE)
			.properties("spring.rabbitmq.host=127.0.0.1", "spring.rabbitmq.port=5672", "spring.rabbitmq.username=guest",
					"spring.rabbitmq.password=guest", "spring.rabbitmq.virtual-host=" + vhost.name(),
					"spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + traces.port(),
					"taskqueue.broker=rabbitmq", "taskqueue.result-backend=rpc", "taskqueue.default-queue=canvas-java",
					"taskqueue.worker.queues=canvas-java", "taskqueue.worker.concurrency=4",
					"taskqueue.worker.name=java-canvas-rpc", "taskqueue.worker.shutdown-timeout=2s",
					"taskqueue.routes[0].pattern=canvas.py.*", "taskqueue.routes[0].queue=canvas-py")
			.run();
		client = java.getBean(CanvasClient.class);
		celery = new CeleryCanvasPeer("rpc", "amqp://guest:guest@127.0.0.1:5672/" + vhost.name(), "rpc://",
				"redis://127.0.0.1:" + traces.port() + "/0", WAIT)
			.startWorker();
	}

	@AfterAll
	static void stop() throws InterruptedException {
		if (celery != null) {
			celery.close();
		}
		if (java != null) {
			java.close();
		}
		tracesConnection.destroy();
		traces.close();
		vhost.delete();
	}

	@BeforeEach
	void celeryIsRunning() {
		assertThat(celery.workerAlive()).as("the Celery worker (see %s)", celery.workerLog()).isTrue();
		CanvasTasks.ERRORS.clear();
	}

	@Test
	void aCeleryChainRunsItsMiddleStepOnOurWorkerWhichRepliesToCelery() throws Exception {
		JsonNode seen = celery.run("python-chain");
		assertThat(seen.path("result").asInt()).isEqualTo(35);
		assertThat(seen.path("parent").asInt()).isEqualTo(30);
	}

	@Test
	void ourChainRunsItsMiddleStepOnCeleryAndEveryStepRepliesToUs() {
		AsyncResult<Object> result = client.send(Chain.of(Signature.of("canvas.java.add", 1, 2),
				Signature.of("canvas.py.mul", 10), Signature.of("canvas.java.add", 5)));
		assertThat(get(result)).isEqualTo(35);
		assertThat(get(result.parent().orElseThrow())).isEqualTo(30);
	}

	@Test
	void linkErrorWorksBothWays() throws Exception {
		JsonNode seen = celery.run("link-error");
		assertThat(seen.path("state").asString()).isEqualTo("FAILURE");
		assertThat(CanvasTasks.ERRORS)
			.contains("java-new:" + seen.path("new").asString() + ":java.lang.IllegalStateException");
		AsyncResult<Object> toUs = client
			.send(Signature.of("canvas.py.fail", "boom").onError(Signature.of("canvas.java.on_error_old")));
		await().atMost(WAIT)
			.failFast("the Celery worker died", () -> !celery.workerAlive())
			.until(() -> CanvasTasks.ERRORS.contains("java-old:" + toUs.id()));
		StringRedisTemplate redis = new StringRedisTemplate(tracesConnection);
		await().atMost(WAIT)
			.until(() -> redis.opsForList().range("canvas:errors", 0, -1),
					(errors) -> errors.contains("py-old:" + seen.path("old").asString()));
	}

	@Test
	void groupsOfBothSidesTasksAreReadByTheClientThatSentThem() throws Exception {
		List<Signature<Object>> adds = new ArrayList<>();
		long expected = 0;
		for (int i = 0; i < 1000; i++) {
			adds.add(Signature.of((i % 2 == 0) ? "canvas.java.add" : "canvas.py.add", i, i));
			expected += 2L * i;
		}
		GroupResult ours = client.send(Group.of(adds));
		assertThat(ours.join(WAIT).stream().mapToLong((value) -> ((Number) value).longValue()).sum())
			.isEqualTo(expected);
		// as Celery's rpc: a group's results reach only its sender, so it cannot be saved for others
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(ours::save);

		JsonNode celerys = celery.run("python-group", "1000", "nosave");
		assertThat(celerys.path("count").asInt()).isEqualTo(1000);
		assertThat(celerys.path("sum").asLong()).isEqualTo(expected);
	}

	@Test
	void chordsAreRefusedByBothSidesAsCeleryRefusesThem() throws Exception {
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> client.send(Chord.of(Group.of(Signature.of("canvas.java.square", 2)),
					Signature.of("canvas.py.tsum"))))
			.satisfies((ex) -> assertThat(celery.run("chord-refused").path("message").asString())
				.startsWith(ex.getMessage()));
	}

	private static Object get(AsyncResult<Object> result) {
		await().atMost(WAIT).failFast("the Celery worker died", () -> !celery.workerAlive()).until(result::ready);
		return result.get(WAIT);
	}

}
