package dev.taskqueue.events;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import dev.taskqueue.control.ControlCommand;

/**
 * Celery's {@code heartbeat} remote-control command, which Celery's {@code EventReceiver} broadcasts when it
 * starts so that it learns of the workers at once: the worker sends a {@code worker-heartbeat} now, with the
 * fields Celery's sends then ({@code freq} 5 and the {@link SoftwareInfo}), and replies {@code null}, as
 * Celery's does.
 */
public class HeartbeatCommand implements ControlCommand {

	private final EventDispatcher dispatcher;

	/**
	 * Create the command.
	 * @param dispatcher the worker's dispatcher
	 */
	public HeartbeatCommand(EventDispatcher dispatcher) {
		this.dispatcher = dispatcher;
	}

	@Override
	public String name() {
		return "heartbeat";
	}

	@Override
	public Kind kind() {
		return Kind.CONTROL;
	}

	@Override
	public @Nullable Object handle(JsonNode arguments) {
		Map<String, Object> fields = new LinkedHashMap<>();
		fields.put("freq", 5);
		fields.putAll(SoftwareInfo.current().fields());
		this.dispatcher.send("worker-heartbeat", fields);
		return null;
	}

}
