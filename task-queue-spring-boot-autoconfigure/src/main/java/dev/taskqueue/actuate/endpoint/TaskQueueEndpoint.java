package dev.taskqueue.actuate.endpoint;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

import dev.taskqueue.beat.BeatSchedule;
import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.DeadLetterQueue;
import dev.taskqueue.control.TaskControl;
import dev.taskqueue.registry.TaskDefinition;
import dev.taskqueue.registry.TaskRegistry;
import dev.taskqueue.revoke.Revocations;
import dev.taskqueue.worker.QueueOverview;
import dev.taskqueue.worker.WorkerSnapshot;
import dev.taskqueue.worker.Workers;

/**
 * The {@code taskqueue} actuator endpoint: Celery's {@code celery inspect} (read) and {@code celery control} /
 * {@code celery purge} (write) for this application.
 * <p>
 * Read ({@code GET /actuator/taskqueue}, then {@code /workers}, {@code /tasks}, {@code /queues},
 * {@code /deadletters}, {@code /revoked}, {@code /beat} (leader, entries with their last and next run), and one
 * item of each but the beat: {@code /workers/{name}}, {@code /tasks/{name}},
 * {@code /queues/{queue}}, {@code /deadletters/{queue}?limit=}).
 * <p>
 * Write, refused unless {@code management.endpoint.taskqueue.access=unrestricted}:
 * <ul>
 * <li>{@code POST /revoked/{taskId}} ({@code {"terminate": true}} optional): revoke a task;</li>
 * <li>{@code POST /queues/{queue}/pause}, {@code /resume}: stop or resume consuming a queue (Celery's
 * {@code cancel_consumer} / {@code add_consumer});</li>
 * <li>{@code POST /queues/{queue}/purge}: drop the messages waiting in a queue (Celery's {@code purge});</li>
 * <li>{@code POST /deadletters/{queue}/redrive} ({@code {"id": ...}} optional): publish a queue's dead letters
 * (or one) back to it, unchanged;</li>
 * <li>{@code DELETE /deadletters/{queue}} ({@code ?id=} optional): drop a queue's dead letters (or one).</li>
 * </ul>
 * Unknown sections and queues are {@link UnknownTargetException}s, a broker that cannot do what is asked throws
 * {@link UnsupportedOperationException}; the web extension turns them into 404 and 501.
 */
@Endpoint(id = "taskqueue", defaultAccess = Access.READ_ONLY)
public class TaskQueueEndpoint {

	/** How many dead letters {@code GET /deadletters/{queue}} lists unless asked for another number. */
	public static final int DEFAULT_LETTER_LIMIT = 100;

	private final Broker broker;

	private final @Nullable Workers workers;

	private final QueueOverview queues;

	private final TaskRegistry registry;

	private final Revocations revocations;

	private final TaskControl control;

	private final boolean acksLateByDefault;

	private final @Nullable BeatSchedule beat;

	/**
	 * Create the endpoint.
	 * @param broker the broker: queue depths and purges, and its dead letters if it keeps them
	 * @param workers the application's workers, or {@code null} in an application that only sends
	 * @param registry the registered tasks
	 * @param revocations the revocations in force
	 * @param control what revokes a task
	 * @param defaultQueue the default queue ({@code taskqueue.default-queue})
	 * @param acksLateByDefault the workers' default acknowledgement ({@code taskqueue.worker.acks-late})
	 */
	public TaskQueueEndpoint(Broker broker, @Nullable Workers workers, TaskRegistry registry, Revocations revocations,
			TaskControl control, String defaultQueue, boolean acksLateByDefault) {
		this(broker, workers, registry, revocations, control, defaultQueue, acksLateByDefault, null);
	}

	/**
	 * Create the endpoint of an application that may run the beat.
	 * @param broker the broker: queue depths and purges, and its dead letters if it keeps them
	 * @param workers the application's workers, or {@code null} in an application that only sends
	 * @param registry the registered tasks
	 * @param revocations the revocations in force
	 * @param control what revokes a task
	 * @param defaultQueue the default queue ({@code taskqueue.default-queue})
	 * @param acksLateByDefault the workers' default acknowledgement ({@code taskqueue.worker.acks-late})
	 * @param beat the beat ({@code taskqueue.beat.enabled}), or {@code null} in an application that does not run it
	 */
	public TaskQueueEndpoint(Broker broker, @Nullable Workers workers, TaskRegistry registry, Revocations revocations,
			TaskControl control, String defaultQueue, boolean acksLateByDefault, @Nullable BeatSchedule beat) {
		this.beat = beat;
		this.broker = broker;
		this.workers = workers;
		this.registry = registry;
		this.revocations = revocations;
		this.control = control;
		this.acksLateByDefault = acksLateByDefault;
		this.queues = new QueueOverview(broker, workers, registry, defaultQueue);
	}

