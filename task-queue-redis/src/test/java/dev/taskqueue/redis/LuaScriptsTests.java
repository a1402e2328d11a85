package dev.taskqueue.redis;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every Lua script of the transport is read through {@link LuaScripts} and opens with what its keys and
 * arguments are, which is all a reader of a Redis call site has to go on.
 */
class LuaScriptsTests {

	@Test
	void everyScriptOpensWithItsNameKeysAndArguments() throws Exception {
		Resource[] files = new PathMatchingResourcePatternResolver()
			.getResources("classpath*:dev/taskqueue/redis/*.lua");
		assertThat(files).isNotEmpty();
		for (Resource file : files) {
			String name = file.getFilename().substring(0, file.getFilename().length() - ".lua".length());
			String script = LuaScripts.load(name, Object.class).getScriptAsString();
			List<String> opening = script.lines().takeWhile((line) -> line.startsWith("--")).toList();
			assertThat(opening).as(name).isNotEmpty();
			assertThat(opening.get(0)).as(name).startsWith("-- " + name + ": ");
			assertThat(String.join("\n", opening)).as(name).contains("KEYS").contains("ARGV");
		}
	}

}
