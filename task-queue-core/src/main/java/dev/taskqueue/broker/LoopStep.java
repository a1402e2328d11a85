package dev.taskqueue.broker;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One step of a background loop (a consumer, housekeeping, a follower, a listener), run so that whatever it
 * throws, an {@link Error} included, is logged with the loop's name and does not end the loop: a
 * {@link java.util.concurrent.ScheduledExecutorService} drops a task that throws for good without a word, and a
 * thread whose loop catches only {@link RuntimeException} dies as silently.
 * <p>
 * An {@link OutOfMemoryError} is logged too and the loop carries on, as the memory a failed step held is free
 * again; a worker should run with {@code -XX:+ExitOnOutOfMemoryError}, so that the JVM ends (and is restarted
 * by its supervisor) rather than running on in an unknown state.
 */
public final class LoopStep {

	private static final Logger logger = LoggerFactory.getLogger(LoopStep.class);

	private LoopStep() {
	}

	/**
	 * Run one step; log what it threw, if anything.
	 * @param loop the loop's name, for the log
	 * @param step the step
	 * @return whether the step ran to its end
	 */
	public static boolean run(String loop, Runnable step) {
		try {
			step.run();
			return true;
		}
		catch (Throwable ex) {
			failed(loop, ex);
			return false;
		}
	}

	/**
	 * A step that is always {@linkplain #run(String, Runnable) run guarded}: what to schedule on an executor.
	 * @param loop the loop's name, for the log
	 * @param step the step
	 * @return the guarded step
	 */
	public static Runnable guarded(String loop, Runnable step) {
		return () -> run(loop, step);
	}

	/**
	 * Log a failure that a loop caught itself and carries on after.
	 * @param loop the loop's name
	 * @param failure what its step threw
	 */
	public static void failed(String loop, Throwable failure) {
		if (failure instanceof OutOfMemoryError) {
			logger.error("{} ran out of memory; carrying on (run workers with -XX:+ExitOnOutOfMemoryError to have "
					+ "the JVM end instead)", loop, failure);
		}
		else if (failure instanceof Error) {
			logger.error("{} failed with an error; carrying on", loop, failure);
		}
		else {
			logger.error("{} failed; carrying on", loop, failure);
		}
	}

}
