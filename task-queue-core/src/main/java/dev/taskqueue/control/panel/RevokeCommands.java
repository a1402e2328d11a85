package dev.taskqueue.control.panel;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import dev.taskqueue.protocol.LamportClock;
import dev.taskqueue.protocol.LogText;
import dev.taskqueue.revoke.Revocations;
import dev.taskqueue.worker.TaskRequest;
import dev.taskqueue.worker.Workers;

/**
 * Revocations, as Celery's {@code revoke}, {@code terminate} and {@code revoked} handle them, and the revoked ids
 * exchanged with a Celery worker that starts ({@code hello}, Celery's mingle). A revocation received is recorded
 * in the application's revocations, not broadcast back.
 */
final class RevokeCommands {

	private static final Logger logger = LoggerFactory.getLogger(RevokeCommands.class);

	private final Revocations revocations;

	private final Workers workers;

	private final String hostname;

	private final LamportClock clock;

	RevokeCommands(Revocations revocations, Workers workers, String hostname, LamportClock clock) {
		this.revocations = revocations;
		this.workers = workers;
		this.hostname = hostname;
		this.clock = clock;
	}

	List<Command> commands() {
		return List.of(Command.control("revoke", this::revoke),
				Command.control("terminate", (arguments) -> revoke(Arguments.texts(arguments, "task_id"), true)),
				Command.inspect("revoked", (arguments) -> List.copyOf(this.revocations.revokedIds())),
				Command.inspect("hello", this::hello));
	}

	private Map<String, Object> revoke(JsonNode arguments) {
		return revoke(Arguments.texts(arguments, "task_id"), Arguments.bool(arguments, "terminate", false));
	}

	/**
	 * Revoke the tasks; with {@code terminate}, also interrupt those running here, and say which.
	 */
	private Map<String, Object> revoke(List<String> taskIds, boolean terminate) {
		Set<String> ids = new LinkedHashSet<>(taskIds);
		// read before the revocation: an interrupted task leaves the worker at once
		List<String> held = terminate ? this.workers.requests()
			.stream()
			.map(TaskRequest::id)
			.filter((id) -> id != null && ids.contains(id))
			.distinct()
			.toList() : List.of();
		ids.forEach((id) -> this.revocations.revoke(id, terminate));
		logger.info("Celery revoked {}{}", LogText.escape(ids), terminate ? " (terminate)" : "");
		if (!terminate) {
			return Reply.ok("tasks " + String.join(", ", ids) + " flagged as revoked");
		}
		return Reply.ok(held.isEmpty() ? "terminate: tasks unknown" : "terminate: " + String.join(", ", held));
	}

	/**
	 * A Celery worker starting up tells its revoked ids and asks for ours and our clock; our own hello gets no
	 * answer.
	 */
	private @Nullable Map<String, Object> hello(JsonNode arguments) {
		String from = Arguments.text(arguments, "from_node");
		if (this.hostname.equals(from)) {
			return null;
		}
		logger.info("sync with {}", LogText.escape(from));
		JsonNode theirs = arguments.path("revoked");
		if (theirs.isObject()) {
			theirs.propertyNames().forEach((id) -> this.revocations.revoke(id, false));
		}
		// as Celery's LimitedSet: each id with when it was revoked, which this worker does not keep: now
		double now = System.currentTimeMillis() / 1000.0;
		Map<String, Object> revoked = new LinkedHashMap<>();
		this.revocations.revokedIds().forEach((id) -> revoked.put(id, List.of(now, id)));
		Map<String, Object> reply = new LinkedHashMap<>();
		reply.put("revoked", revoked);
		reply.put("clock", this.clock.forward());
		return reply;
	}

}
