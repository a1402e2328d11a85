package dev.taskqueue.redis;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.taskqueue.control.CeleryPidbox;
import dev.taskqueue.control.ControlCommand;
import dev.taskqueue.result.TaskResult;
import dev.taskqueue.revoke.InMemoryRevocations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What listens to Redis for long (the result waiters' pub/sub subscription, the revocation stream's follower
 * and the Celery remote-control subscription) listens again after Redis restarts, on a {@code redis-server} of
 * the test's own that is killed (SIGKILL) and started again: what is stored, revoked or broadcast after the
 * restart still arrives.
 */
class RedisReconnectionIT {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	/** Redis is back within seconds; the container's recovery and Lettuce's reconnection take a few more. */
	private static final Duration WAIT = Duration.ofSeconds(60);

	private OwnRedisServer server;

	/** The application that listens (waiter, worker). */
	private LettuceConnectionFactory listening;

	/** Another application (the worker that stores, the client that revokes), with connections of its own. */
	private LettuceConnectionFactory other;

	@BeforeEach
	void start() {
		this.server = OwnRedisServer.start();
		this.listening = this.server.connectionFactory();
		this.other = this.server.connectionFactory();
	}

	@AfterEach
	void stop() {
		this.listening.destroy();
		this.other.destroy();
		this.server.close();
	}

	@Test
	void aWaiterGetsAResultStoredAfterRedisRestarted() {
		try (RedisResultBackend waiting = new RedisResultBackend(this.listening, MAPPER,
				RedisResultBackendSettings.defaults(), Clock.systemUTC());
				RedisResultBackend storing = new RedisResultBackend(this.other, MAPPER,
						RedisResultBackendSettings.defaults(), Clock.systemUTC())) {
			CompletableFuture<TaskResult> result = waiting.whenReady("after-restart");
			await().atMost(WAIT).until(() -> subscribers("celery-task-meta-after-restart") == 1);

			this.server.kill();
			this.server.startAgain();
			// stored as soon as Redis is back, before the waiter's subscription may be
			await().atMost(WAIT).ignoreExceptions().untilAsserted(
					() -> storing.store(TaskResult.success("after-restart", 42, Instant.now())));

			await().atMost(WAIT).until(result::isDone);
			assertThat(result.join().result()).isEqualTo(42);
		}
	}

	@Test
	void aRevocationMadeAfterRedisRestartedReachesARunningWorker() {
		try (RedisRevocations worker = new RedisRevocations(this.listening, "", Duration.ofHours(1));
				RedisRevocations client = new RedisRevocations(this.other, "", Duration.ofHours(1))) {
			client.revoke("before-restart", false);
			// the worker follows the stream from its first check on
			await().atMost(WAIT).until(() -> worker.isRevoked("before-restart"));

			this.server.kill();
			this.server.startAgain();
			await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> client.revoke("after-restart", false));

			await().atMost(WAIT).until(() -> worker.isRevoked("after-restart"));
			assertThat(worker.isRevoked("before-restart")).isTrue();
		}
	}

	@Test
	void aCeleryRevokeBroadcastAfterRedisRestartedReachesTheWorker() throws Exception {
		RedisPidboxTransport workerTransport = new RedisPidboxTransport(this.listening, 0, MAPPER);
		RedisPidboxTransport celery = new RedisPidboxTransport(this.other, 0, MAPPER);
		InMemoryRevocations known = new InMemoryRevocations(Duration.ofHours(1), Clock.systemUTC());
		CeleryPidbox worker = CeleryPidbox.builder(workerTransport, "ours@reconnect", MAPPER)
			.commands(List.of(new RecordingRevoke(known)))
			.build();
		try {
			worker.start();
			await().atMost(WAIT).until(() -> subscribers("/0.celery.pidbox") == 1);
			celeryRevokes(celery, "before-restart");
			await().atMost(WAIT).until(() -> known.isRevoked("before-restart"));

			this.server.kill();
			this.server.startAgain();
			// a broadcast reaches only who listens at that moment (as in Celery): once the worker listens again,
			// one broadcast is enough
			await().atMost(WAIT).ignoreExceptions().until(() -> subscribers("/0.celery.pidbox") == 1);
			celeryRevokes(celery, "after-restart");

			await().atMost(WAIT).until(() -> known.isRevoked("after-restart"));
		}
		finally {
			worker.stop();
		}
	}

	/**
	 * Celery's {@code revoke} as far as this test needs it: the ids recorded.
	 */
	private record RecordingRevoke(InMemoryRevocations known) implements ControlCommand {

		@Override
		public String name() {
			return "revoke";
		}

		@Override
		public Kind kind() {
			return Kind.CONTROL;
		}

		@Override
		public Object handle(JsonNode arguments) {
			this.known.revoke(arguments.path("task_id").asString(), false);
			return ControlCommand.NO_REPLY;
		}

	}

	/** Broadcast Celery's revoke command as {@code app.control.revoke(id)} does (kombu's envelope, base64). */
	private static void celeryRevokes(RedisPidboxTransport celery, String taskId) {
		Map<String, Object> arguments = new LinkedHashMap<>();
		arguments.put("task_id", taskId);
		arguments.put("terminate", false);
		arguments.put("signal", "SIGTERM");
		Map<String, Object> command = new LinkedHashMap<>();
		command.put("method", "revoke");
		command.put("arguments", arguments);
		command.put("destination", null);
		command.put("pattern", null);
		command.put("matcher", null);
		Map<String, Object> headers = new LinkedHashMap<>();
		headers.put("clock", 1);
		headers.put("expires", System.currentTimeMillis() / 1000.0 + 1);
		celery.broadcast(MAPPER.writeValueAsBytes(command), headers);
	}

	/** How many subscribers a channel has now (PUBSUB NUMSUB), on a connection of the test's own. */
	private long subscribers(String channel) throws Exception {
		RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", this.server.port()));
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			return connection.sync().pubsubNumsub(channel).getOrDefault(channel, 0L);
		}
		finally {
			client.shutdown();
		}
	}

}
