package dev.taskqueue.redis;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.taskqueue.status.ComponentStatus;
import dev.taskqueue.status.StatusCheck;

/**
 * Whether Redis answers, for the broker's and the result backend's {@code status()}: PING and {@code INFO server}
 * on the connection they use (Lettuce's shared one, by default), bounded by a {@link StatusCheck}. Details:
 * {@code host}, {@code port} and {@code database} (a standalone Redis through Lettuce; {@code mode} {@code cluster}
 * or {@code sentinel} otherwise) and the server's {@code version} ({@code redis_version}). A shared Lettuce
 * connection that is reconnecting is down at once, without waiting for the PING that Lettuce would hold.
 */
final class RedisStatus {

	private final RedisConnectionFactory connectionFactory;

	private final StringRedisTemplate redis;

	private final Map<String, Object> address;

	private final StatusCheck check;

	RedisStatus(RedisConnectionFactory connectionFactory) {
		this.connectionFactory = connectionFactory;
		this.redis = new StringRedisTemplate(connectionFactory);
		this.address = address(connectionFactory);
		this.check = new StatusCheck(server(this.address), this.address, this::roundTrip);
	}

	/**
	 * Check now, at most {@link StatusCheck#DEFAULT_TIMEOUT}.
	 * @return up with the server's version, or down with the reason
	 */
	ComponentStatus status() {
		return this.check.status();
	}

	private ComponentStatus roundTrip() {
		// the connection itself, not the template's proxy of it, so that a Lettuce connection is seen as one
		String version = this.redis.execute((RedisCallback<@Nullable String>) this::pingAndVersion, true);
		Map<String, Object> details = new LinkedHashMap<>(this.address);
		if (version != null) {
			details.put("version", version);
		}
		return ComponentStatus.up(details);
	}

	private @Nullable String pingAndVersion(RedisConnection connection) {
		if (this.connectionFactory instanceof LettuceConnectionFactory lettuce && lettuce.getShareNativeConnection()
				&& connection instanceof LettuceConnection shared) {
			return pingAndVersion(shared.getNativeConnection());
		}
		connection.ping();
		Properties info = connection.serverCommands().info("server");
		return (info != null) ? info.getProperty("redis_version") : null;
	}

	/**
	 * On Lettuce's shared connection, without holding a thread for longer than the check's timeout: a command
	 * Lettuce holds while it reconnects is cancelled once the timeout passed, so that it is not sent later.
	 */
	private static @Nullable String pingAndVersion(RedisClusterAsyncCommands<byte[], byte[]> commands) {
		if (!commands.isOpen()) {
			// Lettuce would hold the PING until it reconnects: the connection being lost says enough
			throw new IllegalStateException("connection lost, Lettuce is reconnecting");
		}
		answer(commands.ping(), "PING");
		String info = answer(commands.info("server"), "INFO server");
		return (info != null) ? info.lines()
			.filter((line) -> line.startsWith("redis_version:"))
			.map((line) -> line.substring("redis_version:".length()).trim())
			.findFirst()
			.orElse(null) : null;
	}

	private static <T> T answer(RedisFuture<T> reply, String command) {
		try {
			return reply.get(StatusCheck.DEFAULT_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			reply.cancel(true);
			throw new IllegalStateException("no answer to " + command + " within " + StatusCheck.DEFAULT_TIMEOUT, ex);
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException(command + " failed: " + StatusCheck.reason(ex.getCause()), ex.getCause());
		}
		catch (InterruptedException ex) {
			reply.cancel(true);
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted waiting for " + command, ex);
		}
	}

	private static Map<String, Object> address(RedisConnectionFactory connectionFactory) {
		Map<String, Object> address = new LinkedHashMap<>();
		if (connectionFactory instanceof LettuceConnectionFactory lettuce) {
			if (lettuce.isClusterAware()) {
				address.put("mode", "cluster");
			}
			else if (lettuce.isRedisSentinelAware()) {
				address.put("mode", "sentinel");
			}
			else {
				address.put("host", String.valueOf(lettuce.getHostName()));
				address.put("port", lettuce.getPort());
				address.put("database", lettuce.getDatabase());
			}
		}
		return address;
	}

	private static String server(Map<String, Object> address) {
		if (address.containsKey("host")) {
			return "Redis at " + address.get("host") + ":" + address.get("port");
		}
		return address.containsKey("mode") ? "Redis (" + address.get("mode") + ")" : "Redis";
	}

}
