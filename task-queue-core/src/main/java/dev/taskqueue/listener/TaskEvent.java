package dev.taskqueue.listener;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * One task at one moment of its life, as a {@link TaskListener} is told of it: Celery's signal arguments
 * ({@code task_id}, {@code task}, {@code request}) in one object. The same event is handed to every moment of
 * one run (received, prerun, postrun and the outcome), so a listener can keep what it started in
 * {@link #attributes()} (an observation, a timer sample) and finish it later, whichever thread that is on.
 */
public final class TaskEvent {

	private final String taskId;

	private final String taskName;

	private final @Nullable String queue;

	private final int retries;

	private final Map<String, Object> headers;

	private final @Nullable String worker;

	private final @Nullable Instant sentAt;

	private final long createdNanos = System.nanoTime();

	private volatile long startedNanos;

	private volatile long finishedNanos;

	private final Map<String, Object> attributes = new ConcurrentHashMap<>(4);

	/**
	 * Create an event.
	 * @param taskId the task's id
	 * @param taskName the task's name, as the message names it
	 * @param queue the queue it was published to or received from, or {@code null} if not known
	 * @param retries how many times it has been retried before
	 * @param headers the message's headers (read-only here; a publish listener adds headers through the map it is
	 * given)
	 * @param worker the name of the worker that runs it, or {@code null} on the sending side
	 * @param sentAt when the sender published it, if the message says ({@code taskqueue_sent} header), else
	 * {@code null}
	 */
	public TaskEvent(String taskId, String taskName, @Nullable String queue, int retries, Map<String, Object> headers,
			@Nullable String worker, @Nullable Instant sentAt) {
		this.taskId = taskId;
		this.taskName = taskName;
		this.queue = queue;
		this.retries = retries;
		this.headers = Collections.unmodifiableMap(headers);
		this.worker = worker;
		this.sentAt = sentAt;
	}

	/**
	 * The task's id (Celery's {@code task_id}).
	 * @return the id
	 */
	public String taskId() {
		return this.taskId;
	}

	/**
	 * The task's name as the message names it; for a task this worker does not know, whatever the message said.
	 * @return the name
	 */
	public String taskName() {
		return this.taskName;
	}

	/**
	 * The queue the task was published to or received from.
	 * @return the queue, or {@code null} if not known
	 */
	public @Nullable String queue() {
		return this.queue;
	}

	/**
	 * How many times the task was retried before this run (Celery's {@code request.retries}).
	 * @return the count
	 */
	public int retries() {
		return this.retries;
	}

	/**
	 * The message's headers: on a worker, every header it received; on the sending side, the extra headers
	 * ({@code taskqueue_sent}, the caller's, the listeners') during {@link TaskListener#beforePublish}, and every
	 * header of the message ({@code argsrepr}, {@code eta}, {@code root_id}...) from
	 * {@link TaskListener#afterPublish} on.
	 * @return the headers, read-only
	 */
	public Map<String, Object> headers() {
		return this.headers;
	}

	/**
	 * The worker running the task.
	 * @return its name, or {@code null} on the sending side
	 */
	public @Nullable String worker() {
		return this.worker;
	}

	/**
	 * When the sender published the task, if its message says so: Task Queue's senders add a
	 * {@code taskqueue_sent} header; Celery's do not.
	 * @return the time, or {@code null}
	 */
	public @Nullable Instant sentAt() {
		return this.sentAt;
	}

	/**
	 * How long the task ran: from prerun to postrun.
	 * @return the duration, or zero before postrun
	 */
	public Duration runtime() {
		long started = this.startedNanos;
		long finished = this.finishedNanos;
		return (started != 0 && finished != 0) ? Duration.ofNanos(finished - started) : Duration.ZERO;
	}

	/**
	 * How long the task has run so far, or ran.
	 * @return the duration, zero before prerun
	 */
	public Duration elapsed() {
		long started = this.startedNanos;
		if (started == 0) {
			return Duration.ZERO;
		}
		long finished = this.finishedNanos;
		return Duration.ofNanos(((finished != 0) ? finished : System.nanoTime()) - started);
	}

	/**
	 * Whether the run started: the worker marked it just before prerun. A message settled without running
	 * (revoked, expired, unknown, undecodable) never starts.
	 * @return {@code true} from prerun on
	 */
	public boolean isStarted() {
		return this.startedNanos != 0;
	}

	/**
	 * Nanos (of {@link System#nanoTime()}) when this event was made: when the task was received or published.
	 * @return the time
	 */
	public long createdNanos() {
		return this.createdNanos;
	}

	/**
	 * Mark the start of the run; the worker calls this just before prerun.
	 */
	public void markStarted() {
		this.startedNanos = System.nanoTime();
	}

	/**
	 * Mark the end of the run; the worker calls this just before postrun.
	 */
	public void markFinished() {
		this.finishedNanos = System.nanoTime();
	}

	/**
	 * What listeners keep between the moments of one run, by keys of their own (a class name is a good key).
	 * @return the mutable, thread-safe attributes
	 */
	public Map<String, Object> attributes() {
		return this.attributes;
	}

	@Override
	public String toString() {
		return this.taskName + "[" + this.taskId + "]";
	}

}
