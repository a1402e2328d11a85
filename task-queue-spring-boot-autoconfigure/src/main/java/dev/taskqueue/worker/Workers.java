package dev.taskqueue.worker;

import java.util.List;

import org.springframework.context.SmartLifecycle;

/**
 * The workers of an application (one per worker group), started and stopped with its context. They stop
 * side by side, so that each gets its whole shutdown timeout, and before the beans they use are destroyed.
 */
public class Workers implements SmartLifecycle {

	/** Stops before the broker's connections are closed, and before the web server. */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

	private final List<Worker> workers;

	/**
	 * Create the group.
	 * @param workers the workers
	 */
	public Workers(List<Worker> workers) {
		this.workers = List.copyOf(workers);
	}

	/**
	 * The workers.
	 * @return the workers, in configuration order
	 */
	public List<Worker> getWorkers() {
		return this.workers;
	}

	@Override
	public void start() {
		this.workers.forEach(Worker::start);
	}

	@Override
	public void stop() {
		List<Thread> stopping = this.workers.stream()
			.map((worker) -> new Thread(worker::stop, "stop-" + worker.getSettings().name()))
			.toList();
		stopping.forEach(Thread::start);
		for (Thread thread : stopping) {
			try {
				thread.join();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.workers.stream().anyMatch(Worker::isRunning);
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
