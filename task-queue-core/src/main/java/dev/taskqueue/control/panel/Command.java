package dev.taskqueue.control.panel;

import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import dev.taskqueue.control.ControlCommand;

/**
 * A built-in command: its name, its kind and what it does.
 *
 * @param name Celery's name of the command
 * @param kind whether it reads or changes the worker
 * @param handler what it does with its arguments
 */
record Command(String name, Kind kind, Function<JsonNode, @Nullable Object> handler) implements ControlCommand {

	static Command inspect(String name, Function<JsonNode, @Nullable Object> handler) {
		return new Command(name, Kind.INSPECT, handler);
	}

	static Command control(String name, Function<JsonNode, @Nullable Object> handler) {
		return new Command(name, Kind.CONTROL, handler);
	}

	@Override
	public @Nullable Object handle(JsonNode arguments) {
		return this.handler.apply(arguments);
	}

}
