package dev.taskqueue.broker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.taskqueue.protocol.Envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What every broker does, whatever carries the messages: each transport's test extends this and says how to
 * make its broker. Every test uses queues of its own.
 */
public abstract class BrokerContract {

	private static final Duration NO_WAIT = Duration.ofMillis(10);

	private static final Duration WAIT = Duration.ofSeconds(5);

	private Broker broker;

	private final List<Subscription> subscriptions = new ArrayList<>();

	/**
	 * A fresh broker.
	 * @return the broker, which is also a {@link DeliverySource}
	 */
	protected abstract Broker createBroker();

	/**
	 * The dead letters of a queue, oldest first.
	 * @param broker the broker
	 * @param queue the queue
	 * @return the dead letters
	 */
	protected abstract List<DeadLetter> deadLetters(Broker broker, String queue);

	/**
	 * Three priorities in the order the transport serves them, most urgent first (RabbitMQ and memory serve
	 * 9 first; kombu's Redis transport serves 0 first).
	 * @return the priorities
	 */
	protected abstract List<Integer> prioritiesMostUrgentFirst();

	/**
	 * Release the broker.
	 * @param broker the broker
	 */
	protected abstract void close(Broker broker);

	@BeforeEach
	void createTheBroker() {
		this.broker = createBroker();
	}

	@AfterEach
	void closeTheBroker() {
		this.subscriptions.forEach(Subscription::cancel);
		close(this.broker);
	}

