package dev.taskqueue.broker;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Access to the messages a {@link Broker} dead-lettered: list them, publish them back to
 * their queue unchanged ("redrive"), or drop them ("purge"). Implemented by brokers that
 * keep dead letters.
 */
public interface DeadLetterQueue {

	/**
	 * List dead letters, oldest first.
	 * @param queue the queue they were rejected from, or {@code null} for all queues
	 * @param limit the most to return
	 * @return the dead letters
	 */
	List<DeadLetter> listDeadLetters(@Nullable String queue, int limit);

	/**
	 * Publish one dead letter back to its queue, unchanged, and remove it.
	 * @param id the dead letter's {@link DeadLetter#id() id}
	 * @return whether it was found
	 */
	boolean redriveDeadLetter(String id);

	/**
	 * Publish all dead letters of a queue (or of all queues) back, unchanged, and remove them.
	 * @param queue the queue, or {@code null} for all queues
	 * @return how many were redriven
	 */
	int redriveDeadLetters(@Nullable String queue);

	/**
	 * Remove one dead letter.
	 * @param id the dead letter's {@link DeadLetter#id() id}
	 * @return whether it was found
	 */
	boolean purgeDeadLetter(String id);

	/**
	 * Remove all dead letters of a queue (or of all queues).
	 * @param queue the queue, or {@code null} for all queues
	 * @return how many were removed
	 */
	int purgeDeadLetters(@Nullable String queue);

	/**
	 * How many dead letters each queue has.
	 * By default the dead letters are listed and counted; brokers that can count without reading them do.
	 * @return the count per queue a dead letter was rejected from; queues without dead letters are absent
	 */
	default Map<String, Long> countDeadLetters() {
		Map<String, Long> counts = new java.util.TreeMap<>();
		for (DeadLetter letter : listDeadLetters(null, Integer.MAX_VALUE)) {
			counts.merge(letter.queue(), 1L, Long::sum);
		}
		return counts;
	}

}
