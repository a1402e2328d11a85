package dev.taskqueue.control;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import dev.taskqueue.redis.OwnRedisServer;

/**
 * Java's {@link TaskControl} inspects and steers a Celery 5.2.6 worker over Redis, on a redis-server of the test's
 * own: kombu's reply queue ({@code _kombu.binding.reply.celery.pidbox}, BRPOP) carries Celery's replies.
 */
class RedisControlClientIT extends ControlClientSemantics {

	private static OwnRedisServer server;

	@BeforeAll
	static void startBothSides() {
		server = OwnRedisServer.start();
		start("redis://127.0.0.1:" + server.port() + "/0", "redis-control-client", "taskqueue.broker=redis",
				"spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + server.port());
	}

	@AfterAll
	static void stopRedis() throws InterruptedException {
		stop();
		server.close();
	}

	@Override
	protected String transport() {
		return "redis";
	}

}
