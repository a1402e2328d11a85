package dev.taskqueue.redis;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.taskqueue.control.PidboxTransport;
import dev.taskqueue.control.PidboxTransportContract;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Redis remote-control transport keeps the contract, on a redis-server of its own: each transport is one
 * application's, all on database 0. A closed reply queue is gone as kombu leaves it: its member of
 * {@code _kombu.binding.reply.celery.pidbox} removed and its lists deleted.
 */
class RedisPidboxTransportContractIT extends PidboxTransportContract {

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
	protected PidboxTransport createTransport() {
		return new RedisPidboxTransport(connectionFactory, 0, JsonMapper.builder().build());
	}

	@Override
	protected void assertReplyQueueGone(String oid) {
		StringRedisTemplate redis = new StringRedisTemplate(connectionFactory);
		assertThat(redis.opsForSet().isMember("_kombu.binding.reply.celery.pidbox", RedisReplyQueue.binding(oid)))
			.isFalse();
		String queue = oid + ".reply.celery.pidbox";
		assertThat(redis.countExistingKeys(List.of(queue, queue + "\u0006\u00163", queue + "\u0006\u00166",
				queue + "\u0006\u00169"))).isZero();
	}

}