	@Test
	void deliversEachMessageOnceInFifoOrder() throws Exception {
		String queue = queue();
		for (int i = 0; i < 5; i++) {
			this.broker.publish(queue, envelope("m" + i, 0));
		}
		List<String> received = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			Delivery delivery = poll(queue);
			assertThat(delivery.queue()).isEqualTo(queue);
			assertThat(delivery.redelivered()).isFalse();
			received.add(delivery.envelope().correlationId());
			delivery.ack();
		}
		assertThat(received).containsExactly("m0", "m1", "m2", "m3", "m4");
		assertThat(source().poll(List.of(queue), NO_WAIT)).isNull();
	}

	@Test
	void takesSeveralMessagesAtOnceInOrderAndNoMoreThanAsked() throws Exception {
		String queue = queue();
		for (int i = 0; i < 5; i++) {
			this.broker.publish(queue, envelope("b" + i, 0));
		}
		List<String> received = new ArrayList<>();
		while (received.size() < 5) {
			List<AbstractDelivery> batch = source().poll(List.of(queue), 3, WAIT);
			// a transport may hand out fewer than asked (memory gives one at a time), never more
			assertThat(batch).hasSizeBetween(1, 3);
			batch.forEach((delivery) -> received.add(delivery.envelope().correlationId()));
			batch.forEach(Delivery::ack);
		}
		assertThat(received).containsExactly("b0", "b1", "b2", "b3", "b4");
		assertThat(source().poll(List.of(queue), 3, NO_WAIT)).isEmpty();
	}

	@Test
	void keepsTheEnvelopeIntact() throws Exception {
		String queue = queue();
		Map<String, Object> headers = new LinkedHashMap<>();
		headers.put("task", "contract.task");
		headers.put("id", "e1");
		headers.put("retries", 2);
		headers.put("timelimit", java.util.Arrays.asList(null, 10));
		headers.put("x-custom", Map.of("nested", List.of(1, "two")));
		byte[] body = "[[1, \"\u00e9\"], {}, {}]".getBytes(StandardCharsets.UTF_8);
		Envelope sent = new Envelope(body, "application/json", "utf-8", headers, "e1", "reply-1", 0, "60000");
		this.broker.publish(queue, sent);
		Delivery delivery = poll(queue);
		Envelope received = delivery.envelope();
		assertThat(received.body()).isEqualTo(body);
		assertThat(received.contentType()).isEqualTo("application/json");
		assertThat(received.contentEncoding()).isEqualTo("utf-8");
		assertThat(received.headers()).isEqualTo(headers);
		assertThat(received.correlationId()).isEqualTo("e1");
		assertThat(received.replyTo()).isEqualTo("reply-1");
		assertThat(received.expiration()).isEqualTo("60000");
		delivery.ack();
	}

	@Test
	void servesTheMostUrgentPriorityFirst() throws Exception {
		String queue = queue();
		List<Integer> order = prioritiesMostUrgentFirst();
		List<Integer> published = new ArrayList<>(order);
		Collections.reverse(published);
		for (int priority : published) {
			this.broker.publish(queue, envelope("p" + priority, priority));
		}
		List<Integer> received = new ArrayList<>();
		for (int i = 0; i < order.size(); i++) {
			Delivery delivery = poll(queue);
			received.add(delivery.envelope().priority());
			delivery.ack();
		}
		assertThat(received).isEqualTo(order);
	}

	@Test
	void requeueDeliversTheMessageAgainAsRedelivered() throws Exception {
		String queue = queue();
		this.broker.publish(queue, envelope("r1", 0));
		Delivery first = poll(queue);
		first.requeue();
		Delivery again = poll(queue);
		assertThat(again.envelope().correlationId()).isEqualTo("r1");
		assertThat(again.redelivered()).isTrue();
		again.ack();
		assertThat(source().poll(List.of(queue), NO_WAIT)).isNull();
	}

	@Test
	void settlesOnlyOnce() throws Exception {
		String queue = queue();
		this.broker.publish(queue, envelope("s1", 0));
		Delivery delivery = poll(queue);
		delivery.ack();
		delivery.requeue();
		delivery.reject("late");
		assertThat(source().poll(List.of(queue), NO_WAIT)).isNull();
		assertThat(deadLetters(this.broker, queue)).isEmpty();
	}

	@Test
	void rejectMovesTheMessageIntactToTheDeadLetters() throws Exception {
		String queue = queue();
		this.broker.publish(queue, envelope("d1", 0));
		Delivery delivery = poll(queue);
		delivery.reject("cannot be processed");
		assertThat(source().poll(List.of(queue), NO_WAIT)).isNull();
		List<DeadLetter> deadLetters = deadLetters(this.broker, queue);
		assertThat(deadLetters).hasSize(1);
		DeadLetter deadLetter = deadLetters.get(0);
		assertThat(deadLetter.queue()).isEqualTo(queue);
		assertThat(deadLetter.reason()).isEqualTo("cannot be processed");
		assertThat(deadLetter.envelope().correlationId()).isEqualTo("d1");
		assertThat(deadLetter.envelope().body()).isEqualTo(delivery.envelope().body());
		assertThat(deadLetter.envelope().headers()).isEqualTo(delivery.envelope().headers());
		assertThat(deadLetter.rejectedAt()).isBefore(Instant.now().plusSeconds(1));
	}

	@Test
	void deferredMessageComesBackWhenDue() throws Exception {
		String queue = queue();
		List<Delivery> received = new CopyOnWriteArrayList<>();
		this.broker.publish(queue, envelope("later", 0));
		subscribe(queue, 4, received::add);
		await().atMost(WAIT).until(() -> received.size() == 1);
		Instant due = Instant.now().plusSeconds(2);
		received.get(0).deferUntil(due);
		await().atMost(WAIT).until(() -> received.size() == 2);
		assertThat(Instant.now()).isAfterOrEqualTo(due.minusMillis(50));
		Delivery again = received.get(1);
		assertThat(again.envelope().correlationId()).isEqualTo("later");
		again.ack();
	}

	@Test
	void holdsNoMoreUnsettledDeliveriesThanThePrefetch() {
		String queue = queue();
		for (int i = 0; i < 5; i++) {
			this.broker.publish(queue, envelope("f" + i, 0));
		}
		List<Delivery> held = new CopyOnWriteArrayList<>();
		subscribe(queue, 2, held::add);
		await().atMost(WAIT).until(() -> held.size() == 2);
		await().during(Duration.ofMillis(1500)).atMost(WAIT).until(() -> held.size() == 2);
		held.get(0).ack();
		await().atMost(WAIT).until(() -> held.size() == 3);
		held.forEach(Delivery::ack);
		await().atMost(WAIT).until(() -> held.size() == 5);
		held.forEach(Delivery::ack);
	}

	@Test
	void refillsOneFreedSlotWhileTheOthersAreHeld() {
		// a consumer may wait to refill several slots at once (memory does), but not for ever
		String queue = queue();
		for (int i = 0; i < 12; i++) {
			this.broker.publish(queue, envelope("r" + i, 0));
		}
		List<Delivery> held = new CopyOnWriteArrayList<>();
		subscribe(queue, 8, held::add);
		await().atMost(WAIT).until(() -> held.size() == 8);
		await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> held.size() == 8);
		held.get(0).ack();
		await().atMost(WAIT).until(() -> held.size() == 9);
		await().during(Duration.ofMillis(200)).atMost(WAIT).until(() -> held.size() == 9);
		held.forEach(Delivery::ack);
		await().atMost(WAIT).until(() -> held.size() == 12);
		held.forEach(Delivery::ack);
	}

	@Test
	void consumesManyQueuesFairly() throws Exception {
		String busy = queue();
		String quiet = queue();
		for (int i = 0; i < 20; i++) {
			this.broker.publish(busy, envelope("busy" + i, 0));
		}
		this.broker.publish(quiet, envelope("quiet0", 0));
		this.broker.publish(quiet, envelope("quiet1", 0));
		List<String> firstFour = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			Delivery delivery = source().poll(List.of(busy, quiet), WAIT);
			firstFour.add(delivery.queue());
			delivery.ack();
		}
		assertThat(firstFour).contains(busy, quiet);
	}

	@Test
	void anIdleConsumerWaitsForAMessage() throws Exception {
		String queue = queue();
		List<Delivery> received = new CopyOnWriteArrayList<>();
		subscribe(queue, 1, received::add);
		await().during(Duration.ofMillis(1200)).atMost(WAIT).until(received::isEmpty);
		this.broker.publish(queue, envelope("w1", 0));
		await().atMost(WAIT).until(() -> received.size() == 1);
		received.get(0).ack();
	}

	private Delivery poll(String queue) throws InterruptedException {
		Delivery delivery = source().poll(List.of(queue), WAIT);
		assertThat(delivery).as("a delivery from %s", queue).isNotNull();
		return delivery;
	}

	private void subscribe(String queue, int prefetch, DeliveryHandler handler) {
		this.subscriptions.add(this.broker.subscribe(List.of(queue), prefetch, handler));
	}

	private DeliverySource source() {
		return (DeliverySource) this.broker;
	}

	private static String queue() {
		return "contract-" + UUID.randomUUID();
	}

	/**
	 * A small message.
	 * @param id its correlation id
	 * @param priority its priority
	 * @return the envelope
	 */
	protected static Envelope envelope(String id, int priority) {
		Map<String, Object> headers = new LinkedHashMap<>();
		headers.put("task", "contract.task");
		headers.put("id", id);
		return new Envelope("[[], {}, {}]".getBytes(StandardCharsets.UTF_8), "application/json", "utf-8", headers, id,
				null, priority, null);
	}

}
