package dev.taskqueue;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Thrown by a task to be run again later, as Celery's {@code raise self.retry(exc=..., countdown=...)}:
 * <pre>{@code
 * @Task(name = "payments.capture", maxRetries = 5)
 * Receipt capture(UUID payment, TaskContext context) {
 *     try {
 *         return gateway.capture(payment);
 *     }
 *     catch (GatewayBusyException ex) {
 *         throw context.retry(ex, Duration.ofSeconds(30));
 *     }
 * }
 * }</pre>
 * The message is published again with the same id and one more retry, and RETRY is stored; once the task's
 * {@link Task#maxRetries()} are used up, it fails with the cause instead.
 */
public class TaskRetryException extends RuntimeException {

	private final transient @Nullable Duration countdown;

	/**
	 * Ask for a retry.
	 * @param cause why the task failed this time
	 * @param countdown how long to wait, or {@code null} for the task's retry delay
	 */
	public TaskRetryException(@Nullable Throwable cause, @Nullable Duration countdown) {
		super("Retry" + ((countdown != null) ? " in " + countdown : "") + ((cause != null) ? ": " + cause : ""), cause);
		this.countdown = countdown;
	}

	/**
	 * How long to wait before the next run.
	 * @return the countdown, or {@code null} for the task's retry delay
	 */
	public @Nullable Duration getCountdown() {
		return this.countdown;
	}

}
