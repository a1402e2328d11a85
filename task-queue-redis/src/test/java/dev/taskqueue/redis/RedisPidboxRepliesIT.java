package dev.taskqueue.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.taskqueue.control.PidboxTransport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client's remote-control reply queue on Redis outlives an outage, on a {@code redis-server} of the test's own
 * that is killed and started again: its BRPOP loop carries on, and binds the queue again in case Redis lost the
 * binding, so that a worker's reply after the restart still arrives.
 */
class RedisPidboxRepliesIT {

	private static final Duration WAIT = Duration.ofSeconds(60);

	private OwnRedisServer server;

	private LettuceConnectionFactory client;

	private LettuceConnectionFactory worker;

	@BeforeEach
	void start() {
		this.server = OwnRedisServer.start();
		this.client = this.server.connectionFactory();
		this.worker = this.server.connectionFactory();
	}

	@AfterEach
	void stop() {
		this.client.destroy();
		this.worker.destroy();
		this.server.close();
	}

	@Test
	void aReplySentAfterRedisRestartedWithoutTheBindingStillReachesTheClient() {
		String oid = UUID.randomUUID().toString();
		List<String> received = new CopyOnWriteArrayList<>();
		RedisPidboxTransport clientSide = new RedisPidboxTransport(this.client, 0, JsonMapper.builder().build());
		RedisPidboxTransport workerSide = new RedisPidboxTransport(this.worker, 0, JsonMapper.builder().build());
		try (PidboxTransport.Subscription replies = clientSide.replies(oid,
				(reply, headers) -> received.add(new String(reply, StandardCharsets.UTF_8)))) {
			// Redis comes back without the binding, as one that lost its data would
			new StringRedisTemplate(this.worker).delete("_kombu.binding.reply.celery.pidbox");
			this.server.kill();
			this.server.startAgain();

			await().atMost(WAIT).ignoreExceptions().until(() -> {
				workerSide.reply("reply.celery.pidbox", oid, "{\"w@x\":{\"ok\":\"pong\"}}".getBytes(StandardCharsets.UTF_8),
						Map.of("ticket", "t"));
				return !received.isEmpty();
			});
			assertThat(received.get(0)).isEqualTo("{\"w@x\":{\"ok\":\"pong\"}}");
		}
		finally {
			clientSide.close();
			workerSide.close();
		}
	}

}
