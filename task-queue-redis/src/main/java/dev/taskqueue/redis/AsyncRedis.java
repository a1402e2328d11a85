package dev.taskqueue.redis;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Redis commands whose caller does not wait for the reply. On Lettuce's shared connection (Spring Boot's
 * default) they are written at once and pipelined with everything else sent on that connection, which Redis
 * runs in the order sent: a command sent later by this application (a read, say) sees their effect. With
 * another client library, or without a shared connection, they run synchronously and the future is complete
 * when they return.
 */
final class AsyncRedis {

	private final RedisConnectionFactory connectionFactory;

	private final StringRedisTemplate redis;

	private final boolean pipelined;

	/**
	 * Send commands through a connection factory.
	 * @param connectionFactory the Redis connections
	 */
	AsyncRedis(RedisConnectionFactory connectionFactory) {
		this.connectionFactory = connectionFactory;
		this.redis = new StringRedisTemplate(connectionFactory);
		this.pipelined = connectionFactory instanceof LettuceConnectionFactory lettuce
				&& lettuce.getShareNativeConnection();
	}

	/**
	 * LPUSH one value.
	 * @param key the list
	 * @param value the value
	 * @return the list's length after the push; {@code null} from a client that does not tell it
	 */
	CompletableFuture<@Nullable Long> leftPush(String key, String value) {
		return send((commands) -> commands.lpush(bytes(key), bytes(value)).toCompletableFuture(),
				() -> this.redis.opsForList().leftPush(key, value));
	}

	/**
	 * SADD one member.
	 * @param key the set
	 * @param member the member
	 * @return how many members were added; {@code null} from a client that does not tell it
	 */
	CompletableFuture<@Nullable Long> addToSet(String key, String member) {
		return send((commands) -> commands.sadd(bytes(key), bytes(member)).toCompletableFuture(),
				() -> this.redis.opsForSet().add(key, member));
	}

	/**
	 * PUBLISH a message on a pub/sub channel.
	 * @param channel the channel
	 * @param message the message
	 * @return how many subscribers received it; {@code null} from a client that does not tell it
	 */
	CompletableFuture<@Nullable Long> publish(String channel, byte[] message) {
		return send((commands) -> commands.publish(bytes(channel), message).toCompletableFuture(),
				() -> this.redis.execute((RedisConnection connection) -> connection.publish(bytes(channel), message)));
	}

	/**
	 * Run a script that returns a list of strings (EVALSHA, and EVAL if Redis does not know the script).
	 * @param script the script
	 * @param keys its keys
	 * @param args its arguments
	 * @return what it returned
	 */
	@SuppressWarnings({ "rawtypes", "unchecked" })
	CompletableFuture<List<String>> evalList(RedisScript<List> script, List<String> keys, String... args) {
		CompletableFuture<@Nullable List<Object>> reply = eval((RedisScript) script, ScriptOutputType.MULTI, keys,
				args);
		return reply.thenApply((values) -> (values != null) ? values.stream()
			.map((value) -> (value instanceof byte[] text) ? new String(text, StandardCharsets.UTF_8) : String.valueOf(value))
			.toList() : List.of());
	}

	private <T extends @Nullable Object> CompletableFuture<T> eval(RedisScript<T> script, ScriptOutputType type,
			List<String> keys, String... args) {
		byte[][] keyBytes = keys.stream().map(AsyncRedis::bytes).toArray(byte[][]::new);
		byte[][] argBytes = new byte[args.length][];
		for (int i = 0; i < args.length; i++) {
			argBytes[i] = bytes(args[i]);
		}
		return send((commands) -> commands.<T>evalsha(script.getSha1(), type, keyBytes, argBytes)
			.toCompletableFuture()
			.exceptionallyCompose((ex) -> (unwrap(ex) instanceof RedisNoScriptException)
					? commands.<T>eval(bytes(script.getScriptAsString()), type, keyBytes, argBytes).toCompletableFuture()
					: CompletableFuture.failedFuture(ex)), () -> this.redis.execute(script, keys, (Object[]) args));
	}

	private <T extends @Nullable Object> CompletableFuture<T> send(
			Function<RedisClusterAsyncCommands<byte[], byte[]>, CompletableFuture<T>> pipelinedCommand,
			java.util.function.Supplier<T> synchronousCommand) {
		try {
			if (!this.pipelined) {
				return CompletableFuture.completedFuture(synchronousCommand.get());
			}
			// the shared connection: closing this handle leaves it open
			try (RedisConnection connection = this.connectionFactory.getConnection()) {
				return pipelinedCommand.apply(((LettuceConnection) connection).getNativeConnection());
			}
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	private static Throwable unwrap(Throwable ex) {
		return (ex instanceof CompletionException && ex.getCause() != null) ? ex.getCause() : ex;
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

}
