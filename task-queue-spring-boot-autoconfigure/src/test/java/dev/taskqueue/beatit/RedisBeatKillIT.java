package dev.taskqueue.beatit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.taskqueue.redis.OwnRedisServer;

/**
 * A killed beat leader on Redis (a redis-server of this test's own): the lease key outlives the leader, so its
 * successor leads when the lease runs out, within the default lease of 10 seconds and a second's poll.
 */
class RedisBeatKillIT extends BeatKillSemantics {

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
	protected StringRedisTemplate events() {
		return redis;
	}

	@Override
	protected int sentCount() {
		return redis.opsForList().size("beat-it").intValue();
	}

	@Override
	protected List<String> sentIds() {
		List<String> ids = new ArrayList<>();
		for (String message : redis.opsForList().range("beat-it", 0, -1)) {
			ids.add(this.mapper.readTree(message).get("headers").get("id").asString());
		}
		Collections.reverse(ids);
		return ids;
	}

	@Override
	protected Instant lastRun() {
		return Instant.ofEpochMilli(Long.parseLong((String) redis.opsForHash().get("taskqueue.beat.last-runs", "tick")));
	}

	/**
	 * The default lease of 10 seconds, a follower's poll of a second, and a second for the processes.
	 */
	@Override
	protected Duration takeover() {
		return Duration.ofSeconds(12);
	}

}
