package dev.taskqueue.events;

import java.util.Map;

import tools.jackson.databind.JsonNode;

import dev.taskqueue.control.ControlCommand;

/**
 * Celery's {@code disable_events} remote-control command ({@code celery control disable_events}): the worker sends
 * no more task events (its worker events go on), and replies {@code {"ok": "task events disabled"}}, or
 * {@code {"ok": "task events already disabled"}} if it sent none.
 * <p>
 * Celery 5.2's own worker answers "already disabled" and goes on sending when started with {@code -E} (its
 * dispatcher then has no groups to remove {@code task} from); this one does what the command says.
 */
public class DisableEventsCommand implements ControlCommand {

	private final EventDispatcher dispatcher;

	/**
	 * Create the command.
	 * @param dispatcher the worker's dispatcher
	 */
	public DisableEventsCommand(EventDispatcher dispatcher) {
		this.dispatcher = dispatcher;
	}

	@Override
	public String name() {
		return "disable_events";
	}

	@Override
	public Kind kind() {
		return Kind.CONTROL;
	}

	@Override
	public Object handle(JsonNode arguments) {
		return Map.of("ok",
				this.dispatcher.disableTaskEvents() ? "task events disabled" : "task events already disabled");
	}

}
