package dev.taskqueue.control;

import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A command of a test's own.
 *
 * @param name its name
 * @param kind its kind
 * @param handler what it does with its arguments
 */
record ScriptedCommand(String name, Kind kind, Function<JsonNode, @Nullable Object> handler) implements ControlCommand {

	static ScriptedCommand replying(String name, Kind kind, @Nullable Object reply) {
		return new ScriptedCommand(name, kind, (arguments) -> reply);
	}

	@Override
	public @Nullable Object handle(JsonNode arguments) {
		return this.handler.apply(arguments);
	}

}
