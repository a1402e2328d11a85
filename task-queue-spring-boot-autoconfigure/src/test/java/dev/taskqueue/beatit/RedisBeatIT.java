package dev.taskqueue.beatit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.taskqueue.redis.OwnRedisServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The beat's semantics on Redis, a redis-server of this test's own: the lead is the lease key, the last runs a
 * hash, and the tasks sent wait in kombu's list {@code beat-it}.
 */
class RedisBeatIT extends BeatSemantics {

	private static OwnRedisServer server;

	private static LettuceConnectionFactory connectionFactory;

	private static StringRedisTemplate redis;

	private final JsonMapper mapper = JsonMapper.builder().build();

	@BeforeAll
	static void startRedis() {
		server = OwnRedisServer.start();
		connectionFactory = server.connectionFactory();
		redis = new StringRedisTemplate(connectionFactory);
	}

	@AfterAll
	static void stopRedis() {
		connectionFactory.destroy();
		server.close();
	}

	@Override
	protected void clean() {
		redis.execute((RedisCallback<Object>) (connection) -> {
			connection.serverCommands().flushAll();
			return null;
		});
	}

	@Override
	protected String[] brokerProperties() {
		return new String[] { "spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + server.port(),
				"taskqueue.broker=redis" };
	}

	@Override
	protected int sentCount() {
		return redis.opsForList().size("beat-it").intValue();
	}

	@Override
	protected List<String> sentIds() {
		List<String> ids = new ArrayList<>();
		for (String message : redis.opsForList().range("beat-it", 0, -1)) {
			JsonNode headers = this.mapper.readTree(message).get("headers");
			assertThat(headers.get("periodic_task_name").asString()).isEqualTo("tick");
			ids.add(headers.get("id").asString());
		}
		// kombu pushes on the left
		Collections.reverse(ids);
		return ids;
	}

	@Override
	protected Instant lastRun() {
		Object millis = redis.opsForHash().get("taskqueue.beat.last-runs", "tick");
		return Instant.ofEpochMilli(Long.parseLong((String) millis));
	}

}
