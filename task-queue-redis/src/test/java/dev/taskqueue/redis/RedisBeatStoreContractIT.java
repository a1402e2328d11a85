package dev.taskqueue.redis;

import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.taskqueue.beat.BeatStore;
import dev.taskqueue.beat.BeatStoreContract;

/**
 * The Redis beat store keeps the beat store contract, on a redis-server of its own: every store is one
 * application's, and leases end by Redis' expiry; each test has keys of its own. No hook is overridden.
 */
class RedisBeatStoreContractIT extends BeatStoreContract {

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

	/** The applications of one test share a prefix; each test has its own. */
	private final String prefix = "contract-" + UUID.randomUUID() + ":";

	@Override
	protected BeatStore createStore() {
		return new RedisBeatStore(connectionFactory, this.prefix);
	}

}
