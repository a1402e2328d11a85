package dev.taskqueue.broker;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.protocol.Envelope;

/**
 * A delivery that settles at most once: the first of ack, requeue, reject or defer wins and later calls
 * are ignored. Transports implement the four {@code do} methods.
 */
public abstract class AbstractDelivery implements Delivery {

	private final Envelope envelope;

	private final String queue;

	private final boolean redelivered;

	private final @Nullable String unreadable;

	private final AtomicBoolean settled = new AtomicBoolean();

	private volatile Runnable onSettled = () -> {
	};

	/**
	 * Create a delivery.
	 * @param envelope the message
	 * @param queue the queue it came from
	 * @param redelivered whether it was delivered before
	 */
	protected AbstractDelivery(Envelope envelope, String queue, boolean redelivered) {
		this(envelope, queue, redelivered, null);
	}

	/**
	 * Create a delivery of a message the broker could read only in part.
	 * @param envelope what could be read of the message (its headers and task id, an empty body)
	 * @param queue the queue it came from
	 * @param redelivered whether it was delivered before
	 * @param unreadable why the rest could not be read, or {@code null} if it was read whole
	 * @see Delivery#unreadable()
	 */
	protected AbstractDelivery(Envelope envelope, String queue, boolean redelivered, @Nullable String unreadable) {
		this.envelope = envelope;
		this.queue = queue;
		this.redelivered = redelivered;
		this.unreadable = unreadable;
	}

	@Override
	public Envelope envelope() {
		return this.envelope;
	}

	@Override
	public String queue() {
		return this.queue;
	}

	@Override
	public boolean redelivered() {
		return this.redelivered;
	}

	@Override
	public @Nullable String unreadable() {
		return this.unreadable;
	}

	/**
	 * Run this once the delivery is settled (a consumer uses it to free a prefetch slot).
	 * @param onSettled the callback
	 */
	public void onSettled(Runnable onSettled) {
		this.onSettled = onSettled;
	}

	@Override
	public final void ack() {
		if (settle()) {
			try {
				doAck();
			}
			finally {
				this.onSettled.run();
			}
		}
	}

	@Override
	public final void requeue() {
		if (settle()) {
			try {
				doRequeue();
			}
			finally {
				this.onSettled.run();
			}
		}
	}

	@Override
	public final void reject(String reason) {
		if (settle()) {
			try {
				doReject(reason);
			}
			finally {
				this.onSettled.run();
			}
		}
	}

	@Override
	public final void deferUntil(Instant due) {
		if (settle()) {
			try {
				doDefer(due);
			}
			finally {
				this.onSettled.run();
			}
		}
	}

	@Override
	public boolean isSettled() {
		return this.settled.get();
	}

	private boolean settle() {
		return this.settled.compareAndSet(false, true);
	}

	/** Acknowledge in the broker. */
	protected abstract void doAck();

	/** Put the message back in its queue. */
	protected abstract void doRequeue();

	/**
	 * Move the message to the dead letters.
	 * @param reason why
	 */
	protected abstract void doReject(String reason);

	/**
	 * Park the message until due.
	 * @param due when to deliver it again
	 */
	protected abstract void doDefer(Instant due);

}
