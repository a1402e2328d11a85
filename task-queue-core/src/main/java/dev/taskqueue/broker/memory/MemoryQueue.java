package dev.taskqueue.broker.memory;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.protocol.Envelope;

/**
 * One queue of the {@link InMemoryBroker}: the highest priority first, and within a priority the order of
 * arrival, a requeued message going back to its original place. Not thread-safe: the broker's lock guards it.
 * <p>
 * Taking and adding are constant time whatever the queue's length: a priority's messages are a FIFO of
 * fresh arrivals (whose sequence numbers only grow) and a small heap of requeued ones (which go back ahead
 * of what arrived after them); the next message is the older head of the two.
 */
final class MemoryQueue {

	private static final Comparator<Entry> BY_SEQUENCE = Comparator.comparingLong(Entry::sequence);

	/** The priorities that have messages, highest first. */
	private final TreeMap<Integer, Level> levels = new TreeMap<>(Comparator.reverseOrder());

	private int size;

	/**
	 * Add a message that arrived now; its sequence number is above every one added before.
	 * @param entry the message
	 */
	void add(Entry entry) {
		level(entry.priority()).fresh.addLast(entry);
		this.size++;
	}

	/**
	 * Put back a message that was delivered, in its original place.
	 * @param entry the message, with the sequence number it had
	 */
	void requeue(Entry entry) {
		Level level = level(entry.priority());
		if (level.requeued == null) {
			level.requeued = new PriorityQueue<>(BY_SEQUENCE);
		}
		level.requeued.add(entry);
		this.size++;
	}

	/**
	 * Take the next message.
	 * @return the message, or {@code null} if the queue is empty
	 */
	@Nullable Entry poll() {
		Map.Entry<Integer, Level> highest = this.levels.firstEntry();
		if (highest == null) {
			return null;
		}
		Level level = highest.getValue();
		Entry entry = level.poll();
		if (level.isEmpty()) {
			this.levels.remove(highest.getKey());
		}
		this.size--;
		return entry;
	}

	/**
	 * How many messages wait.
	 * @return the number of messages
	 */
	int size() {
		return this.size;
	}

	private Level level(int priority) {
		Level level = this.levels.get(priority);
		if (level == null) {
			level = new Level();
			this.levels.put(priority, level);
		}
		return level;
	}

	/**
	 * A message in a queue.
	 *
	 * @param envelope the message
	 * @param priority its priority
	 * @param sequence its place in the order of arrival
	 * @param redelivered whether it was delivered before
	 */
	record Entry(Envelope envelope, int priority, long sequence, boolean redelivered) {
	}

	private static final class Level {

		private final ArrayDeque<Entry> fresh = new ArrayDeque<>();

		private @Nullable PriorityQueue<Entry> requeued;

		@Nullable Entry poll() {
			Entry requeuedHead = (this.requeued != null) ? this.requeued.peek() : null;
			Entry freshHead = this.fresh.peekFirst();
			if (requeuedHead != null && (freshHead == null || requeuedHead.sequence() < freshHead.sequence())) {
				return this.requeued.poll();
			}
			return this.fresh.pollFirst();
		}

		boolean isEmpty() {
			return this.fresh.isEmpty() && (this.requeued == null || this.requeued.isEmpty());
		}

	}

}
