package dev.taskqueue.it;

import java.time.Duration;
import java.util.concurrent.CyclicBarrier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.taskqueue.AsyncResult;
import dev.taskqueue.canvas.CanvasClient;
import dev.taskqueue.canvas.Chord;
import dev.taskqueue.canvas.Group;
import dev.taskqueue.canvas.Signature;
import dev.taskqueue.redis.OwnRedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two workers, each with one thread and one message at a time, run the two header tasks of a chord, which finish
 * at the same moment (they meet at a barrier): the chord's body runs once, every time, over many chords. On a Redis
 * of the test's own.
 */
class RedisChordRaceIT {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static OwnRedisServer server;

	private static ConfigurableApplicationContext workerA;

	private static ConfigurableApplicationContext workerB;

	@BeforeAll
	static void start() {
		server = OwnRedisServer.start();
		workerA = worker("a");
		workerB = worker("b");
	}

	@AfterAll
	static void stop() {
		workerA.close();
		workerB.close();
		server.close();
	}

	private static ConfigurableApplicationContext worker(String name) {
		// acks late with a prefetch of one: a worker holds one header task at a time, so each runs one of the two
		return new SpringApplicationBuilder(RedisWorkerApplication.class).web(WebApplicationType.NONE)
			.properties("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + server.port(),
					"taskqueue.broker=redis", "taskqueue.result-backend=redis", "taskqueue.default-queue=chordrace",
					"taskqueue.worker.queues=chordrace", "taskqueue.worker.concurrency=1",
					"taskqueue.worker.prefetch=1", "taskqueue.worker.acks-late=true",
					"taskqueue.worker.name=chordrace-" + name)
			.run();
	}

	@Test
	void twoWorkersFinishingTheLastTwoHeaderTasksTogetherRunTheBodyOnce() {
		CanvasClient client = workerA.getBean(CanvasClient.class);
		int chords = 200;
		for (int i = 0; i < chords; i++) {
			ChordRaceTasks.meeting = new CyclicBarrier(2);
			String chord = "chord-" + i;
			AsyncResult<Object> body = client.send(Chord.of(
					Group.of(Signature.of("chordrace.meet", i), Signature.of("chordrace.meet", 1)),
					Signature.of("chordrace.body").withKwargs(java.util.Map.of("chord", chord))));
			assertThat(body.get(WAIT)).isEqualTo(i + 1);
		}
		await().during(Duration.ofMillis(500)).atMost(WAIT)
			.until(() -> ChordRaceTasks.BODY_RUNS.values().stream().allMatch((runs) -> runs.get() == 1));
		assertThat(ChordRaceTasks.BODY_RUNS).hasSize(chords);
		assertThat(ChordRaceTasks.BODY_RUNS.values()).allMatch((runs) -> runs.get() == 1);
	}

}
