package dev.taskqueue.control.panel;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import dev.taskqueue.control.ControlCommand;
import dev.taskqueue.protocol.LogText;
import dev.taskqueue.worker.Workers;

/**
 * Celery's {@code shutdown}: a warm shutdown of the workers (they take no more messages, hand back those not
 * started and let running tasks finish within their shutdown timeout), or of the whole application when so
 * configured, as a Celery worker's process exits. It never replies, as Celery's never does.
 */
final class WorkerShutdown {

	private static final Logger logger = LoggerFactory.getLogger(WorkerShutdown.class);

	private final Workers workers;

	private final @Nullable Runnable exit;

	/**
	 * @param workers the workers to stop
	 * @param exit what ends the application instead, or {@code null} to stop the workers only
	 */
	WorkerShutdown(Workers workers, @Nullable Runnable exit) {
		this.workers = workers;
		this.exit = exit;
	}

	Command command() {
		return Command.control("shutdown", this::shutdown);
	}

	private Object shutdown(JsonNode arguments) {
		String message = Arguments.text(arguments, "msg");
		logger.warn("{}", LogText.escape((message != null) ? message : "Got shutdown from remote"));
		Runnable stop = (this.exit != null) ? this.exit : this.workers::stop;
		// on a thread of its own: a warm shutdown waits for running tasks, and the mailbox goes on meanwhile
		Thread thread = new Thread(stop, "taskqueue-remote-shutdown");
		thread.start();
		return ControlCommand.NO_REPLY;
	}

}
