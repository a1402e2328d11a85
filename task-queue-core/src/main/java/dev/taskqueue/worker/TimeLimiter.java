package dev.taskqueue.worker;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.broker.LoopStep;

/**
 * Enforces time limits on running tasks, as Celery's soft and hard limits: at the soft limit the task's
 * thread is interrupted, so that the task can clean up; at the hard limit the task is abandoned, and a
 * callback records the failure and replaces the thread.
 */
class TimeLimiter implements AutoCloseable {

	private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor((runnable) -> {
		Thread thread = new Thread(runnable, "taskqueue-time-limits");
		thread.setDaemon(true);
		return thread;
	});

	/**
	 * Start timing the task running on the calling thread.
	 * @param soft when to interrupt it, or {@code null}
	 * @param hard when to abandon it, or {@code null}
	 * @param onHardLimit what to do when it is abandoned (called on the timer's thread)
	 * @return the execution, to {@link Execution#finish() finish} when the task returns
	 */
	Execution start(@Nullable Duration soft, @Nullable Duration hard, Runnable onHardLimit) {
		if (soft == null && hard == null) {
			// nothing to time (the usual case): nothing to schedule, nothing to allocate
			return Execution.UNLIMITED;
		}
		Execution execution = new Execution(Thread.currentThread(), onHardLimit);
		if (soft != null) {
			execution.soft = this.timer.schedule(LoopStep.guarded("The soft time limit timer", execution::softLimit), soft.toNanos(), TimeUnit.NANOSECONDS);
		}
		if (hard != null) {
			execution.hard = this.timer.schedule(LoopStep.guarded("The hard time limit timer", execution::hardLimit), hard.toNanos(), TimeUnit.NANOSECONDS);
		}
		return execution;
	}

	@Override
	public void close() {
		this.timer.shutdownNow();
	}

	/**
	 * One timed run of a task.
	 */
	static final class Execution {

		private static final int RUNNING = 0;

		private static final int SOFT_EXCEEDED = 1;

		private static final int ABANDONED = 2;

		private static final int FINISHED = 3;

		/** A run with no limit: no timer ever fires, so it always finishes, and any number of runs share it. */
		static final Execution UNLIMITED = new Execution(null, null, FINISHED);

		private final @Nullable Thread thread;

		private final @Nullable Runnable onHardLimit;

		private final AtomicInteger state;

		private volatile @Nullable ScheduledFuture<?> soft;

		private volatile @Nullable ScheduledFuture<?> hard;

		private volatile boolean softFired;

		private Execution(@Nullable Thread thread, @Nullable Runnable onHardLimit) {
			this(thread, onHardLimit, RUNNING);
		}

		private Execution(@Nullable Thread thread, @Nullable Runnable onHardLimit, int state) {
			this.thread = thread;
			this.onHardLimit = onHardLimit;
			this.state = new AtomicInteger(state);
		}

		private void softLimit() {
			if (this.state.compareAndSet(RUNNING, SOFT_EXCEEDED)) {
				this.softFired = true;
				this.thread.interrupt();
			}
		}

		private void hardLimit() {
			int current = this.state.get();
			if ((current == RUNNING || current == SOFT_EXCEEDED) && this.state.compareAndSet(current, ABANDONED)) {
				this.thread.interrupt();
				this.onHardLimit.run();
			}
		}

		/**
		 * The task returned: stop the timers.
		 * @return {@code false} if the task had been abandoned at its hard limit, so its outcome must be dropped
		 */
		boolean finish() {
			cancel(this.soft);
			cancel(this.hard);
			while (true) {
				int current = this.state.get();
				if (current == ABANDONED) {
					return false;
				}
				if (current == FINISHED || this.state.compareAndSet(current, FINISHED)) {
					// the soft limit's interrupt is meant for the task, not for the worker loop after it
					if (current == SOFT_EXCEEDED) {
						Thread.interrupted();
					}
					return true;
				}
			}
		}

		/**
		 * Whether the soft limit fired before the task returned.
		 * @return {@code true} if it did
		 */
		boolean softLimitExceeded() {
			return this.softFired;
		}

		private static void cancel(@Nullable ScheduledFuture<?> future) {
			if (future != null) {
				future.cancel(false);
			}
		}

	}

}
