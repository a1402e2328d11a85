package dev.taskqueue.redis;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.taskqueue.events.EventTransport;
import dev.taskqueue.events.EventTransportContract;

/**
 * The Redis event transport keeps the event transport contract, on a redis-server of its own (pub/sub channels
 * are not per database). No hook is overridden.
 */
class RedisEventTransportContractIT extends EventTransportContract {

	private static OwnRedisServer server;

	private static LettuceConnectionFactory connectionFactory;

	@BeforeAll
	static void startRedis() {
		server = OwnRedisServer.start();
		connectionFactory = server.connectionFactory();
	}

	@AfterAll
	static void stopRedis() {
		connectionFactory.destroy();
		server.close();
	}

	@Override
	protected EventTransport createTransport() {
		return new RedisEventTransport(connectionFactory, 0, JsonMapper.builder().build(), Duration.ofSeconds(2));
	}

}
