package dev.taskqueue.beat;

import java.time.Instant;

/**
 * Told what the beat does, for metrics ({@code taskqueue.beat.sent}) and tests. Called on the scheduler's
 * thread; a listener that throws is logged and ignored.
 */
public interface BeatListener {

	/**
	 * A fire time of an entry was sent.
	 * @param entry the entry
	 * @param scheduledAt the fire time it was sent for
	 * @param taskId the id of the task sent
	 */
	default void sent(BeatEntry entry, Instant scheduledAt, String taskId) {
	}

	/**
	 * This scheduler took or lost the lead.
	 * @param leading whether it leads now
	 */
	default void leadershipChanged(boolean leading) {
	}

}
