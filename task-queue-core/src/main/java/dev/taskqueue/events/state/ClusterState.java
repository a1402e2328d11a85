package dev.taskqueue.events.state;

import java.time.Clock;
import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.events.CeleryEvent;

/**
 * The cluster as its events show it, Celery's {@code celery.events.state.State}: feed it every event
 * ({@link #event(CeleryEvent)}, for instance from {@code EventReceiver.subscribe(state::event)}) and read the
 * workers, the recent tasks and the throughput from any thread.
 * <p>
 * Bounded whatever the event rate: it keeps at most {@code maxTasks} tasks (the least recently changed are
 * forgotten first, Celery's {@code max_tasks_in_memory}) and {@code maxWorkers} workers (offline ones first,
 * Celery's {@code max_workers_in_memory}), and a fixed number of throughput buckets.
 * <p>
 * Thread-safe; {@link #event(CeleryEvent)} is cheap (a map update under a lock), so that it can run on the
 * transport's thread.
 */
public class ClusterState {

	/** Celery's {@code max_tasks_in_memory} default. */
	public static final int DEFAULT_MAX_TASKS = 10_000;

	/** Celery's {@code max_workers_in_memory} default. */
	public static final int DEFAULT_MAX_WORKERS = 5_000;

	/**
	 * A state with Celery's bounds and the system clock.
	 */
	public ClusterState() {
		this(DEFAULT_MAX_TASKS, DEFAULT_MAX_WORKERS, Clock.systemUTC());
	}

	/**
	 * A state of given bounds.
	 * @param maxTasks how many tasks to keep at most
	 * @param maxWorkers how many workers to keep at most
	 * @param clock what tells the time (a worker's liveness, the throughput buckets)
	 */
	public ClusterState(int maxTasks, int maxWorkers, Clock clock) {
		throw new UnsupportedOperationException("issue 18: in progress");
	}

	/**
	 * Fold one event in: a task event updates (or creates) its task, a worker event its worker; any other event
	 * is ignored. Never throws for an event's content.
	 * @param event the event, as received
	 */
	public void event(CeleryEvent event) {
		throw new UnsupportedOperationException("issue 18: in progress");
	}

	/**
	 * The workers heard of, by node name.
	 * @return the workers, sorted by node name
	 */
	public List<ObservedWorker> workers() {
		throw new UnsupportedOperationException("issue 18: in progress");
	}

	/**
	 * One worker.
	 * @param hostname its node name
	 * @return the worker, or {@code null} if never heard of (or forgotten)
	 */
	public @Nullable ObservedWorker worker(String hostname) {
		throw new UnsupportedOperationException("issue 18: in progress");
	}

	/**
	 * The recent tasks that match, newest (most recently changed) first.
	 * @param query which, and how many at most
	 * @return the tasks
	 */
	public List<ObservedTask> tasks(TaskQuery query) {
		throw new UnsupportedOperationException("issue 18: in progress");
	}

	/**
	 * One task.
	 * @param id its id
	 * @return the task, or {@code null} if never heard of (or forgotten)
	 */
	public @Nullable ObservedTask task(String id) {
		throw new UnsupportedOperationException("issue 18: in progress");
	}

	/**
	 * What changed since a sequence number: what a live view pushes to its page.
	 * @param sequence the {@link Changes#sequence()} of the last call, or 0 for everything held
	 * @return the changes
	 */
	public Changes changesSince(long sequence) {
		throw new UnsupportedOperationException("issue 18: in progress");
	}

	/**
	 * How many tasks finished over the last minutes.
	 * @return the throughput, ten-second buckets over the last ten minutes
	 */
	public Throughput throughput() {
		throw new UnsupportedOperationException("issue 18: in progress");
	}

	/**
	 * How many tasks the history holds now (never more than {@code maxTasks}).
	 * @return the number
	 */
	public int taskCount() {
		throw new UnsupportedOperationException("issue 18: in progress");
	}

}
