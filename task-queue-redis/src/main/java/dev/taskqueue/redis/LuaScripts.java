package dev.taskqueue.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The one registry of the Redis transport's Lua scripts: broker, result backend and rate limiter. Every script
 * lives in {@code src/main/resources/dev/taskqueue/redis/}, one file per atomic step, each saying what its keys
 * and arguments are, and is read from the class path once. A script given by its location instead
 * ({@code DefaultRedisScript.setLocation}) checks the resource for changes on every run, which inside a jar
 * opens a URL connection, under a lock, each time.
 */
final class LuaScripts {

	private LuaScripts() {
	}

	private static final String FOLDER = "dev/taskqueue/redis/";

	/**
	 * Read a script.
	 * @param <T> the result type
	 * @param name the script's file name without {@code .lua}
	 * @param resultType the result type
	 * @return the script
	 */
	static <T> RedisScript<T> load(String name, Class<T> resultType) {
		String resource = FOLDER + name + ".lua";
		try {
			return RedisScript.of(new ClassPathResource(resource).getContentAsString(StandardCharsets.UTF_8),
					resultType);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read the Lua script " + resource, ex);
		}
	}

}