	/**
	 * Everything at once. Never fails: a part the broker could not give is left out, with the reason in
	 * {@code errors}.
	 * @return the report
	 */
	@ReadOperation
	public TaskQueueReport report() {
		QueueOverview.Report read = this.queues.read(List.of());
		Map<String, TaskQueueReport.Queue> queues = new TreeMap<>();
		read.queues().forEach((name, queue) -> queues.put(name, TaskQueueReport.Queue.of(queue)));
		Map<String, String> errors = new TreeMap<>(read.errors());
		// revocations may live elsewhere than the broker (Redis beside RabbitMQ): read them even if it is away
		Set<String> revoked = null;
		try {
			revoked = new TreeSet<>(this.revocations.revokedIds());
		}
		catch (RuntimeException ex) {
			errors.put("revoked", (ex.getMessage() != null) ? ex.getMessage() : ex.getClass().getName());
		}
		return new TaskQueueReport(snapshots().stream().map(TaskQueueReport.Worker::of).toList(), tasks(), queues,
				revoked, errors, (this.beat != null) ? this.beat.status() : null);
	}

	/**
	 * One part of the report: {@code workers}, {@code tasks}, {@code queues}, {@code deadletters} (counts per
	 * queue), {@code revoked} or {@code beat}.
	 * @param section the part
	 * @return the part, or {@code null} (404) for an unknown part, dead letters of a broker that keeps none, or the
	 * beat of an application that does not run it
	 */
	@ReadOperation
	public @Nullable Object section(@Selector String section) {
		return switch (section) {
			case "workers" -> body("workers", snapshots().stream().map(TaskQueueReport.Worker::of).toList());
			case "tasks" -> body("tasks", tasks());
			case "queues" -> body("queues", report().queues());
			case "deadletters" -> (deadLetterQueue() != null) ? body("deadLetters", this.queues.deadLetterCounts()) : null;
			case "revoked" -> body("revoked", new TreeSet<>(this.revocations.revokedIds()));
			case "beat" -> (this.beat != null) ? body("beat", this.beat.status()) : null;
			default -> null;
		};
	}

	/**
	 * One item of a part: {@code workers/{name}}, {@code tasks/{name}}, {@code queues/{queue}} (one of the
	 * application's queues) or {@code deadletters/{queue}} (its dead letters, oldest first, up to {@code limit}).
	 * @param section the part
	 * @param name the item's name
	 * @param limit how many dead letters to list at most ({@value #DEFAULT_LETTER_LIMIT} if not given)
	 * @return the item, or {@code null} (404) if there is none of that name
	 */
	@ReadOperation
	public @Nullable Object item(@Selector String section, @Selector String name, @Nullable Integer limit) {
		return switch (section) {
			case "workers" -> snapshots().stream()
				.filter((worker) -> worker.name().equals(name))
				.findFirst()
				.map(TaskQueueReport.Worker::of)
				.orElse(null);
			case "tasks" -> {
				TaskDefinition task = this.registry.find(name);
				yield (task != null) ? TaskQueueReport.Task.of(task, this.acksLateByDefault) : null;
			}
			case "queues" -> this.queues.knownQueues().contains(name)
					? TaskQueueReport.Queue.of(this.queues.read(name)) : null;
			case "deadletters" -> deadLetters(name, (limit != null) ? limit : DEFAULT_LETTER_LIMIT);
			default -> null;
		};
	}

	/**
	 * Revoke a task (Celery's {@code app.control.revoke(id, terminate=...)}): {@code POST revoked/{taskId}}.
	 * @param section {@code revoked}
	 * @param taskId the task's id
	 * @param terminate whether a run already under way is interrupted
	 * @return {@code {"revoked": taskId, "terminate": ...}}
	 */
	@WriteOperation
	public Map<String, Object> revoke(@Selector String section, @Selector String taskId, @Nullable Boolean terminate) {
		if (!"revoked".equals(section)) {
			throw new UnknownTargetException("Nothing to write at '" + section + "/" + taskId
					+ "': POST revoked/{taskId} revokes a task");
		}
		boolean interrupt = Boolean.TRUE.equals(terminate);
		this.control.revoke(taskId, interrupt);
		return body("revoked", taskId, "terminate", interrupt);
	}

