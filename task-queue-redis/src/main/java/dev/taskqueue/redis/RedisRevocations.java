package dev.taskqueue.redis;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.stream.ByteRecord;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.taskqueue.broker.BrokerException;
import dev.taskqueue.broker.LoopStep;
import dev.taskqueue.revoke.InMemoryRevocations;
import dev.taskqueue.revoke.Revocations;

/**
 * {@link Revocations} shared through Redis: each revocation is appended to the stream
 * {@code <prefix>taskqueue.revoked} (fields {@code id} and {@code kind}: {@code revoke} or {@code terminate}),
 * trimmed to the revocation window. An application reads the window's entries once, then follows the stream
 * (XREAD BLOCK, on a connection and thread of its own) and keeps what it read in memory, so that a worker
 * checks each task without a round trip to Redis, and a worker started later still knows the revocations of the
 * window. A revocation reaches running workers as fast as Redis hands the stream entry to their XREAD; a task
 * they meet before that runs, as with Celery's broadcast revocations.
 */
public class RedisRevocations implements Revocations, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(RedisRevocations.class);

	private static final int BATCH = 500;

	private static final Duration BLOCK = Duration.ofSeconds(1);

	private final RedisConnectionFactory connectionFactory;

	private final StringRedisTemplate redis;

	private final byte[] stream;

	private final Duration window;

	private final InMemoryRevocations known;

	private volatile @Nullable Thread follower;

	private volatile boolean closed;

	/**
	 * Create revocations; nothing is read until first used.
	 * @param connectionFactory the Redis connections
	 * @param keyPrefix prefixed to the stream's key ({@code taskqueue.redis.key-prefix})
	 * @param window how long a revocation is kept ({@code taskqueue.worker.revocation-window})
	 */
	public RedisRevocations(RedisConnectionFactory connectionFactory, String keyPrefix, Duration window) {
		this.connectionFactory = connectionFactory;
		this.redis = new StringRedisTemplate(connectionFactory);
		this.stream = (keyPrefix + "taskqueue.revoked").getBytes(StandardCharsets.UTF_8);
		this.window = window;
		this.known = new InMemoryRevocations(window, Clock.systemUTC());
	}

	@Override
	public void revoke(String taskId, boolean terminate) {
		String oldest = (System.currentTimeMillis() - this.window.toMillis()) + "-0";
		this.redis.execute((RedisCallback<Object>) (connection) -> connection.execute("XADD", this.stream,
				bytes("MINID"), bytes("~"), bytes(oldest), bytes("*"), bytes("id"), bytes(taskId), bytes("kind"),
				bytes(terminate ? "terminate" : "revoke")));
	}

	@Override
	public boolean isRevoked(String taskId) {
		following();
		return this.known.isRevoked(taskId);
	}

	/**
	 * The ids this application knows to be revoked: those of the stream's window, read at the first use and
	 * followed since. No round trip once following.
	 * @throws BrokerException if the window's revocations could not be read yet
	 */
	@Override
	public Set<String> revokedIds() {
		following();
		return this.known.revokedIds();
	}

	@Override
	public void onTerminate(Consumer<String> listener) {
		this.known.onTerminate(listener);
		try {
			following();
		}
		catch (BrokerException ex) {
			// not fatal: the first revocation check tries again
			logger.warn("Could not follow the revocations in Redis yet: {}", ex.getMessage());
		}
	}

	/**
	 * Read the window's revocations, once, then follow the stream on a thread of its own.
	 */
	private void following() {
		if (this.follower == null) {
			startFollowing();
		}
	}

	private synchronized void startFollowing() {
		if (this.follower != null || this.closed) {
			return;
		}
		String from = (System.currentTimeMillis() - this.window.toMillis()) + "-0";
		String last;
		try {
			last = this.redis.execute((RedisCallback<String>) (connection) -> catchUp(connection, from));
		}
		catch (RuntimeException ex) {
			throw new BrokerException("Could not read the revocations in Redis: " + ex.getMessage(), ex);
		}
		Thread thread = new Thread(() -> follow(last), "taskqueue-redis-revocations");
		thread.setDaemon(true);
		this.follower = thread;
		thread.start();
	}

	/**
	 * Read every entry after {@code from}, in batches.
	 * @return the id of the last entry read, or {@code from}
	 */
	private String catchUp(RedisConnection connection, String from) {
		String last = from;
		List<ByteRecord> records;
		do {
			records = connection.streamCommands()
				.xRange(this.stream, Range.rightUnbounded(Range.Bound.exclusive(last)), Limit.limit().count(BATCH));
			last = read(records, last);
		}
		while (records != null && records.size() == BATCH);
		return last;
	}

	private void follow(String from) {
		String last = from;
		while (!this.closed) {
			try (RedisConnection connection = this.connectionFactory.getConnection()) {
				while (!this.closed) {
					List<ByteRecord> records = connection.streamCommands()
						.xRead(StreamReadOptions.empty().count(BATCH).block(BLOCK),
								StreamOffset.create(this.stream, ReadOffset.from(last)));
					last = read(records, last);
				}
			}
			catch (RuntimeException ex) {
				if (this.connectionFactory instanceof SmartLifecycle lifecycle && !lifecycle.isRunning()) {
					// the application is shutting down and Redis's connections with it
					return;
				}
				if (!this.closed) {
					logger.warn("Following the revocations in Redis failed, retrying in {}: {}", BLOCK, ex.toString());
					pause();
				}
			}
			catch (Throwable ex) {
				if (!this.closed) {
					LoopStep.failed("Following the revocations in Redis", ex);
					pause();
				}
			}
		}
	}

	private String read(@Nullable List<ByteRecord> records, String last) {
		if (records == null) {
			return last;
		}
		for (ByteRecord record : records) {
			Map<String, String> fields = new HashMap<>();
			record.getValue().forEach((field, value) -> fields.put(string(field), string(value)));
			String id = fields.get("id");
			if (id != null) {
				// the stream entry's id is the time it was appended: the window counts from then
				Long appended = record.getId().getTimestamp();
				this.known.revoke(id, "terminate".equals(fields.get("kind")),
						(appended != null) ? Instant.ofEpochMilli(appended) : Instant.now());
			}
			last = record.getId().getValue();
		}
		return last;
	}

	private void pause() {
		try {
			Thread.sleep(BLOCK.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.closed = true;
		}
	}

	@Override
	public void close() {
		this.closed = true;
		Thread thread = this.follower;
		if (thread != null) {
			try {
				thread.join(BLOCK.multipliedBy(2).toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	private static String string(byte[] value) {
		return new String(value, StandardCharsets.UTF_8);
	}

}
