package dev.taskqueue.control;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One remote-control command a worker answers: an entry of Celery's {@code Panel}
 * ({@code @inspect_command} / {@code @control_command} in {@code celery/worker/control.py}). The worker's
 * {@link CeleryPidbox} dispatches each command addressed to it by {@link #name()} and sends what
 * {@link #handle(JsonNode)} returns as this worker's entry of the reply ({@code {"<hostname>": <reply>}}).
 */
public interface ControlCommand {

	/**
	 * Returned by {@link #handle(JsonNode)} when no reply must be sent, as for Celery's {@code shutdown}.
	 */
	Object NO_REPLY = new Object() {

		@Override
		public String toString() {
			return "NO_REPLY";
		}

	};

	/**
	 * The command's name, Celery's method name ({@code ping}, {@code active}, {@code rate_limit}...).
	 * @return the name
	 */
	String name();

	/**
	 * Whether it only reads the worker's state ({@code inspect}, Celery's {@code @inspect_command}) or changes it
	 * ({@code control}); a command that changes the worker can be switched off ({@code taskqueue.control.allowed}).
	 * @return the kind
	 */
	Kind kind();

	/**
	 * Run the command.
	 * @param arguments the command's {@code arguments} object (an empty object when it has none)
	 * @return this worker's reply, written as JSON (a {@code Map}, {@code List}, {@code String}, number or
	 * {@code null}), or {@link #NO_REPLY}
	 * @throws RuntimeException when it fails; the worker replies {@code {"error": "<repr of the exception>"}} as
	 * kombu does
	 */
	@Nullable Object handle(JsonNode arguments);

	/**
	 * Celery's two kinds of command.
	 */
	enum Kind {

		/** Reads the worker's state ({@code celery inspect ...}). */
		INSPECT,

		/** Changes the worker ({@code celery control ...}). */
		CONTROL

	}

}
