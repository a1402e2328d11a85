package dev.taskqueue.rabbitmq;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.HeadersExchange;
import org.springframework.amqp.core.Queue;

/**
 * Parks messages until they are due, with nothing but core RabbitMQ (no delayed-message plugin).
 * <p>
 * A message is published to a headers exchange with its own queue as routing key and a
 * {@value #DELAY_HEADER} header naming a delay bucket. Each bucket is a durable queue whose
 * {@code x-message-ttl} is a power of two seconds (1 s, 2 s, 4 s, ... about 97 days) and whose dead-letter
 * exchange is the default exchange with no dead-letter routing key, so an expired message goes back to the
 * queue named by its original routing key. Every message of a bucket has the same time to live, so the queue
 * expires in order and nothing waits behind a longer delay (per-message TTLs would block at the head).
 * <p>
 * The bucket is the longest one not longer than the time left (1 s for less than a second), so a message
 * comes back no later than when it is due, plus under a second; back in its queue, the worker sees it is
 * not due yet and parks it again for what is left. A delay of {@code d} takes about {@code log2(d)} hops.
 */
final class DelayQueues {

	/** The header that picks the bucket, matched by the exchange (names starting with x- are not). */
	static final String DELAY_HEADER = "taskqueue-delay";

	private static final long SHORTEST = 1000;

	private static final int LONGEST_SHIFT = 23;

	private final AmqpAdmin admin;

	private final String exchange;

	private final Set<Long> declared = ConcurrentHashMap.newKeySet();

	/**
	 * Create the delay queues.
	 * @param admin declares the exchange and buckets
	 * @param exchange the headers exchange's name; buckets are named {@code <exchange>.<ttl ms>}
	 */
	DelayQueues(AmqpAdmin admin, String exchange) {
		this.admin = admin;
		this.exchange = exchange;
	}

	/**
	 * The exchange to publish parked messages to.
	 * @return its name
	 */
	String exchange() {
		return this.exchange;
	}

	/**
	 * The bucket for a delay.
	 * @param remaining how long until the message is due
	 * @return the bucket's time to live in milliseconds
	 */
	static long bucketFor(Duration remaining) {
		long millis = remaining.toMillis();
		for (int shift = LONGEST_SHIFT; shift > 0; shift--) {
			long ttl = SHORTEST << shift;
			if (ttl <= millis) {
				return ttl;
			}
		}
		return SHORTEST;
	}

	/**
	 * Declare the exchange and a bucket's queue and binding, once per bucket.
	 * @param ttl the bucket
	 * @return the value of {@link #DELAY_HEADER} that routes to it
	 */
	String declare(long ttl) {
		if (!this.declared.contains(ttl)) {
			HeadersExchange headers = new HeadersExchange(this.exchange, true, false);
			this.admin.declareExchange(headers);
			String name = this.exchange + "." + ttl;
			Queue bucket = new Queue(name, true, false, false,
					Map.of("x-message-ttl", ttl, "x-dead-letter-exchange", ""));
			this.admin.declareQueue(bucket);
			this.admin.declareBinding(new Binding(name, Binding.DestinationType.QUEUE, this.exchange, "",
					Map.of("x-match", "all", DELAY_HEADER, String.valueOf(ttl))));
			this.declared.add(ttl);
		}
		return String.valueOf(ttl);
	}

	/**
	 * Forget what was declared, after a failure that may mean the broker lost it.
	 */
	void forget() {
		this.declared.clear();
	}

}
