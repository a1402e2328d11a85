package dev.taskqueue.beatit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.taskqueue.redis.OwnRedisServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A redis-server of a beat test's own, and what the beat left in it: the lead is the lease key, the last runs
 * the hash {@code taskqueue.beat.last-runs}, and the tasks sent wait in kombu's list {@code beat-it}.
 */
final class RedisBeatServer implements AutoCloseable {

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final OwnRedisServer server;

	private final LettuceConnectionFactory connectionFactory;

	private final StringRedisTemplate redis;

	private RedisBeatServer(OwnRedisServer server) {
		this.server = server;
		this.connectionFactory = server.connectionFactory();
		this.redis = new StringRedisTemplate(this.connectionFactory);
	}

	static RedisBeatServer start() {
		return new RedisBeatServer(OwnRedisServer.start());
	}

	StringRedisTemplate redis() {
		return this.redis;
	}

	/**
	 * The properties that put an application on this server.
	 * @return {@code name=value} pairs
	 */
	String[] brokerProperties() {
		return new String[] { "spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + this.server.port(),
				"taskqueue.broker=redis" };
	}

	void flush() {
		this.redis.execute((RedisCallback<Object>) (connection) -> {
			connection.serverCommands().flushAll();
			return null;
		});
	}

	int sentCount() {
		return this.redis.opsForList().size("beat-it").intValue();
	}

	/**
	 * The ids of the tasks sent, oldest first, each checked to come from the entry {@code tick}.
	 */
	List<String> sentIds() {
		List<String> ids = new ArrayList<>();
		for (String message : this.redis.opsForList().range("beat-it", 0, -1)) {
			JsonNode headers = this.mapper.readTree(message).get("headers");
			assertThat(headers.get("periodic_task_name").asString()).isEqualTo("tick");
			ids.add(headers.get("id").asString());
		}
		// kombu pushes on the left
		Collections.reverse(ids);
		return ids;
	}

	Instant lastRun() {
		Object millis = this.redis.opsForHash().get("taskqueue.beat.last-runs", "tick");
		return Instant.ofEpochMilli(Long.parseLong((String) millis));
	}

	@Override
	public void close() {
		this.connectionFactory.destroy();
		this.server.close();
	}

}