	/**
	 * Act on a queue or its dead letters: {@code queues/{queue}/pause}, {@code queues/{queue}/resume},
	 * {@code queues/{queue}/purge}, {@code deadletters/{queue}/redrive}.
	 * @param section {@code queues} or {@code deadletters}
	 * @param queue the queue
	 * @param action what to do
	 * @param id for {@code redrive}, the one dead letter to redrive, or {@code null} for all of the queue
	 * @return what was done
	 */
	@WriteOperation
	public Map<String, Object> act(@Selector String section, @Selector String queue, @Selector String action,
			@Nullable String id) {
		String target = section + "/" + queue + "/" + action;
		if ("queues".equals(section)) {
			return switch (action) {
				case "pause" -> pause(queue, true);
				case "resume" -> pause(queue, false);
				case "purge" -> purge(queue);
				default -> throw unknownAction(target);
			};
		}
		if ("deadletters".equals(section) && "redrive".equals(action)) {
			DeadLetterQueue letters = requireDeadLetterQueue();
			if (id != null) {
				requireFound(letters.redriveDeadLetter(id), id, queue);
				return body("queue", queue, "redriven", 1, "id", id);
			}
			return body("queue", queue, "redriven", letters.redriveDeadLetters(queue));
		}
		throw unknownAction(target);
	}

	/**
	 * Drop a queue's dead letters, or one of them: {@code DELETE deadletters/{queue}[?id=]}.
	 * @param section {@code deadletters}
	 * @param queue the queue they were rejected from
	 * @param id the one dead letter to drop, or {@code null} for all of the queue
	 * @return {@code {"queue": ..., "purged": n}}
	 */
	@DeleteOperation
	public Map<String, Object> delete(@Selector String section, @Selector String queue, @Nullable String id) {
		if (!"deadletters".equals(section)) {
			throw new UnknownTargetException("Nothing to delete at '" + section + "/" + queue
					+ "': DELETE deadletters/{queue} drops dead letters; POST queues/{queue}/purge empties a queue");
		}
		DeadLetterQueue letters = requireDeadLetterQueue();
		if (id != null) {
			requireFound(letters.purgeDeadLetter(id), id, queue);
			return body("queue", queue, "purged", 1, "id", id);
		}
		return body("queue", queue, "purged", letters.purgeDeadLetters(queue));
	}

	private Map<String, Object> pause(String queue, boolean pause) {
		Workers running = this.workers;
		if (running == null) {
			throw new UnknownTargetException("This application runs no worker: it consumes no queue");
		}
		boolean found = pause ? running.pause(queue) : running.resume(queue);
		if (!found) {
			throw new UnknownTargetException("No worker of this application consumes queue '" + queue + "'; it has "
					+ this.queues.workerQueues());
		}
		return body("queue", queue, "paused", pause);
	}

	private Map<String, Object> purge(String queue) {
		Set<String> known = this.queues.knownQueues();
		if (!known.contains(queue)) {
			throw new UnknownTargetException(
					"Queue '" + queue + "' is none of this application's: " + known);
		}
		return body("queue", queue, "purged", this.broker.purge(queue));
	}

	private TaskQueueReport.@Nullable Letters deadLetters(String queue, int limit) {
		DeadLetterQueue letters = deadLetterQueue();
		if (letters == null) {
			return null;
		}
		if (limit < 1) {
			throw new InvalidEndpointRequestException("limit must be 1 or more, was " + limit, "limit must be positive");
		}
		long count = letters.countDeadLetters().getOrDefault(queue, 0L);
		return TaskQueueReport.Letters.of(queue, count, letters.listDeadLetters(queue, limit));
	}

	private Map<String, TaskQueueReport.Task> tasks() {
		Map<String, TaskQueueReport.Task> tasks = new TreeMap<>();
		for (TaskDefinition task : this.registry.all()) {
			tasks.put(task.name(), TaskQueueReport.Task.of(task, this.acksLateByDefault));
		}
		return tasks;
	}

	private List<WorkerSnapshot> snapshots() {
		return this.queues.snapshots();
	}

	private @Nullable DeadLetterQueue deadLetterQueue() {
		return this.queues.deadLetterQueue();
	}

	private DeadLetterQueue requireDeadLetterQueue() {
		DeadLetterQueue letters = deadLetterQueue();
		if (letters == null) {
			throw new UnsupportedOperationException(
					this.broker.getClass().getSimpleName() + " keeps no dead letters");
		}
		return letters;
	}

	private static void requireFound(boolean found, String id, String queue) {
		if (!found) {
			throw new UnknownTargetException("No dead letter '" + id + "' (of queue '" + queue + "')");
		}
	}

	private static UnknownTargetException unknownAction(String target) {
		return new UnknownTargetException("Nothing to do at '" + target + "': POST queues/{queue}/pause, "
				+ "queues/{queue}/resume, queues/{queue}/purge or deadletters/{queue}/redrive");
	}

	private static Map<String, Object> body(Object... keysAndValues) {
		Map<String, Object> body = new LinkedHashMap<>();
		for (int i = 0; i < keysAndValues.length; i += 2) {
			body.put((String) keysAndValues[i], keysAndValues[i + 1]);
		}
		return OperationResponseBody.of(body);
	}

}
