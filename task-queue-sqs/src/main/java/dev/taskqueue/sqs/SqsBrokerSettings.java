package dev.taskqueue.sqs;

import java.time.Duration;

/**
 * How the SQS broker names, polls and holds its queues (kombu's SQS {@code transport_options}).
 *
 * @param queueNamePrefix put before every queue name, kombu's {@code queue_name_prefix}
 * @param waitTime how long one receive waits for a message (SQS long polling, 0 to 20 s), kombu's
 * {@code wait_time_seconds}; a cancelled consumer stops within it
 * @param visibilityTimeout how long a received message stays invisible to other consumers before SQS delivers it
 * again, kombu's {@code visibility_timeout}; the broker extends it for every message it holds unsettled, so a
 * killed worker's messages reappear within it
 * @param deadLetterQueue the queue rejected messages are moved to (before the prefix and kombu's naming)
 */
public record SqsBrokerSettings(String queueNamePrefix, Duration waitTime, Duration visibilityTimeout,
		String deadLetterQueue) {

	/** SQS's longest receive wait. */
	static final Duration MAX_WAIT_TIME = Duration.ofSeconds(20);

	/** SQS's longest visibility timeout. */
	static final Duration MAX_VISIBILITY_TIMEOUT = Duration.ofHours(12);

	/**
	 * Check the settings against SQS's bounds.
	 */
	public SqsBrokerSettings {
		if (waitTime.isNegative() || waitTime.compareTo(MAX_WAIT_TIME) > 0) {
			throw new IllegalArgumentException("the SQS wait time must be 0 to 20 seconds, was " + waitTime);
		}
		if (visibilityTimeout.toSeconds() < 1 || visibilityTimeout.compareTo(MAX_VISIBILITY_TIMEOUT) > 0) {
			throw new IllegalArgumentException(
					"the SQS visibility timeout must be 1 second to 12 hours, was " + visibilityTimeout);
		}
	}

	/**
	 * kombu's defaults: no prefix, a 10 s wait, a 30 min visibility timeout; dead letters in
	 * {@code taskqueue.dead-letter} (SQS name {@code taskqueue-dead-letter}).
	 * @return the defaults
	 */
	public static SqsBrokerSettings defaults() {
		return new SqsBrokerSettings("", Duration.ofSeconds(10), Duration.ofMinutes(30), "taskqueue.dead-letter");
	}

	/**
	 * These settings with another prefix.
	 * @param prefix the queue name prefix
	 * @return the settings
	 */
	public SqsBrokerSettings withQueueNamePrefix(String prefix) {
		return new SqsBrokerSettings(prefix, this.waitTime, this.visibilityTimeout, this.deadLetterQueue);
	}

	/**
	 * These settings with another wait time.
	 * @param waitTime the long-poll wait
	 * @return the settings
	 */
	public SqsBrokerSettings withWaitTime(Duration waitTime) {
		return new SqsBrokerSettings(this.queueNamePrefix, waitTime, this.visibilityTimeout, this.deadLetterQueue);
	}

	/**
	 * These settings with another visibility timeout.
	 * @param visibilityTimeout the visibility timeout
	 * @return the settings
	 */
	public SqsBrokerSettings withVisibilityTimeout(Duration visibilityTimeout) {
		return new SqsBrokerSettings(this.queueNamePrefix, this.waitTime, visibilityTimeout, this.deadLetterQueue);
	}

}
