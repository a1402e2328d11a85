package dev.taskqueue.rabbitmq;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.ShutdownSignalException;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.RabbitUtils;

import dev.taskqueue.broker.BrokerException;
import dev.taskqueue.broker.DeadLetter;
import dev.taskqueue.broker.DeadLetterQueue;
import dev.taskqueue.protocol.Envelope;
import dev.taskqueue.protocol.IsoTime;

/**
 * The RabbitMQ broker's dead letters, in its one dead-letter queue. Each is the original message with the
 * headers {@value RabbitBroker#DEAD_LETTER_ID_HEADER}, {@value RabbitBroker#QUEUE_HEADER},
 * {@value RabbitBroker#REASON_HEADER}, {@value RabbitBroker#REJECTED_AT_HEADER} and, when it had one, its
 * expiration in {@value RabbitBroker#EXPIRATION_HEADER} (a dead letter itself never expires).
 * <p>
 * A queue is not random-access: every operation walks the dead-letter queue from its head with
 * {@code basic.get} on a channel of its own, holding what it has seen unacknowledged so that each message is
 * seen once, acknowledges what it purges or redrives (after the confirmed republish), and at the end returns
 * the rest to the queue with one {@code basic.nack(requeue)}, which puts them back in their places. While a
 * walk runs, the messages it holds are invisible to any other walk (in another application, say), which then
 * sees fewer; walks of one broker run one at a time. A dead letter that RabbitMQ itself dead-lettered into the
 * queue ({@code x-death}) is listed with the queue and reason RabbitMQ recorded.
 */
final class RabbitDeadLetters implements DeadLetterQueue {

	/** The most dead letters {@link #countDeadLetters()} walks. */
	static final int MOST_COUNTED = 1000;

	private final ConnectionFactory connectionFactory;

	private final ConfirmedPublisher publisher;

	private final String queue;

	RabbitDeadLetters(ConnectionFactory connectionFactory, ConfirmedPublisher publisher, String deadLetterQueue) {
		this.connectionFactory = connectionFactory;
		this.publisher = publisher;
		this.queue = deadLetterQueue;
	}

	/**
	 * The dead letter to publish for a rejected message: the original with the reason, its queue, the time and
	 * a fresh id.
	 * @param original the message as it was received
	 * @param queue the queue it was received from
	 * @param reason why it was rejected
	 * @param rejectedAt when
	 * @return the dead letter's envelope, without an expiration
	 */
	static Envelope deadLetter(Envelope original, String queue, String reason, Instant rejectedAt) {
		Envelope dead = original.withHeader(RabbitBroker.DEAD_LETTER_ID_HEADER, UUID.randomUUID().toString())
			.withHeader(RabbitBroker.REASON_HEADER, reason)
			.withHeader(RabbitBroker.QUEUE_HEADER, queue)
			.withHeader(RabbitBroker.REJECTED_AT_HEADER, IsoTime.format(rejectedAt));
		return (original.expiration() != null)
				? dead.withHeader(RabbitBroker.EXPIRATION_HEADER, original.expiration()) : dead;
	}

	@Override
	public List<DeadLetter> listDeadLetters(@Nullable String queue, int limit) {
		List<DeadLetter> found = new ArrayList<>();
		if (limit > 0) {
			walk((letter) -> {
				if (matches(letter, queue)) {
					found.add(letter);
				}
				return (found.size() < limit) ? Step.KEEP_AND_GO_ON : Step.KEEP_AND_STOP;
			});
		}
		return found;
	}

	/**
	 * Count per queue by walking the dead-letter queue from its head, as listing does, but at most
	 * {@value #MOST_COUNTED} dead letters (one {@code basic.get} each, held unacknowledged until the walk ends, then
	 * put back in their places): RabbitMQ counts a queue's messages but not by header. An empty dead-letter queue
	 * costs one passive declare and no walk; a missing one counts nothing. Beyond the bound, the oldest
	 * {@value #MOST_COUNTED} are counted and the rest are not: the counts then add up to less than the queue's depth.
	 */
	@Override
	public Map<String, Long> countDeadLetters() {
		if (depth() == 0) {
			return Map.of();
		}
		Map<String, Long> counts = new TreeMap<>();
		int[] seen = { 0 };
		walk((letter) -> {
			counts.merge(letter.queue(), 1L, Long::sum);
			return (++seen[0] < MOST_COUNTED) ? Step.KEEP_AND_GO_ON : Step.KEEP_AND_STOP;
		});
		return counts;
	}

	/**
	 * How many messages the dead-letter queue holds, ready: 0 if it does not exist.
	 */
	private long depth() {
		Channel channel = openChannel();
		try {
			return channel.queueDeclarePassive(this.queue).getMessageCount();
		}
		catch (IOException ex) {
			// a passive declare of a queue that does not exist closes the channel (404)
			if (ex.getCause() instanceof ShutdownSignalException signal
					&& RabbitUtils.isPassiveDeclarationChannelClose(signal)) {
				return 0;
			}
			throw new BrokerException(
					"Could not look at the dead-letter queue '" + this.queue + "': " + ex.getMessage(), ex);
		}
		finally {
			RabbitUtils.setPhysicalCloseRequired(channel, true);
			RabbitUtils.closeChannel(channel);
		}
	}

	@Override
	public boolean redriveDeadLetter(String id) {
		return walk((letter) -> id.equals(letter.id()) ? redrive(letter, Step.TAKE_AND_STOP) : Step.KEEP_AND_GO_ON) > 0;
	}

	@Override
	public int redriveDeadLetters(@Nullable String queue) {
		return walk((letter) -> matches(letter, queue) ? redrive(letter, Step.TAKE_AND_GO_ON) : Step.KEEP_AND_GO_ON);
	}

