package dev.taskqueue.sample;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
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
import dev.taskqueue.serialization.SerializationException;

/**
 * Sends tasks by name and reports their state over HTTP. A client's mistake (a negative countdown, a priority
 * out of range, arguments nested too deep or too large to send) is answered with 400 and a problem detail
 * (RFC 9457) that says what was wrong.
 */
@RestController
@RequestMapping("/api/tasks")
public class TaskController {

	/** The highest message priority (RabbitMQ's {@code x-max-priority} limit). */
	static final int MAX_PRIORITY = 255;

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
	 * @return {@code {"id", "state", "result"}}; for a failure {@code {"id", "state", "error": {"type",
	 * "message"}}}; for a state the task reports of its own (Celery's {@code update_state}, say
	 * {@code PROGRESS}) or STARTED, {@code {"id", "state", "result": null, "info"}} with what it stored
	 */
	@GetMapping("/{id}")
	public Map<String, Object> status(@PathVariable String id) {
		TaskResult stored = this.results.fetch(id);
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("id", id);
		TaskState state = (stored != null) ? stored.state() : TaskState.PENDING;
		// the stored name, so that a state of the task's own reads as it was stored (PROGRESS, not CUSTOM)
		body.put("state", (stored != null) ? stored.status() : state.name());
		TaskFailure failure = (stored != null) ? stored.toFailure() : null;
		if (failure != null) {
			body.put("error", Map.of("type", failure.type(), "message", failure.message()));
		}
		else {
			body.put("result", (state == TaskState.SUCCESS) ? stored.result() : null);
			if (state == TaskState.CUSTOM || state == TaskState.STARTED) {
				body.put("info", stored.result());
			}
		}
		return body;
	}

	/**
	 * A request the client got wrong: 400, saying what was wrong.
	 * @param ex what was wrong
	 * @return the problem detail
	 */
	@ExceptionHandler(InvalidRequestException.class)
	public ProblemDetail invalidRequest(InvalidRequestException ex) {
		return problem("Invalid request", ex.getMessage());
	}

	/**
	 * Arguments the task cannot be sent with (nested too deep, too large, not serializable): 400, with the
	 * limit they broke.
	 * @param ex why they were refused
	 * @return the problem detail
	 */
	@ExceptionHandler(SerializationException.class)
	public ProblemDetail argumentsRefused(SerializationException ex) {
		return problem("Arguments refused", ex.getMessage());
	}

	private static ProblemDetail problem(String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
		problem.setTitle(title);
		return problem;
	}

	/**
	 * The body of a send.
	 * @param args positional arguments
	 * @param kwargs keyword arguments
	 * @param queue the queue, or null
	 * @param countdown seconds to wait before running (zero or more), or null
	 * @param priority the priority (0 to 255), or null
	 */
	public record SendRequest(List<Object> args, Map<String, Object> kwargs, String queue, Double countdown,
			Integer priority) {

		SendOptions options() {
			SendOptions options = SendOptions.defaults().withQueue(this.queue);
			if (this.countdown != null) {
				if (!Double.isFinite(this.countdown) || this.countdown < 0) {
					throw new InvalidRequestException(
							"countdown must be a number of seconds, zero or more; was " + this.countdown);
				}
				options = options.withCountdown(Duration.ofMillis(Math.round(this.countdown * 1000)));
			}
			if (this.priority != null) {
				if (this.priority < 0 || this.priority > MAX_PRIORITY) {
					throw new InvalidRequestException(
							"priority must be between 0 and " + MAX_PRIORITY + "; was " + this.priority);
				}
				options = options.withPriority(this.priority);
			}
			return options;
		}

	}

	/**
	 * A send request the client got wrong.
	 */
	static class InvalidRequestException extends RuntimeException {

		InvalidRequestException(String message) {
			super(message);
		}

	}

}
