package dev.taskqueue.actuate;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.BrokerException;
import dev.taskqueue.broker.DeadLetter;
import dev.taskqueue.broker.DeadLetterQueue;
import dev.taskqueue.broker.DeliveryHandler;
import dev.taskqueue.broker.Subscription;
import dev.taskqueue.broker.memory.InMemoryBroker;
import dev.taskqueue.protocol.Envelope;
import dev.taskqueue.status.ComponentStatus;

/**
 * The in-memory broker, which a test can cut off as a network would: while detached, it does not answer its
 * status, depth or purge, and its consumers say they are not attached. The outages of
 * the real brokers are the ITs' business; this one lets the health and endpoint logic be checked in
 * milliseconds.
 */
public class DetachableBroker implements Broker, DeadLetterQueue {

	private final InMemoryBroker broker = new InMemoryBroker();

	private volatile boolean detached;

	/**
	 * Cut the broker off, or bring it back.
	 * @param detached whether it is cut off
	 */
	public void detach(boolean detached) {
		this.detached = detached;
	}

	@Override
	public void publish(String queue, Envelope envelope) {
		reachable();
		this.broker.publish(queue, envelope);
	}

	@Override
	public Subscription subscribe(List<String> queues, int prefetch, DeliveryHandler handler) {
		Subscription subscription = this.broker.subscribe(queues, prefetch, handler);
		return new Subscription() {

			@Override
			public void cancel() {
				subscription.cancel();
			}

			@Override
			public boolean isConsuming(String queue) {
				return !DetachableBroker.this.detached && subscription.isConsuming(queue);
			}

		};
	}

	@Override
	public ComponentStatus status() {
		return this.detached ? ComponentStatus.down("memory broker detached", Map.of("server", "memory"))
				: ComponentStatus.up(Map.of("server", "memory"));
	}

	@Override
	public long queueDepth(String queue) {
		reachable();
		return this.broker.queueDepth(queue);
	}

	@Override
	public int purge(String queue) {
		reachable();
		return this.broker.purge(queue);
	}

	@Override
	public List<DeadLetter> listDeadLetters(@Nullable String queue, int limit) {
		reachable();
		return this.broker.listDeadLetters(queue, limit);
	}

	@Override
	public boolean redriveDeadLetter(String id) {
		reachable();
		return this.broker.redriveDeadLetter(id);
	}

	@Override
	public int redriveDeadLetters(@Nullable String queue) {
		reachable();
		return this.broker.redriveDeadLetters(queue);
	}

	@Override
	public boolean purgeDeadLetter(String id) {
		reachable();
		return this.broker.purgeDeadLetter(id);
	}

	@Override
	public int purgeDeadLetters(@Nullable String queue) {
		reachable();
		return this.broker.purgeDeadLetters(queue);
	}

	private void reachable() {
		if (this.detached) {
			throw new BrokerException("memory broker detached");
		}
	}

}
