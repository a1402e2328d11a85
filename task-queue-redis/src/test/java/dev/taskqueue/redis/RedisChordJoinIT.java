package dev.taskqueue.redis;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.taskqueue.result.TaskResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Chords join on Redis as Celery's Redis backend joins them, with its keys, and exactly once: two workers (two
 * backends, two connections) reporting the last two header tasks at the same moment complete the header once,
 * however many times it is tried. Against a Redis of the test's own.
 */
class RedisChordJoinIT {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private static OwnRedisServer server;

	private static final List<LettuceConnectionFactory> connections = new ArrayList<>();

	private static RedisResultBackend workerA;

	private static RedisResultBackend workerB;

	private static StringRedisTemplate redis;

	private static ExecutorService threads;

	@BeforeAll
	static void start() {
		server = OwnRedisServer.start();
		workerA = backend();
		workerB = backend();
		LettuceConnectionFactory connection = server.connectionFactory();
		connections.add(connection);
		redis = new StringRedisTemplate(connection);
		threads = Executors.newFixedThreadPool(8);
	}

	@AfterAll
	static void stop() throws Exception {
		threads.shutdownNow();
		workerA.close();
		workerB.close();
		connections.forEach(LettuceConnectionFactory::destroy);
		server.close();
	}

	private static RedisResultBackend backend() {
		LettuceConnectionFactory connection = server.connectionFactory();
		connections.add(connection);
		return new RedisResultBackend(connection, MAPPER, new RedisResultBackendSettings("", Duration.ofDays(1)),
				Clock.systemUTC());
	}

	@Test
	void twoWorkersFinishingTheLastTwoHeaderTasksAtTheSameMomentCompleteTheChordOnce() throws Exception {
		int repetitions = 1000;
		int completions = 0;
		for (int i = 0; i < repetitions; i++) {
			String groupId = UUID.randomUUID().toString();
			workerA.setChordSize(groupId, 3);
			assertThat(workerA.chordPartReturned(groupId, 0, TaskResult.success(id(), 0, null))).isNull();
			CyclicBarrier together = new CyclicBarrier(2);
			Future<List<TaskResult>> a = threads.submit(part(workerA, groupId, 1, together));
			Future<List<TaskResult>> b = threads.submit(part(workerB, groupId, 2, together));
			List<TaskResult> fromA = a.get(10, TimeUnit.SECONDS);
			List<TaskResult> fromB = b.get(10, TimeUnit.SECONDS);
			assertThat((fromA != null) ? 1 : 0).as("repetition %d: completed by both", i)
				.isNotEqualTo((fromB != null) ? 1 : 0);
			List<TaskResult> header = (fromA != null) ? fromA : fromB;
			assertThat(header).extracting(TaskResult::result).containsExactly(0, 1, 2);
			completions++;
		}
		assertThat(completions).isEqualTo(repetitions);
	}

	@Test
	void eightWorkersReportingALargeHeaderAtOnceCompleteItOnce() throws Exception {
		for (int repetition = 0; repetition < 20; repetition++) {
			String groupId = UUID.randomUUID().toString();
			int size = 200;
			workerA.setChordSize(groupId, size);
			CyclicBarrier together = new CyclicBarrier(8);
			List<Future<Integer>> workers = new ArrayList<>();
			for (int w = 0; w < 8; w++) {
				int worker = w;
				RedisResultBackend backend = (w % 2 == 0) ? workerA : workerB;
				workers.add(threads.submit(() -> {
					together.await();
					int completed = 0;
					for (int index = worker; index < size; index += 8) {
						if (backend.chordPartReturned(groupId, index, TaskResult.success(id(), index, null)) != null) {
							completed++;
						}
					}
					return completed;
				}));
			}
			int completed = 0;
			for (Future<Integer> worker : workers) {
				completed += worker.get(30, TimeUnit.SECONDS);
			}
			assertThat(completed).as("repetition %d", repetition).isEqualTo(1);
		}
	}

	@Test
	void theJoinUsesCeleryKeysAndCountsAPartACeleryWorkerAdded() {
		String groupId = UUID.randomUUID().toString();
		String key = "celery-taskset-meta-" + groupId;
		workerA.setChordSize(groupId, 2);
		assertThat(redis.opsForValue().get(key + ".s")).isEqualTo("2");
		assertThat(redis.getExpire(key + ".s")).isPositive();
		// as Celery 5.2's worker writes its part: ZADD <key>.j <group_index> '[1, "<id>", "SUCCESS", <result>]'
		redis.opsForZSet().add(key + ".j", "[1, \"celery-part\", \"SUCCESS\", [2, \"two\"]]", 1);

		List<TaskResult> header = workerB.chordPartReturned(groupId, 0, TaskResult.success("java-part", 1, null));

		assertThat(header).extracting(TaskResult::taskId).containsExactly("java-part", "celery-part");
		assertThat(header.get(1).result()).isEqualTo(List.of(2, "two"));
		assertThat(redis.hasKey(key + ".j")).isFalse();
		assertThat(redis.hasKey(key + ".s")).isFalse();
	}

	@Test
	void aPartsOutcomeIsCelerysTuple() {
		String groupId = UUID.randomUUID().toString();
		String key = "celery-taskset-meta-" + groupId;
		workerA.setChordSize(groupId, 2);
		workerA.chordPartReturned(groupId, 0, TaskResult.failure("failed-part", new IllegalStateException("boom"), null));

		String member = redis.opsForZSet().range(key + ".j", 0, -1).iterator().next();
		List<Object> outcome = MAPPER.readValue(member, new tools.jackson.core.type.TypeReference<List<Object>>() {
		});
		assertThat(outcome.subList(0, 3)).containsExactly(1, "failed-part", "FAILURE");
		Map<?, ?> exception = (Map<?, ?>) outcome.get(3);
		assertThat(exception.get("exc_type")).isEqualTo("IllegalStateException");
		assertThat(exception.get("exc_message")).isEqualTo(List.of("boom"));
		assertThat(redis.opsForZSet().score(key + ".j", member)).isZero();
	}

	@Test
	void aSavedGroupIsCelerysTasksetMeta() {
		String groupId = UUID.randomUUID().toString();
		workerA.saveGroup(groupId, List.of("a", "b"));

		Map<?, ?> saved = MAPPER.readValue(redis.opsForValue().get("celery-taskset-meta-" + groupId), Map.class);
		assertThat(MAPPER.writeValueAsString(saved))
			.isEqualTo("{\"result\":[[\"" + groupId + "\",null],[[[\"a\",null],null],[[\"b\",null],null]]]}");
		assertThat(workerB.restoreGroup(groupId)).containsExactly("a", "b");
	}

	private static Callable<List<TaskResult>> part(RedisResultBackend backend, String groupId, int index,
			CyclicBarrier together) {
		return () -> {
			together.await();
			return backend.chordPartReturned(groupId, index, TaskResult.success(id(), index, null));
		};
	}

	private static String id() {
		return UUID.randomUUID().toString();
	}

}
