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

	private final boolean coldShutdownOnSecondSignal;

	private ShutdownSignals signals;

	/**
	 * Create the group.
	 * @param workers the workers
	 */
	public Workers(List<Worker> workers) {
		this(workers, false);
	}

	/**
	 * Create the group.
	 * @param workers the workers
	 * @param coldShutdownOnSecondSignal whether, while they run, a second SIGTERM or SIGINT makes their
	 * shutdown cold ({@link #stopNow()}), as Celery's second signal does; the first is left to the JVM
	 */
	public Workers(List<Worker> workers, boolean coldShutdownOnSecondSignal) {
		this.workers = List.copyOf(workers);
		this.coldShutdownOnSecondSignal = coldShutdownOnSecondSignal;
	}

	/**
	 * The workers.
	 * @return the workers, in configuration order
	 */
	public List<Worker> getWorkers() {
		return this.workers;
	}

	/**
	 * Whether a second SIGTERM or SIGINT makes a shutdown cold.
	 * @return whether the signals are handled
	 */
	public boolean isColdShutdownOnSecondSignal() {
		return this.coldShutdownOnSecondSignal;
	}

	@Override
	public synchronized void start() {
		if (this.coldShutdownOnSecondSignal && this.signals == null) {
			this.signals = ShutdownSignals.install(this::stopNow);
		}
		this.workers.forEach(Worker::start);
	}

	@Override
	public synchronized void stop() {
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
				break;
			}
		}
		if (this.signals != null) {
			this.signals.restore();
			this.signals = null;
		}
	}

	/**
	 * Make a shutdown cold: the workers stop waiting for running tasks, hand their messages back to the
	 * broker and interrupt them. Safe to call at any time; a shutdown that has not begun will not wait.
	 */
	public void stopNow() {
		this.workers.forEach(Worker::stopNow);
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
