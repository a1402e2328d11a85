package dev.taskqueue.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import dev.taskqueue.beat.BeatLease;
import dev.taskqueue.beat.BeatStore;

/**
 * The beat's {@link BeatStore} in Redis, as RedBeat keeps Celery's beat there, with a fencing token added:
 * <ul>
 * <li>{@code <prefix>taskqueue.beat.lease}: the lead, {@code "<token> <owner>"}, set only if absent and
 * expiring after the lease ({@code SET NX PX}, in {@code beat_acquire.lua}); the token comes from
 * {@code <prefix>taskqueue.beat.token} ({@code INCR}), so each leader's is larger than the last one's. Renewing
 * and releasing compare the token first ({@code beat_renew.lua}, {@code beat_release.lua}).</li>
 * <li>{@code <prefix>taskqueue.beat.last-runs}: a hash of entry name to the epoch millisecond of its last run,
 * written only by the holder of the current token, and only over the value it expects
 * ({@code beat_record_run.lua}).</li>
 * <li>{@code <prefix>taskqueue.beat.entries}: a hash of entry name to the JSON of an entry added at run time,
 * written by any application.</li>
 * </ul>
 * Redis' own expiry ends a lease, so a leader that died hands over when its lease runs out.
 */
public class RedisBeatStore implements BeatStore {

	private static final RedisScript<Long> ACQUIRE = LuaScripts.load("beat_acquire", Long.class);

	private static final RedisScript<Long> RENEW = LuaScripts.load("beat_renew", Long.class);

	private static final RedisScript<Long> RELEASE = LuaScripts.load("beat_release", Long.class);

	private static final RedisScript<Long> RECORD_RUN = LuaScripts.load("beat_record_run", Long.class);

	private final StringRedisTemplate redis;

	private final String lease;

	private final String token;

	private final String lastRuns;

	private final String entries;

	/**
	 * Create a store.
	 * @param connectionFactory the Redis connections
	 * @param keyPrefix prefixed to its keys ({@code taskqueue.redis.key-prefix})
	 */
	public RedisBeatStore(RedisConnectionFactory connectionFactory, String keyPrefix) {
		this.redis = new StringRedisTemplate(connectionFactory);
		this.lease = keyPrefix + "taskqueue.beat.lease";
		this.token = keyPrefix + "taskqueue.beat.token";
		this.lastRuns = keyPrefix + "taskqueue.beat.last-runs";
		this.entries = keyPrefix + "taskqueue.beat.entries";
	}

	@Override
	public @Nullable BeatLease acquire(String owner, Duration duration) {
		Long token = this.redis.execute(ACQUIRE, List.of(this.lease, this.token), owner,
				String.valueOf(duration.toMillis()));
		return (token != null && token > 0) ? new BeatLease(token, owner) : null;
	}

	@Override
	public boolean renew(BeatLease lease, Duration duration) {
		return one(this.redis.execute(RENEW, List.of(this.lease), String.valueOf(lease.token()),
				String.valueOf(duration.toMillis())));
	}

	@Override
	public void release(BeatLease lease) {
		this.redis.execute(RELEASE, List.of(this.lease), String.valueOf(lease.token()));
	}

	@Override
	public @Nullable String leader() {
		String held = this.redis.opsForValue().get(this.lease);
		if (held == null) {
			return null;
		}
		int space = held.indexOf(' ');
		return (space >= 0) ? held.substring(space + 1) : held;
	}

	@Override
	public Map<String, Instant> lastRuns() {
		Map<String, Instant> runs = new LinkedHashMap<>();
		this.redis.<String, String>opsForHash()
			.entries(this.lastRuns)
			.forEach((entry, millis) -> runs.put(entry, Instant.ofEpochMilli(Long.parseLong(millis))));
		return runs;
	}

	@Override
	public boolean recordRun(BeatLease lease, String entry, @Nullable Instant expected, Instant lastRun) {
		return one(this.redis.execute(RECORD_RUN, List.of(this.lease, this.lastRuns), String.valueOf(lease.token()),
				entry, (expected != null) ? String.valueOf(expected.toEpochMilli()) : "",
				String.valueOf(lastRun.toEpochMilli())));
	}

	@Override
	public Map<String, String> entries() {
		return new LinkedHashMap<>(this.redis.<String, String>opsForHash().entries(this.entries));
	}

	@Override
	public void putEntry(String name, String definition) {
		this.redis.opsForHash().put(this.entries, name, definition);
	}

	@Override
	public void removeEntry(String name) {
		this.redis.opsForHash().delete(this.entries, name);
		this.redis.opsForHash().delete(this.lastRuns, name);
	}

	private static boolean one(@Nullable Long result) {
		return result != null && result == 1;
	}

}