	@Override
	public boolean purgeDeadLetter(String id) {
		return walk((letter) -> id.equals(letter.id()) ? Step.TAKE_AND_STOP : Step.KEEP_AND_GO_ON) > 0;
	}

	@Override
	public int purgeDeadLetters(@Nullable String queue) {
		return walk((letter) -> matches(letter, queue) ? Step.TAKE_AND_GO_ON : Step.KEEP_AND_GO_ON);
	}

	private Step redrive(DeadLetter letter, Step taken) {
		Envelope original = letter.envelope();
		// with confirms: only a message RabbitMQ has taken back is acknowledged from the dead letters
		this.publisher.publish("", letter.queue(), true,
				AmqpEnvelopeConverter.toProperties(original, AmqpEnvelopeConverter.PERSISTENT, true), original.body());
		return taken;
	}

	/**
	 * Walk the dead-letter queue from its head, over the dead letters it held when the walk began: one
	 * dead-lettered meanwhile (a redriven letter rejected again by a worker consuming its queue) waits for the
	 * next walk, so a redrive never counts or sends a letter twice. What the visitor takes is acknowledged, the
	 * rest goes back.
	 * @return how many were taken
	 */
	private synchronized int walk(Visitor visitor) {
		Channel channel = openChannel();
		long lastKept = -1;
		int taken = 0;
		Set<String> seen = new HashSet<>();
		try {
			long remaining = channel.queueDeclarePassive(this.queue).getMessageCount();
			GetResponse response;
			while (remaining-- > 0 && (response = channel.basicGet(this.queue, false)) != null) {
				long tag = response.getEnvelope().getDeliveryTag();
				DeadLetter letter = read(response);
				// not ours to address, or put back by a walk elsewhere while this one ran (seen already): kept
				Step step = (letter != null && seen.add(letter.id())) ? visitor.visit(letter) : Step.KEEP_AND_GO_ON;
				if (step == Step.TAKE_AND_GO_ON || step == Step.TAKE_AND_STOP) {
					channel.basicAck(tag, false);
					taken++;
				}
				else {
					lastKept = tag;
				}
				if (step == Step.KEEP_AND_STOP || step == Step.TAKE_AND_STOP) {
					break;
				}
			}
			return taken;
		}
		catch (IOException ex) {
			throw new BrokerException("Could not read the dead-letter queue '" + this.queue + "': " + ex.getMessage(), ex);
		}
		finally {
			giveBack(channel, lastKept);
		}
	}

	private Channel openChannel() {
		try {
			return this.connectionFactory.createConnection().createChannel(false);
		}
		catch (AmqpException ex) {
			throw new BrokerException("Could not open a channel to RabbitMQ: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Return every message the walk holds to the queue, in their places, and close the channel for good (a
	 * channel that held deliveries must not go back to Spring's cache).
	 */
	private static void giveBack(Channel channel, long lastKept) {
		try {
			if (lastKept >= 0 && channel.isOpen()) {
				// every delivery up to the last one kept that is not acknowledged: exactly those kept
				channel.basicNack(lastKept, true, true);
			}
		}
		catch (IOException | RuntimeException ex) {
			// closing the channel returns them too
		}
		finally {
			RabbitUtils.setPhysicalCloseRequired(channel, true);
			RabbitUtils.closeChannel(channel);
		}
	}

	/**
	 * A dead letter as listed: the original message (our headers removed, its expiration back), or
	 * {@code null} if it does not say which queue it came from.
	 */
	private static @Nullable DeadLetter read(GetResponse response) {
		Envelope dead = AmqpEnvelopeConverter.toEnvelope(response.getProps(), response.getBody());
		Map<String, @Nullable Object> headers = new LinkedHashMap<>(dead.headers());
		String id = text(headers.remove(RabbitBroker.DEAD_LETTER_ID_HEADER));
		String queue = text(headers.remove(RabbitBroker.QUEUE_HEADER));
		String reason = text(headers.remove(RabbitBroker.REASON_HEADER));
		String rejectedAt = text(headers.remove(RabbitBroker.REJECTED_AT_HEADER));
		String expiration = text(headers.remove(RabbitBroker.EXPIRATION_HEADER));
		Instant at = (rejectedAt != null) ? IsoTime.parse(rejectedAt) : null;
		if (queue == null && headers.get("x-death") instanceof List<?> deaths && !deaths.isEmpty()
				&& deaths.get(0) instanceof Map<?, ?> death) {
			// dead-lettered by RabbitMQ (x-dead-letter-exchange): x-death says from where and why
			queue = text(death.get("queue"));
			reason = "dead-lettered by RabbitMQ: " + text(death.get("reason"));
			at = (death.get("time") instanceof Date time) ? time.toInstant() : null;
		}
		if (queue == null) {
			return null;
		}
		if (id == null) {
			// dead-lettered by RabbitMQ, which gives it no id of ours: one from what stays the same on every walk
			id = dead.correlationId() + "@" + ((at != null) ? at : Instant.EPOCH);
		}
		Envelope original = new Envelope(dead.body(), dead.contentType(), dead.contentEncoding(), headers,
				dead.correlationId(), dead.replyTo(), dead.priority(), expiration);
		return new DeadLetter(queue, original, reason, (at != null) ? at : Instant.EPOCH, id);
	}

	private static @Nullable String text(@Nullable Object value) {
		return (value != null) ? value.toString() : null;
	}

	private static boolean matches(DeadLetter letter, @Nullable String queue) {
		return queue == null || queue.equals(letter.queue());
	}

	private enum Step {

		KEEP_AND_GO_ON, KEEP_AND_STOP, TAKE_AND_GO_ON, TAKE_AND_STOP

	}

	@FunctionalInterface
	private interface Visitor {

		Step visit(DeadLetter letter) throws IOException;

	}

}
