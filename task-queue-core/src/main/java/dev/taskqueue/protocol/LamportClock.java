package dev.taskqueue.protocol;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Celery's logical clock ({@code app.clock}, kombu's {@code LamportClock}): stamped as {@code clock} on events and
 * remote-control messages, advanced on each one sent, and moved past every value received, so that a cluster's
 * events can be ordered. One per application.
 */
public final class LamportClock {

	private final AtomicLong value = new AtomicLong();

	/**
	 * The clock's value now, without advancing it.
	 * @return the value
	 */
	public long value() {
		return this.value.get();
	}

	/**
	 * Advance the clock for a message about to be sent (kombu's {@code forward()}).
	 * @return the new value, to stamp on the message
	 */
	public long forward() {
		return this.value.incrementAndGet();
	}

	/**
	 * Move the clock past a value received from another node (kombu's {@code adjust(other)}).
	 * @param other the value received
	 * @return the new value
	 */
	public long adjust(long other) {
		return this.value.accumulateAndGet(other, (mine, theirs) -> Math.max(mine, theirs) + 1);
	}

}
