package dev.taskqueue.broker.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Loads a Lua script from the class path once. A script given by its location instead
 * ({@code DefaultRedisScript.setLocation}) checks the resource for changes on every run, which inside a jar
 * opens a URL connection, under a lock, each time.
 */
public final class LuaScripts {

	private LuaScripts() {
	}

	/**
	 * Read a script.
	 * @param <T> the result type
	 * @param resource the class path resource
	 * @param resultType the result type
	 * @return the script
	 */
	public static <T> RedisScript<T> load(String resource, Class<T> resultType) {
		try {
			return RedisScript.of(new ClassPathResource(resource).getContentAsString(StandardCharsets.UTF_8),
					resultType);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read the Lua script " + resource, ex);
		}
	}

}
