package dev.taskqueue.rabbitmq;

import java.io.IOException;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;

import com.rabbitmq.client.Channel;

/**
 * The acknowledgements of one consumer channel, sent as few {@code basic.ack multiple} frames as possible
 * without holding any back: a message settled while another thread is writing an ack is covered by that
 * thread's next frame, so under load one frame acknowledges a run of messages instead of one each, and the
 * workers do not queue for the channel's lock.
 * <p>
 * A multiple ack covers every unacknowledged tag up to it, so it is only sent up to where every delivery is
 * settled: deliveries finished out of order wait for the ones before them. A requeue (nack) is sent at once,
 * on its own, before it counts as settled, so that no multiple ack can reach the broker before it.
 */
final class ChannelAcks {

	private final Channel channel;

	private final ReentrantLock sending = new ReentrantLock();

	/** Settled tags above {@link #contiguous}: true for an ack to send, false for a nack already sent. */
	private final TreeMap<Long, Boolean> settled = new TreeMap<>();

	/** Every delivery up to this tag is settled. Delivery tags on a channel start at 1. */
	private long contiguous;

	/** The highest tag up to {@link #contiguous} settled by an ack. */
	private long ackable;

	/** The highest tag covered by an ack frame sent. */
	private long sent;

	/**
	 * Acknowledgements for a channel.
	 * @param channel the channel the deliveries came on
	 */
	ChannelAcks(Channel channel) {
		this.channel = channel;
	}

	/**
	 * Acknowledge a delivery: now, or in the frame another thread is about to send.
	 * @param deliveryTag its tag
	 * @throws IOException if the frame could not be written
	 */
	void ack(long deliveryTag) throws IOException {
		mark(deliveryTag, true);
		flush();
	}

	/**
	 * Requeue a delivery (a nack with requeue), at once.
	 * @param deliveryTag its tag
	 * @throws IOException if the frame could not be written
	 */
	void requeue(long deliveryTag) throws IOException {
		this.channel.basicNack(deliveryTag, false, true);
		mark(deliveryTag, false);
		flush();
	}

	/**
	 * Acknowledge one delivery at once, on its own, whatever is unsettled before it (a hand-over, which cannot
	 * wait for the deliveries before it).
	 * @param deliveryTag its tag
	 * @throws IOException if the frame could not be written
	 */
	void ackNow(long deliveryTag) throws IOException {
		this.channel.basicAck(deliveryTag, false);
		mark(deliveryTag, false);
		flush();
	}

	/**
	 * Send the acknowledgement still owed, waiting for a thread sending one: before the channel closes.
	 * @throws IOException if the frame could not be written
	 */
	void drain() throws IOException {
		this.sending.lock();
		try {
			sendOwed();
		}
		finally {
			this.sending.unlock();
		}
	}

	private void mark(long deliveryTag, boolean ack) {
		synchronized (this.settled) {
			this.settled.put(deliveryTag, ack);
			Boolean next;
			while ((next = this.settled.remove(this.contiguous + 1)) != null) {
				this.contiguous++;
				if (next) {
					this.ackable = this.contiguous;
				}
			}
		}
	}

	private void flush() throws IOException {
		do {
			if (!this.sending.tryLock()) {
				// the thread sending re-checks after it lets go, and covers this delivery
				return;
			}
			try {
				sendOwed();
			}
			finally {
				this.sending.unlock();
			}
		}
		while (owed() > 0);
	}

	private void sendOwed() throws IOException {
		long upTo;
		while ((upTo = owed()) > 0) {
			this.channel.basicAck(upTo, true);
			synchronized (this.settled) {
				this.sent = upTo;
			}
		}
	}

	private long owed() {
		synchronized (this.settled) {
			return (this.ackable > this.sent) ? this.ackable : 0;
		}
	}

}
