package dev.taskqueue.actuate.health;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;

import dev.taskqueue.actuate.HealthOutageSemantics;
import dev.taskqueue.redis.OwnRedisServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code taskQueue} health on Redis (broker and results), whose server of the test's own is shut down as an
 * operator would, then started again.
 */
class RedisHealthIT extends HealthOutageSemantics {

	private OwnRedisServer server;

	@BeforeEach
	void startRedis() {
		this.server = OwnRedisServer.start();
	}

	@Override
	protected void removeBroker() {
		this.server.close();
	}

	@Override
	protected String[] brokerProperties() {
		return new String[] { "spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + this.server.port(),
				"taskqueue.broker=redis", "taskqueue.result-backend=redis", "taskqueue.default-queue=health" };
	}

	@Override
	protected void takeBrokerAway() {
		this.server.shutdown();
	}

	@Override
	protected void bringBrokerBack() {
		this.server.startAgain();
	}

	@Override
	protected void assertBrokerDetails(Map<String, Object> details) {
		assertThat(details).containsEntry("type", "RedisBroker")
			.containsEntry("port", this.server.port())
			.containsKey("version");
	}

}
