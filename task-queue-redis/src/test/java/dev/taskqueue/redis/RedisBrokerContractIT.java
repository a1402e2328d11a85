package dev.taskqueue.redis;

import java.time.Clock;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.BrokerContract;

/**
 * The Redis broker keeps the broker contract, against the local Redis (a database of its own, flushed first).
 * Kombu's Redis transport serves the lower priority number first; otherwise no hook is overridden.
 */
class RedisBrokerContractIT extends BrokerContract {

	private static LettuceConnectionFactory connectionFactory;

	@BeforeAll
	static void connect() {
		connectionFactory = LocalRedis.flushed(LocalRedis.BROKER_CONTRACT_DB);
	}

	@AfterAll
	static void disconnect() {
		connectionFactory.destroy();
	}

	@Override
	protected Broker createBroker() {
		return new RedisBroker(connectionFactory, JsonMapper.builder().build(), RedisBrokerSettings.defaults(),
				Clock.systemUTC());
	}

	@Override
	protected List<Integer> prioritiesMostUrgentFirst() {
		// kombu's Redis transport: the lower number first, in buckets 0-2, 3-5, 6-8, 9
		return List.of(0, 5, 9);
	}

	@Override
	protected void close(Broker broker) {
		((RedisBroker) broker).close();
	}

}
