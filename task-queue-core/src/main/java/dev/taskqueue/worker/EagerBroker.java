package dev.taskqueue.worker;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.taskqueue.broker.AbstractDelivery;
import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.BrokerException;
import dev.taskqueue.broker.DeadLetter;
import dev.taskqueue.broker.DeliveryHandler;
import dev.taskqueue.broker.Subscription;
import dev.taskqueue.protocol.Envelope;
import dev.taskqueue.protocol.ProtocolHeaders;

/**
 * A broker for unit tests that runs every task published to it at once, in the publishing thread, as Celery's
 * {@code task_always_eager} does: {@code client.send(...)} returns once the task ran and its outcome is stored,
 * so {@code get()} answers at once. Unlike Celery's eager mode the task goes the whole way a worker takes it:
 * the message is serialized and decoded, the arguments bound, the task invoked through a {@link TaskProcessor},
 * and SUCCESS, FAILURE or REVOKED stored in its result backend, so a test sees what a worker would do.
 * <p>
 * As in Celery's eager mode, an eta or countdown is not waited for (the task runs at once), and a retry runs at
 * once too, after the run that asked for it has stored RETRY. A message a worker would dead-letter (an unknown
 * task, arguments that do not bind) stores its FAILURE and is kept in {@link #deadLetters()}. Nothing is
 * consumed: {@link #subscribe} hands out nothing, so no worker needs to run.
 * <pre>{@code
 * EagerBroker broker = new EagerBroker((self) -> TaskProcessor.builder(converter, registry, results, self).build());
 * }</pre>
 */
public class EagerBroker implements Broker, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(EagerBroker.class);

	private final TaskProcessor processor;

	/** The messages published while this thread runs a task (a retry, a task sending another): run after it. */
	private final ThreadLocal<@Nullable Deque<Pending>> running = new ThreadLocal<>();

	private final List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();

	/**
	 * Create a broker.
	 * @param processor makes the processor the tasks run through, given this broker (where a retry is published)
	 */
	public EagerBroker(Function<Broker, TaskProcessor> processor) {
		this.processor = processor.apply(this);
	}

	/**
	 * Run the task at once, in this thread; a message published while a task runs in this thread runs after that
	 * task is done, so that a retry's RETRY is stored before the retry runs.
	 */
	@Override
	public void publish(String queue, Envelope envelope) {
		Pending message = new Pending(queue, withoutEta(envelope));
		Deque<Pending> pending = this.running.get();
		if (pending != null) {
			pending.add(message);
			return;
		}
		pending = new ArrayDeque<>();
		pending.add(message);
		this.running.set(pending);
		try {
			Pending next;
			while ((next = pending.poll()) != null) {
				this.processor.process(new EagerDelivery(next.queue(), next.envelope(), pending));
			}
		}
		finally {
			this.running.remove();
		}
	}

	/**
	 * Nothing is ever waiting: every task ran when it was published.
	 * @return a subscription that hands out nothing
	 */
	@Override
	public Subscription subscribe(List<String> queues, int prefetch, DeliveryHandler handler) {
		return () -> {
		};
	}

	/**
	 * The messages a worker would have dead-lettered, oldest first.
	 * @return the dead letters
	 */
	public List<DeadLetter> deadLetters() {
		return Collections.unmodifiableList(new ArrayList<>(this.deadLetters));
	}

	/**
	 * Stop the processor's time limiter.
	 */
	@Override
	public void close() {
		this.processor.close();
	}

	/**
	 * The message without its eta: an eager task runs now, as in Celery's eager mode.
	 */
	private static Envelope withoutEta(Envelope envelope) {
		if (envelope.headers().get(ProtocolHeaders.ETA) == null) {
			return envelope;
		}
		Map<String, Object> headers = new LinkedHashMap<>(envelope.headers());
		headers.remove(ProtocolHeaders.ETA);
		return new Envelope(envelope.body(), envelope.contentType(), envelope.contentEncoding(), headers,
				envelope.correlationId(), envelope.replyTo(), envelope.priority(), envelope.expiration());
	}

	private record Pending(String queue, Envelope envelope) {
	}

	private final class EagerDelivery extends AbstractDelivery {

		private final Deque<Pending> pending;

		EagerDelivery(String queue, Envelope envelope, Deque<Pending> pending) {
			super(envelope, queue, false);
			this.pending = pending;
		}

		@Override
		protected void doAck() {
		}

		/**
		 * A worker gives a message back when it could not process it through no fault of the task (its outcome
		 * could not be stored, say); running it again here would fail the same way, so the sender is told.
		 */
		@Override
		protected void doRequeue() {
			throw new BrokerException("Task " + envelope().correlationId() + " (" + envelope().taskName()
					+ ") could not be processed eagerly; see the error logged before");
		}

		@Override
		protected void doReject(String reason) {
			EagerBroker.this.deadLetters.add(new DeadLetter(queue(), envelope(), reason, Instant.now()));
			logger.warn("Eager task {} ({}) would be dead-lettered: {}", envelope().correlationId(),
					envelope().taskName(), reason);
		}

		@Override
		protected void doDefer(Instant due) {
			// not reached for what publish takes (it has no eta), but a task is never left waiting here
			this.pending.add(new Pending(queue(), withoutEta(envelope())));
		}

	}

}
