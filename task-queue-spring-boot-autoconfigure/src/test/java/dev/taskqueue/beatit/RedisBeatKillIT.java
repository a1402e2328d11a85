package dev.taskqueue.beatit;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * A killed beat leader on Redis (a redis-server of this test's own): the lease key outlives the leader, so its
 * successor leads when the lease runs out, within the default lease of 10 seconds and a second's poll.
 */
class RedisBeatKillIT extends BeatKillSemantics {

	private static RedisBeatServer redis;

	@BeforeAll
	static void startRedis() {
		redis = RedisBeatServer.start();
	}

	@AfterAll
	static void stopRedis() {
		redis.close();
	}

	@Override
	protected void clean() {
		redis.flush();
	}

	@Override
	protected String[] brokerProperties() {
		return redis.brokerProperties();
	}

	@Override
	protected StringRedisTemplate events() {
		return redis.redis();
	}

	@Override
	protected int sentCount() {
		return redis.sentCount();
	}

	@Override
	protected List<String> sentIds() {
		return redis.sentIds();
	}

	@Override
	protected Instant lastRun() {
		return redis.lastRun();
	}

	/**
	 * The default lease of 10 seconds, a follower's poll of a second, and a second for the processes.
	 */
	@Override
	protected Duration takeover() {
		return Duration.ofSeconds(12);
	}

}
