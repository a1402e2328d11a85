package dev.taskqueue.control.panel;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import dev.taskqueue.worker.TaskRequest;
import dev.taskqueue.worker.Workers;

/**
 * The messages a worker holds, as Celery's {@code active}, {@code reserved}, {@code scheduled} and
 * {@code query_task} list them.
 */
final class TaskInspection {

	private final Workers workers;

	private final String hostname;

	private final long pid;

	TaskInspection(Workers workers, String hostname, long pid) {
		this.workers = workers;
		this.hostname = hostname;
		this.pid = pid;
	}

	List<Command> commands() {
		return List.of(Command.inspect("active", this::active), Command.inspect("reserved", this::reserved),
				Command.inspect("scheduled", (arguments) -> List.of()), Command.inspect("query_task", this::query));
	}

	/**
	 * The tasks running now ({@code safe}: their arguments as Python reprs).
	 */
	private List<Map<String, @Nullable Object>> active(JsonNode arguments) {
		boolean safe = Arguments.bool(arguments, "safe", false);
		return this.workers.requests()
			.stream()
			.filter(TaskRequest::isActive)
			.map((request) -> RequestInfo.of(request, this.hostname, this.pid, safe))
			.toList();
	}

	/**
	 * The tasks received and waiting for a thread or their rate limit.
	 */
	private List<Map<String, @Nullable Object>> reserved(JsonNode arguments) {
		return this.workers.requests()
			.stream()
			.filter((request) -> !request.isActive())
			.map((request) -> RequestInfo.of(request, this.hostname, this.pid, false))
			.toList();
	}

	/**
	 * The held tasks among those asked for, each with its state ({@code active} or {@code reserved}).
	 */
	private Map<String, List<Object>> query(JsonNode arguments) {
		Set<String> ids = Set.copyOf(Arguments.texts(arguments, "ids"));
		Map<String, List<Object>> found = new LinkedHashMap<>();
		for (TaskRequest request : this.workers.requests()) {
			if (request.id() != null && ids.contains(request.id())) {
				found.put(request.id(), List.of(request.isActive() ? "active" : "reserved",
						RequestInfo.of(request, this.hostname, this.pid, false)));
			}
		}
		return found;
	}

}
