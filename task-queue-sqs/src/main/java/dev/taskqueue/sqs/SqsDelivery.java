package dev.taskqueue.sqs;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.broker.AbstractDelivery;
import dev.taskqueue.protocol.Envelope;

/**
 * One received SQS message: settled through its receipt handle by the broker that received it.
 */
final class SqsDelivery extends AbstractDelivery {

	private final SqsBroker broker;

	private final String queueUrl;

	private final String receiptHandle;

	private final String body;

	/** {@link System#nanoTime()} when SQS makes the message visible again unless it is extended. */
	private volatile long visibleAgainAt;

	SqsDelivery(SqsBroker broker, Envelope envelope, String queue, boolean redelivered, @Nullable String unreadable,
			String queueUrl, String receiptHandle, String body, long visibleAgainAt) {
		super(envelope, queue, redelivered, unreadable);
		this.broker = broker;
		this.queueUrl = queueUrl;
		this.receiptHandle = receiptHandle;
		this.body = body;
		this.visibleAgainAt = visibleAgainAt;
	}

	String queueUrl() {
		return this.queueUrl;
	}

	String receiptHandle() {
		return this.receiptHandle;
	}

	/**
	 * The SQS message body as received, kept to dead-letter or re-publish the message unchanged.
	 * @return the body
	 */
	String body() {
		return this.body;
	}

	long visibleAgainAt() {
		return this.visibleAgainAt;
	}

	void visibleUntil(long nanoTime) {
		this.visibleAgainAt = nanoTime;
	}

	@Override
	protected void doAck() {
		this.broker.ack(this);
	}

	@Override
	protected void doRequeue() {
		this.broker.requeue(this);
	}

	@Override
	protected void doReject(String reason) {
		this.broker.reject(this, reason);
	}

	@Override
	protected void doDefer(Instant due) {
		this.broker.defer(this, due);
	}

}
