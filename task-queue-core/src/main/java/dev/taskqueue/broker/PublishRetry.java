package dev.taskqueue.broker;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * How a send that the broker did not take is tried again, Celery's {@code task_publish_retry} and
 * {@code task_publish_retry_policy}: up to {@code maxRetries} more times, waiting {@code intervalStart} before the
 * first retry and {@code intervalStep} longer before each next one, never more than {@code intervalMax}; then the
 * send fails with a {@link BrokerException}. Each try is itself bounded by its broker (the Redis send timeout,
 * the RabbitMQ confirm timeout), so a send to a broker that is down fails within a few seconds.
 *
 * @param enabled whether a send is retried at all
 * @param maxRetries the most retries after the first try
 * @param intervalStart the wait before the first retry
 * @param intervalStep how much longer each next wait is
 * @param intervalMax the longest wait
 */
public record PublishRetry(boolean enabled, int maxRetries, Duration intervalStart, Duration intervalStep,
		Duration intervalMax) {

	/** Celery's defaults: 3 retries, waiting 0 s, then 0.2 s, never more than 0.2 s. */
	public static final PublishRetry DEFAULTS = new PublishRetry(true, 3, Duration.ZERO, Duration.ofMillis(200),
			Duration.ofMillis(200));

	/** One try only. */
	public static final PublishRetry DISABLED = new PublishRetry(false, 0, Duration.ZERO, Duration.ZERO, Duration.ZERO);

	/**
	 * Check the policy.
	 */
	public PublishRetry {
		if (maxRetries < 0 || intervalStart.isNegative() || intervalStep.isNegative() || intervalMax.isNegative()) {
			throw new IllegalArgumentException("publish retries and intervals must not be negative");
		}
	}

	/**
	 * The wait before a retry.
	 * @param retry the retry, 0 for the first
	 * @return how long to wait before it
	 */
	public Duration interval(int retry) {
		Duration interval = this.intervalStart.plus(this.intervalStep.multipliedBy(retry));
		return (interval.compareTo(this.intervalMax) > 0) ? this.intervalMax : interval;
	}

	/**
	 * Send, retrying as this policy says.
	 * @param what what is sent, for the error
	 * @param send one try; throws if the broker did not take the message
	 * @throws BrokerException if no try succeeded, with the last failure as its cause
	 */
	public void send(String what, Runnable send) {
		int retries = this.enabled ? this.maxRetries : 0;
		RuntimeException last = null;
		for (int attempt = 0; attempt <= retries; attempt++) {
			if (attempt > 0) {
				pause(interval(attempt - 1), last);
			}
			try {
				send.run();
				return;
			}
			catch (RuntimeException ex) {
				last = ex;
			}
		}
		throw failed(what, retries, last);
	}

	private static BrokerException failed(String what, int retries, @Nullable RuntimeException last) {
		String tries = (retries == 0) ? "" : " (tried " + (retries + 1) + " times)";
		return new BrokerException("Could not send " + what + tries + ": "
				+ ((last != null) ? last.getMessage() : "no try was made"), last);
	}

	private static void pause(Duration interval, @Nullable RuntimeException last) {
		if (interval.isZero()) {
			return;
		}
		try {
			Thread.sleep(interval.toMillis(), interval.toNanosPart() % 1_000_000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new BrokerException("Interrupted while retrying a send", last);
		}
	}

}
