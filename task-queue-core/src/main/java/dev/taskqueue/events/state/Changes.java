package dev.taskqueue.events.state;

import java.util.List;

/**
 * What changed in a {@link ClusterState} since a sequence number: what a live view sends its page.
 *
 * @param sequence the newest sequence number now: ask {@link ClusterState#changesSince(long)} with it next time
 * @param tasks the tasks that changed since, newest change first (each as it is now)
 * @param workers the workers that changed since (each as it is now)
 */
public record Changes(long sequence, List<ObservedTask> tasks, List<ObservedWorker> workers) {

	public Changes {
		tasks = List.copyOf(tasks);
		workers = List.copyOf(workers);
	}

	/**
	 * Whether nothing changed.
	 * @return whether there are neither tasks nor workers
	 */
	public boolean isEmpty() {
		return this.tasks.isEmpty() && this.workers.isEmpty();
	}

}
