package dev.taskqueue.control;

import java.util.List;

import dev.taskqueue.redis.OwnRedisServer;

/**
 * Celery's remote control of a Java worker on Redis: a {@code redis-server} of the test's own, broker and results.
 */
class RedisRemoteControlIT extends RemoteControlSemantics {

	private OwnRedisServer redis;

	@Override
	protected void startBroker() {
		this.redis = OwnRedisServer.start();
	}

	@Override
	protected void stopBroker() {
		if (this.redis != null) {
			this.redis.close();
		}
	}

	@Override
	protected List<String> brokerProperties() {
		return List.of("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + this.redis.port(),
				"taskqueue.broker=redis", "taskqueue.result-backend=redis");
	}

	@Override
	protected String brokerUrl() {
		return "redis://127.0.0.1:" + this.redis.port() + "/0";
	}

	@Override
	protected String transport() {
		return "redis";
	}

}
