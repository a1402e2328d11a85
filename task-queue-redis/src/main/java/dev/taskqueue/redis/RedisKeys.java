package dev.taskqueue.redis;

import java.util.ArrayList;
import java.util.List;

/**
 * The keys of the Redis broker, laid out as kombu's Redis transport keeps them, so that Celery clients and
 * workers share them: a list per queue and priority bucket ({@code celery}, {@code celery\x06\x163},
 * {@code celery\x06\x166}, {@code celery\x06\x169}), the {@code _kombu.binding.<queue>} sets, and the
 * {@code unacked} hash with its {@code unacked_index}. Our own additions start with {@code taskqueue.} (claims
 * and deferred messages) or end with {@code .dead-letter}. Every key starts with the prefix, empty for Celery.
 *
 * @param prefix the prefix of every key
 */
record RedisKeys(String prefix) {

	/** kombu's separator in bucket names and binding members. */
	static final String SEPARATOR = "\u0006\u0016";

	/** kombu's priority steps: 0-2 go to the queue's own list, 3-5 to "3", 6-8 to "6", 9 to "9". */
	private static final int[] PRIORITY_STEPS = { 0, 3, 6, 9 };

	/**
	 * Check the prefix.
	 */
	RedisKeys {
		prefix = (prefix != null) ? prefix : "";
	}

	/**
	 * The list a message of this priority waits in. Lower numbers are consumed first, as in kombu.
	 * @param queue the queue
	 * @param priority the message priority, clamped to 0..9
	 * @return the list's key
	 */
	String bucket(String queue, int priority) {
		int clamped = Math.max(0, Math.min(9, priority));
		int step = 0;
		for (int candidate : PRIORITY_STEPS) {
			if (candidate <= clamped) {
				step = candidate;
			}
		}
		return (step == 0) ? this.prefix + queue : this.prefix + queue + SEPARATOR + step;
	}

	/**
	 * A queue's lists, the one consumed first first.
	 * @param queue the queue
	 * @return the bucket keys
	 */
	List<String> buckets(String queue) {
		List<String> keys = new ArrayList<>(PRIORITY_STEPS.length);
		for (int step : PRIORITY_STEPS) {
			keys.add(bucket(queue, step));
		}
		return keys;
	}

	/**
	 * The queue a list belongs to.
	 * @param list a list key, with the prefix and maybe a priority suffix
	 * @return the queue's name
	 */
	String queueOf(String list) {
		String queue = list.startsWith(this.prefix) ? list.substring(this.prefix.length()) : list;
		int separator = queue.lastIndexOf(SEPARATOR);
		return (separator >= 0 && separator == queue.length() - SEPARATOR.length() - 1) ? queue.substring(0, separator)
				: queue;
	}

	/**
	 * The set that binds a queue to its exchange (named after the queue, as Celery declares it).
	 * @param queue the queue
	 * @return the set's key
	 */
	String binding(String queue) {
		return this.prefix + "_kombu.binding." + queue;
	}

	/**
	 * The member of {@link #binding(String)} for a queue: routing key, pattern and queue.
	 * @param queue the queue
	 * @return the member
	 */
	static String bindingMember(String queue) {
		return queue + SEPARATOR + SEPARATOR + queue;
	}

	/**
	 * kombu's hash of claimed messages: delivery tag to {@code [envelope, exchange, routing key]}.
	 * @return the key
	 */
	String unacked() {
		return this.prefix + "unacked";
	}

	/**
	 * kombu's index of claimed messages: delivery tag to the epoch second of the claim.
	 * @return the key
	 */
	String unackedIndex() {
		return this.prefix + "unacked_index";
	}

	/**
	 * The claims of our workers: {@link #claim(String, String) a claim} to the epoch second it was last
	 * refreshed.
	 * @return the key
	 */
	String claims() {
		return this.prefix + "taskqueue.claims";
	}

	/**
	 * Messages parked until due: {@code "<length of list key>:<list key><envelope>"} to the due epoch second.
	 * @return the key
	 */
	String deferred() {
		return this.prefix + "taskqueue.deferred";
	}

	/**
	 * A queue's dead letters, newest first.
	 * @param queue the queue
	 * @return the list's key
	 */
	String deadLetter(String queue) {
		return this.prefix + queue + ".dead-letter";
	}

	/**
	 * The queues that have dead letters, so that they can be listed without scanning the database.
	 * @return the set's key
	 */
	String deadLetterQueues() {
		return this.prefix + "taskqueue.dead-letter-queues";
	}

	/**
	 * A claim's member in {@link #claims()}: {@code "<length of tag>:<tag><list>"}, the delivery tag and
	 * the list the message was taken from (lengths in UTF-8 bytes, as Lua counts them).
	 * @param tag the delivery tag
	 * @param list the list
	 * @return the member
	 */
	static String claim(String tag, String list) {
		return tag.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + ":" + tag + list;
	}

	/**
	 * The claim bookkeeping keys, in the order the scripts take them.
	 * @return unacked, unacked_index, claims
	 */
	List<String> claimKeys() {
		return List.of(unacked(), unackedIndex(), claims());
	}

}
