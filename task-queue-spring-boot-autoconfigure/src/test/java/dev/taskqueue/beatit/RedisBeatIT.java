package dev.taskqueue.beatit;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The beat's semantics on Redis, a redis-server of this test's own: the lead is the lease key, the last runs a
 * hash, and the tasks sent wait in kombu's list {@code beat-it}.
 */
class RedisBeatIT extends BeatSemantics {

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

}
