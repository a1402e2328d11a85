package dev.taskqueue.actuate.endpoint;

import dev.taskqueue.actuate.EndpointSemantics;
import dev.taskqueue.redis.OwnRedisServer;

/**
 * The {@code taskqueue} endpoint on Redis (broker and results), on a server of the test's own.
 */
class RedisEndpointIT extends EndpointSemantics {

	private OwnRedisServer server;

	@Override
	protected void createBroker() {
		this.server = OwnRedisServer.start();
	}

	@Override
	protected String[] brokerProperties() {
		return new String[] { "spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + this.server.port(),
				"taskqueue.broker=redis", "taskqueue.result-backend=redis" };
	}

	@Override
	protected void removeBroker() {
		this.server.close();
	}

}
