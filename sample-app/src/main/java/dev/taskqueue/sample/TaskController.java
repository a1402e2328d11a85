package dev.taskqueue.sample;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.taskqueue.AsyncResult;
import dev.taskqueue.SendOptions;
import dev.taskqueue.TaskClient;
import dev.taskqueue.TaskFailure;
import dev.taskqueue.TaskState;
import dev.taskqueue.result.ResultBackend;
import dev.taskqueue.result.TaskResult;

/**
 * Sends tasks by name and reports their state over HTTP.
 */
@RestController
@RequestMapping("/api/tasks")
public class TaskController {

	private final TaskClient client;

	private final ResultBackend results;

	public TaskController(TaskClient client, ResultBackend results) {
		this.client = client;
		this.results = results;
	}

	/**
	 * {@code POST /api/tasks/{name}} with {@code {"args": [...], "kwargs": {...}, "queue": ..., "countdown": ...,
	 * "priority": ...}}.
	 * @param name the task name
	 * @param request the arguments and options
	 * @return {@code {"id": ...}}
	 */
	@PostMapping("/{name}")
	public Map<String, String> send(@PathVariable String name, @RequestBody(required = false) SendRequest request) {
		SendRequest call = (request != null) ? request : new SendRequest(null, null, null, null, null);
		AsyncResult<Object> result = this.client.withOptions(call.options())
			.send(name, (call.args() != null) ? call.args() : List.of(),
					(call.kwargs() != null) ? call.kwargs() : Map.of());
		return Map.of("id", result.id());
	}

	/**
	 * {@code GET /api/tasks/{id}}.
	 * @param id the task id
	 * @return {@code {"id", "state", "result"}} or, for a failure, {@code {"id", "state", "error": {"type", "message"}}}
	 */
	@GetMapping("/{id}")
	public Map<String, Object> status(@PathVariable String id) {
		TaskResult stored = this.results.fetch(id);
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("id", id);
		TaskState state = (stored != null) ? stored.state() : TaskState.PENDING;
		body.put("state", state);
		TaskFailure failure = (stored != null) ? stored.toFailure() : null;
		if (failure != null) {
			body.put("error", Map.of("type", failure.type(), "message", failure.message()));
		}
		else {
			body.put("result", (state == TaskState.SUCCESS) ? stored.result() : null);
		}
		return body;
	}

	/**
	 * The body of a send.
	 * @param args positional arguments
	 * @param kwargs keyword arguments
	 * @param queue the queue, or null
	 * @param countdown seconds to wait before running, or null
	 * @param priority the priority, or null
	 */
	public record SendRequest(List<Object> args, Map<String, Object> kwargs, String queue, Double countdown,
			Integer priority) {

		SendOptions options() {
			SendOptions options = SendOptions.defaults().withQueue(this.queue);
			if (this.countdown != null) {
				options = options.withCountdown(Duration.ofMillis(Math.round(this.countdown * 1000)));
			}
			return (this.priority != null) ? options.withPriority(this.priority) : options;
		}

	}

}
