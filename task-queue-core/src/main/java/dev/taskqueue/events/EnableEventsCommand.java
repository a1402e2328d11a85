package dev.taskqueue.events;

import java.util.Map;

import tools.jackson.databind.JsonNode;

import dev.taskqueue.control.ControlCommand;

/**
 * Celery's {@code enable_events} remote-control command ({@code celery control enable_events}; Flower sends it
 * every few seconds): the worker sends task events from now on, and replies {@code {"ok": "task events enabled"}},
 * or {@code {"ok": "task events already enabled"}} if it did.
 */
public class EnableEventsCommand implements ControlCommand {

	private final EventDispatcher dispatcher;

	/**
	 * Create the command.
	 * @param dispatcher the worker's dispatcher
	 */
	public EnableEventsCommand(EventDispatcher dispatcher) {
		this.dispatcher = dispatcher;
	}

	@Override
	public String name() {
		return "enable_events";
	}

	@Override
	public Kind kind() {
		return Kind.CONTROL;
	}

	@Override
	public Object handle(JsonNode arguments) {
		return Map.of("ok", this.dispatcher.enableTaskEvents() ? "task events enabled" : "task events already enabled");
	}

}
