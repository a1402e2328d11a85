package dev.taskqueue.broker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.taskqueue.protocol.Envelope;
import dev.taskqueue.status.ComponentStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.awaitility.Awaitility.await;

/**
 * What every {@link Broker} does, whatever carries the messages, checked through the SPI alone:
 * {@link Broker#publish(String, Envelope) publish}, {@link Broker#subscribe subscribe}, {@link Subscription} and
 * {@link Delivery} (ack, requeue, reject, deferUntil), and what health and the endpoint read: {@link Broker#status()},
 * {@link Broker#queueDepth(String)}, {@link Broker#purge(String)} and {@link Subscription#isConsuming(String)}. It
 * needs no pull API, so push transports (RabbitMQ) run it as well as polling ones (memory, Redis). Every test uses
 * queues of its own.
 * <p>
 * A transport, ours or a third party's, proves itself by extending this class in its tests:
 * <ol>
 * <li>depend on the core's test-jar, with the test libraries it uses (JUnit Jupiter, AssertJ, Awaitility):
 * <pre class="code">{@code
 * <dependency>
 *   <groupId>dev.taskqueue</groupId>
 *   <artifactId>task-queue-core</artifactId>
 *   <version>${task-queue.version}</version>
 *   <type>test-jar</type>
 *   <scope>test</scope>
 * </dependency>
 * }</pre>
 * (Gradle: {@code testImplementation("dev.taskqueue:task-queue-core:<version>:tests")});</li>
 * <li>subclass it and implement {@link #createBroker()}, {@link #close(Broker)} and
 * {@link #prioritiesMostUrgentFirst()};</li>
 * <li>override the hooks where the transport differs by design, and say why there: {@link #declare(String)} and
 * {@link #declareWithPriorities(String)} for a transport that delivers only to queues that exist,
 * {@link #deadLetters(Broker, String)} for one that keeps dead letters elsewhere than in a
 * {@link DeadLetterQueue}, {@link #deferredMessagesMayComeBackEarly()} for one that parks messages in coarse
 * steps, {@link #deliveriesUntilEveryQueueIsServed()} for one whose broker picks among the queues.</li>
 * </ol>
 * A hook never skips a case: it tells the case what to expect instead.
 */
public abstract class BrokerContract {

	/** How long a message may take to arrive. */
	private static final Duration WAIT = Duration.ofSeconds(10);

	/** How long a consumer is watched for a message it must not get. */
	private static final Duration QUIET = Duration.ofMillis(500);

	/** How late after it is due a deferred message may come back. */
	private static final Duration LATE = Duration.ofSeconds(3);

	/** How much earlier than due a deferred message may come back on a transport that parks it exactly. */
	private static final Duration EARLY = Duration.ofMillis(50);

	private @Nullable Broker broker;

	private final List<Subscription> subscriptions = new ArrayList<>();

	/**
	 * A fresh broker, for one test.
	 * @return the broker
	 */
	protected abstract Broker createBroker();

	/**
	 * Release the broker made by {@link #createBroker()}, after the test's subscriptions are cancelled.
	 * @param broker the broker
	 */
	protected abstract void close(Broker broker);

	/**
	 * Three priorities in the order the transport serves them, most urgent first (RabbitMQ and memory serve
	 * 9 first; kombu's Redis transport serves 0 first). A transport that ignores priorities by design returns
	 * an empty list: the priority case then checks that messages of different priorities still all arrive, in
	 * the order they were published.
	 * @return the priorities, or an empty list
	 */
	protected abstract List<Integer> prioritiesMostUrgentFirst();

	/**
	 * Make a queue exist before the test publishes to it, for a transport that delivers only to queues that
	 * exist (RabbitMQ refuses an unroutable publish). By default nothing: the transport makes queues as they
	 * are used.
	 * @param queue the queue, a fresh name
	 */
	protected void declare(String queue) {
	}

	/**
	 * Make a queue exist that serves priorities, for a transport where only some queues do (RabbitMQ: a queue
	 * declared with {@code x-max-priority}). By default {@link #declare(String)}.
	 * @param queue the queue, a fresh name
	 */
	protected void declareWithPriorities(String queue) {
		declare(queue);
	}

	/**
	 * The dead letters of a queue, oldest first. By default the broker's own, when it is a
	 * {@link DeadLetterQueue}; a transport that keeps them elsewhere overrides this.
	 * @param broker the broker
	 * @param queue the queue the messages were rejected from
	 * @return the dead letters
	 */
	protected List<DeadLetter> deadLetters(Broker broker, String queue) {
		assertThat(broker).as("a broker that is a DeadLetterQueue, or a contract that overrides deadLetters")
			.isInstanceOf(DeadLetterQueue.class);
		return ((DeadLetterQueue) broker).listDeadLetters(queue, Integer.MAX_VALUE);
	}

	/**
	 * Whether a deferred message may come back before it is due. {@code false} by default: it comes back when
	 * due, not before. A transport that parks messages in coarse steps (RabbitMQ's delay queues, whose times to
	 * live are powers of two seconds) returns {@code true}: a message may come back early, and the consumer
	 * defers it again for the time left, as the worker does; the cases then check that it arrives due in the
	 * end, and no later than it would on any other transport.
	 * @return whether a deferred message may come back early
	 */
	protected boolean deferredMessagesMayComeBackEarly() {
		return false;
	}

	/**
	 * Within how many deliveries a consumer of two queues, one with a long backlog and one with a message or
	 * two, gets a message from each, one delivery held at a time. 4 by default: the consumer takes the queues
	 * in turns. A transport where the broker, not the consumer, picks the queue that fills a freed slot
	 * (RabbitMQ: the channel's queues race for it) returns a longer window, shorter than the backlog of 20:
	 * no queue is starved, though one may win a few times in a row.
	 * @return the number of deliveries, from 2 to 20
	 */
	protected int deliveriesUntilEveryQueueIsServed() {
		return 4;
	}

	@BeforeEach
	void createTheBroker() {
		this.broker = createBroker();
	}

	@AfterEach
	void closeTheBroker() {
		this.subscriptions.forEach(Subscription::cancel);
		close(broker());
	}

	@Test
	void deliversEachMessageOnceInFifoOrder() {
		String queue = queue();
		for (int i = 0; i < 5; i++) {
			broker().publish(queue, envelope("m" + i, 0));
		}
		BlockingQueue<Delivery> deliveries = subscribe(queue, 1);
		List<String> received = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			Delivery delivery = take(deliveries);
			assertThat(delivery.queue()).isEqualTo(queue);
			assertThat(delivery.redelivered()).isFalse();
			received.add(delivery.envelope().correlationId());
			delivery.ack();
		}
		assertThat(received).containsExactly("m0", "m1", "m2", "m3", "m4");
		assertNothingMoreArrives(deliveries);
	}

	@Test
	void handsOutSeveralMessagesAtOnceInOrderAndNoMoreThanThePrefetch() {
		String queue = queue();
		for (int i = 0; i < 5; i++) {
			broker().publish(queue, envelope("b" + i, 0));
		}
		List<Delivery> held = new CopyOnWriteArrayList<>();
		subscribe(queue, 3, held::add);
		// a transport may hand them out one at a time (memory does) or several in one go, never more than asked
		await().atMost(WAIT).until(() -> held.size() == 3);
		await().during(QUIET).atMost(WAIT).until(() -> held.size() == 3);
		assertThat(ids(held)).containsExactly("b0", "b1", "b2");
		held.forEach(Delivery::ack);
		await().atMost(WAIT).until(() -> held.size() == 5);
		assertThat(ids(held)).containsExactly("b0", "b1", "b2", "b3", "b4");
		held.forEach(Delivery::ack);
		await().during(QUIET).atMost(WAIT).until(() -> held.size() == 5);
	}

	@Test
	void keepsTheEnvelopeIntact() {
		String queue = queue();
		Map<String, Object> headers = new LinkedHashMap<>();
		headers.put("task", "contract.task");
		headers.put("id", "e1");
		headers.put("retries", 2);
		headers.put("timelimit", Arrays.asList(null, 10));
		headers.put("x-custom", Map.of("nested", List.of(1, "two")));
		byte[] body = "[[1, \"\u00e9\"], {}, {}]".getBytes(StandardCharsets.UTF_8);
		Envelope sent = new Envelope(body, "application/json", "utf-8", headers, "e1", "reply-1", 0, "60000");
		broker().publish(queue, sent);
		Delivery delivery = take(subscribe(queue, 1));
		Envelope received = delivery.envelope();
		assertThat(received.body()).isEqualTo(body);
		assertThat(received.contentType()).isEqualTo("application/json");
		assertThat(received.contentEncoding()).isEqualTo("utf-8");
		assertThat(received.headers()).isEqualTo(headers);
		assertThat(received.correlationId()).isEqualTo("e1");
		assertThat(received.replyTo()).isEqualTo("reply-1");
		assertThat(received.priority()).isZero();
		assertThat(received.expiration()).isEqualTo("60000");
		assertThat(delivery.isSettled()).isFalse();
		delivery.ack();
		assertThat(delivery.isSettled()).isTrue();
	}

	@Test
	void servesTheMostUrgentPriorityFirst() {
		String queue = freshName();
		declareWithPriorities(queue);
		List<Integer> order = prioritiesMostUrgentFirst();
		List<Integer> expected = order.isEmpty() ? List.of(0, 5, 9) : order;
		List<Integer> published = new ArrayList<>(expected);
		if (!order.isEmpty()) {
			Collections.reverse(published);
		}
		for (int priority : published) {
			broker().publish(queue, envelope("p" + priority, priority));
		}
		BlockingQueue<Delivery> deliveries = subscribe(queue, 1);
		List<Integer> received = new ArrayList<>();
		for (int i = 0; i < expected.size(); i++) {
			Delivery delivery = take(deliveries);
			received.add(delivery.envelope().priority());
			delivery.ack();
		}
		assertThat(received).isEqualTo(expected);
	}

	@Test
	void requeueDeliversTheMessageAgainAsRedelivered() {
		String queue = queue();
		broker().publish(queue, envelope("r1", 0));
		BlockingQueue<Delivery> deliveries = subscribe(queue, 1);
		Delivery first = take(deliveries);
		assertThat(first.redelivered()).isFalse();
		first.requeue();
		Delivery again = take(deliveries);
		assertThat(again.envelope().correlationId()).isEqualTo("r1");
		assertThat(again.redelivered()).isTrue();
		again.ack();
		assertNothingMoreArrives(deliveries);
	}

	@Test
	void aDeliverySettledTwiceIsSettledOnce() {
		// the first settle wins, the others are no-ops: a late ack after a shutdown requeue is harmless
		String queue = queue();
		broker().publish(queue, envelope("s1", 0));
		broker().publish(queue, envelope("s2", 0));
		BlockingQueue<Delivery> deliveries = subscribe(queue, 2);
		Delivery first = take(deliveries);
		Delivery second = take(deliveries);
		assertThat(ids(List.of(first, second))).containsExactly("s1", "s2");
		first.ack();
		settleAgainEveryWay(first);
		// the delivery held beside it still settles: on RabbitMQ a second basic.ack of one tag would have closed
		// the channel, and this delivery would come back redelivered
		second.ack();
		assertNothingMoreArrives(deliveries);
		assertThat(deadLetters(broker(), queue)).isEmpty();
		// the consumer goes on, and the settles after the first freed no prefetch slot of their own: it still
		// holds two deliveries at the most
		for (int i = 3; i <= 5; i++) {
			broker().publish(queue, envelope("s" + i, 0));
		}
		Delivery third = take(deliveries);
		Delivery fourth = take(deliveries);
		assertThat(ids(List.of(third, fourth))).containsExactly("s3", "s4");
		assertThat(third.redelivered()).isFalse();
		assertThat(fourth.redelivered()).isFalse();
		assertNothingMoreArrives(deliveries);
		third.ack();
		Delivery fifth = take(deliveries);
		assertThat(fifth.envelope().correlationId()).isEqualTo("s5");
		fourth.ack();
		fifth.ack();
		assertNothingMoreArrives(deliveries);
	}

	@Test
	void aRequeuedDeliverySettledAgainComesBackOnce() {
		String queue = queue();
		broker().publish(queue, envelope("q1", 0));
		BlockingQueue<Delivery> deliveries = subscribe(queue, 1);
		Delivery delivery = take(deliveries);
		delivery.requeue();
		settleAgainEveryWay(delivery);
		Delivery again = take(deliveries);
		assertThat(again.envelope().correlationId()).isEqualTo("q1");
		assertThat(again.redelivered()).isTrue();
		again.ack();
		assertNothingMoreArrives(deliveries);
		assertThat(deadLetters(broker(), queue)).isEmpty();
		assertStillDelivers(queue, deliveries);
	}

	@Test
	void aRejectedDeliverySettledAgainIsDeadLetteredOnce() {
		String queue = queue();
		broker().publish(queue, envelope("j1", 0));
		BlockingQueue<Delivery> deliveries = subscribe(queue, 1);
		Delivery delivery = take(deliveries);
		delivery.reject("the first reason");
		settleAgainEveryWay(delivery);
		await().atMost(WAIT).until(() -> !deadLetters(broker(), queue).isEmpty());
		assertNothingMoreArrives(deliveries);
		List<DeadLetter> deadLetters = deadLetters(broker(), queue);
		assertThat(deadLetters).hasSize(1);
		assertThat(deadLetters.get(0).reason()).isEqualTo("the first reason");
		assertThat(deadLetters.get(0).envelope().correlationId()).isEqualTo("j1");
		assertStillDelivers(queue, deliveries);
	}

	@Test
	void aDeferredDeliverySettledAgainComesBackOnce() {
		String queue = queue();
		broker().publish(queue, envelope("t1", 0));
		BlockingQueue<Delivery> deliveries = subscribe(queue, 1);
		Delivery delivery = take(deliveries);
		Instant due = Instant.now().plusSeconds(1);
		delivery.deferUntil(due);
		settleAgainEveryWay(delivery);
		Delivery back = takeWhenDue(deliveries, due);
		assertThat(back.envelope().correlationId()).isEqualTo("t1");
		back.ack();
		assertNothingMoreArrives(deliveries);
		assertThat(deadLetters(broker(), queue)).isEmpty();
		assertStillDelivers(queue, deliveries);
	}

	@Test
	void rejectMovesTheMessageIntactToTheDeadLetters() {
		String queue = queue();
		broker().publish(queue, envelope("d1", 0));
		BlockingQueue<Delivery> deliveries = subscribe(queue, 1);
		Delivery delivery = take(deliveries);
		Instant before = Instant.now().minusSeconds(1);
		delivery.reject("cannot be processed");
		await().atMost(WAIT).until(() -> !deadLetters(broker(), queue).isEmpty());
		assertNothingMoreArrives(deliveries);
		List<DeadLetter> deadLetters = deadLetters(broker(), queue);
		assertThat(deadLetters).hasSize(1);
		DeadLetter deadLetter = deadLetters.get(0);
		assertThat(deadLetter.queue()).isEqualTo(queue);
		assertThat(deadLetter.reason()).isEqualTo("cannot be processed");
		assertThat(deadLetter.envelope().correlationId()).isEqualTo("d1");
		assertThat(deadLetter.envelope().body()).isEqualTo(delivery.envelope().body());
		assertThat(deadLetter.envelope().headers()).isEqualTo(delivery.envelope().headers());
		assertThat(deadLetter.rejectedAt()).isBetween(before, Instant.now().plusSeconds(1));
	}

	@Test
	void deferredMessageComesBackWhenDue() {
		String queue = queue();
		broker().publish(queue, envelope("later", 0));
		BlockingQueue<Delivery> deliveries = subscribe(queue, 4);
		Delivery first = take(deliveries);
		Instant due = Instant.now().plusSeconds(2);
		first.deferUntil(due);
		Delivery again = takeWhenDue(deliveries, due);
		assertThat(again.envelope().correlationId()).isEqualTo("later");
		assertThat(again.queue()).isEqualTo(queue);
		again.ack();
		assertNothingMoreArrives(deliveries);
	}

	@Test
	void aDeferredMessageLeavesThePrefetchWhileItIsParked() {
		String queue = queue();
		broker().publish(queue, envelope("parked", 0));
		BlockingQueue<Delivery> deliveries = subscribe(queue, 1);
		Delivery parked = take(deliveries);
		Instant due = Instant.now().plusSeconds(3);
		parked.deferUntil(due);
		// the one prefetch slot is free again: a message published now is not held up behind the parked one
		broker().publish(queue, envelope("meanwhile", 0));
		Delivery meanwhile = take(deliveries);
		assertThat(meanwhile.envelope().correlationId()).isEqualTo("meanwhile");
		assertThat(Instant.now()).isBefore(due);
		meanwhile.ack();
		Delivery back = takeWhenDue(deliveries, due);
		assertThat(back.envelope().correlationId()).isEqualTo("parked");
		back.ack();
	}

	@Test
	void holdsNoMoreUnsettledDeliveriesThanThePrefetch() {
		String queue = queue();
		for (int i = 0; i < 5; i++) {
			broker().publish(queue, envelope("f" + i, 0));
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
			broker().publish(queue, envelope("r" + i, 0));
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
	void consumesManyQueuesFairly() {
		String busy = queue();
		String quiet = queue();
		for (int i = 0; i < 20; i++) {
			broker().publish(busy, envelope("busy" + i, 0));
		}
		broker().publish(quiet, envelope("quiet0", 0));
		broker().publish(quiet, envelope("quiet1", 0));
		BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
		subscribe(List.of(busy, quiet), 1, deliveries::add);
		int window = deliveriesUntilEveryQueueIsServed();
		assertThat(window).as("a window shorter than the busy queue's backlog").isBetween(2, 20);
		List<String> first = new ArrayList<>();
		for (int i = 0; i < window; i++) {
			Delivery delivery = take(deliveries);
			first.add(delivery.queue());
			delivery.ack();
		}
		assertThat(first).contains(busy, quiet);
	}

	@Test
	void anIdleConsumerWaitsForAMessage() {
		String queue = queue();
		List<Delivery> received = new CopyOnWriteArrayList<>();
		subscribe(queue, 1, received::add);
		await().during(Duration.ofMillis(1200)).atMost(WAIT).until(received::isEmpty);
		broker().publish(queue, envelope("w1", 0));
		await().atMost(WAIT).until(() -> received.size() == 1);
		received.get(0).ack();
	}

	@Test
	void publishesToADestinationAndWithoutWaiting() {
		String queue = queue();
		broker().publish(Destination.queue(queue), envelope("direct", 0));
		List<CompletableFuture<Void>> sent = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			sent.add(broker().publishAsync(Destination.queue(queue), envelope("async" + i, 0)));
		}
		assertThat(CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new))).succeedsWithin(WAIT);
		BlockingQueue<Delivery> deliveries = subscribe(queue, 21);
		List<String> received = new ArrayList<>();
		for (int i = 0; i < 21; i++) {
			Delivery delivery = take(deliveries);
			received.add(delivery.envelope().correlationId());
			delivery.ack();
		}
		List<String> expected = new ArrayList<>(List.of("direct"));
		for (int i = 0; i < 20; i++) {
			expected.add("async" + i);
		}
		assertThat(received).containsExactlyInAnyOrderElementsOf(expected);
		assertNothingMoreArrives(deliveries);
	}

	@Test
	void aCancelledSubscriptionHandsOutNothingMoreButItsDeliveriesCanStillBeSettled() {
		String queue = queue();
		broker().publish(queue, envelope("c0", 0));
		broker().publish(queue, envelope("c1", 0));
		BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
		Subscription subscription = subscribe(List.of(queue), 1, deliveries::add);
		Delivery first = take(deliveries);
		assertThat(first.envelope().correlationId()).isEqualTo("c0");
		subscription.cancel();
		// settled after the cancel, as a worker finishing its last task does: the ack must still count
		first.ack();
		assertNothingMoreArrives(deliveries);
		BlockingQueue<Delivery> next = subscribe(queue, 1);
		Delivery second = take(next);
		assertThat(second.envelope().correlationId()).isEqualTo("c1");
		second.ack();
		assertNothingMoreArrives(next);
	}

	@Test
	void reportsItselfUpWhileItsServerAnswers() {
		ComponentStatus status = broker().status();
		assertThat(status.up()).as("up: %s", status).isTrue();
		assertThat(status.error()).isNull();
	}

	@Test
	void queueDepthCountsTheMessagesWaitingNotThoseDelivered() {
		String queue = queue();
		assertThat(broker().queueDepth(queue)).isZero();
		assertThat(broker().queueDepth(freshName())).as("a queue never used").isZero();
		for (int i = 0; i < 3; i++) {
			broker().publish(queue, envelope("d" + i, i * 4));
		}
		await().atMost(WAIT).until(() -> broker().queueDepth(queue) == 3);
		BlockingQueue<Delivery> deliveries = subscribe(queue, 1);
		Delivery held = take(deliveries);
		// delivered and unacknowledged: no longer waiting
		await().atMost(WAIT).until(() -> broker().queueDepth(queue) == 2);
		held.ack();
		for (int i = 0; i < 2; i++) {
			take(deliveries).ack();
		}
		await().atMost(WAIT).until(() -> broker().queueDepth(queue) == 0);
	}

	@Test
	void purgeRemovesTheWaitingMessagesSaysHowManyAndLeavesTheDeliveredOnes() {
		String queue = queue();
		for (int i = 0; i < 3; i++) {
			broker().publish(queue, envelope("p" + i, i * 4));
		}
		BlockingQueue<Delivery> deliveries = subscribe(queue, 1);
		Delivery held = take(deliveries);
		await().atMost(WAIT).until(() -> broker().queueDepth(queue) == 2);
		assertThat(broker().purge(queue)).isEqualTo(2);
		assertThat(broker().queueDepth(queue)).isZero();
		assertThat(broker().purge(queue)).isZero();
		assertThat(broker().purge(freshName())).as("a queue never used").isZero();
		// the delivered message stays the worker's to settle, and the consumer goes on with what comes next
		held.ack();
		assertNothingMoreArrives(deliveries);
		assertStillDelivers(queue, deliveries);
	}

	@Test
	void isConsumingWhileSubscribedAndNotOnceCancelled() {
		String queue = queue();
		String other = queue();
		Subscription subscription = subscribe(List.of(queue), 1, (delivery) -> delivery.ack());
		await().atMost(WAIT).until(() -> subscription.isConsuming(queue));
		assertThat(subscription.isConsuming(other)).as("a queue not subscribed to").isFalse();
		subscription.cancel();
		assertThat(subscription.isConsuming(queue)).isFalse();
	}

	/**
	 * Settle a settled delivery again in every way: each call must be a no-op that throws nothing.
	 */
	private static void settleAgainEveryWay(Delivery delivery) {
		assertThat(delivery.isSettled()).isTrue();
		assertThatNoException().isThrownBy(delivery::ack);
		assertThatNoException().isThrownBy(delivery::requeue);
		assertThatNoException().isThrownBy(() -> delivery.reject("settled again"));
		assertThatNoException().isThrownBy(() -> delivery.deferUntil(Instant.now().plusSeconds(1)));
		assertThat(delivery.isSettled()).isTrue();
	}

	/**
	 * The consumer still gets new messages: publish one and take it.
	 */
	private void assertStillDelivers(String queue, BlockingQueue<Delivery> deliveries) {
		String id = "after-" + UUID.randomUUID();
		broker().publish(queue, envelope(id, 0));
		Delivery delivery = take(deliveries);
		assertThat(delivery.envelope().correlationId()).isEqualTo(id);
		assertThat(delivery.redelivered()).isFalse();
		delivery.ack();
		assertNothingMoreArrives(deliveries);
	}

	/**
	 * Take a deferred message when it comes back due, no later than {@link #LATE} after. On a transport whose
	 * deferred messages may come back early, one that does is deferred again for the time left, as the worker
	 * does; on the others it fails the case.
	 */
	private Delivery takeWhenDue(BlockingQueue<Delivery> deliveries, Instant due) {
		Instant latest = due.plus(LATE);
		while (true) {
			Delivery delivery = poll(deliveries, Duration.between(Instant.now(), latest));
			assertThat(delivery).as("the deferred message, back by %s", latest).isNotNull();
			Instant now = Instant.now();
			if (!now.isBefore(due.minus(EARLY))) {
				return delivery;
			}
			assertThat(deferredMessagesMayComeBackEarly())
				.as("a deferred message came back %s before it was due", Duration.between(now, due))
				.isTrue();
			delivery.deferUntil(due);
		}
	}

	private void assertNothingMoreArrives(BlockingQueue<Delivery> deliveries) {
		await("no delivery beyond the expected ones for " + QUIET).during(QUIET)
			.atMost(QUIET.plus(WAIT))
			.until(deliveries::isEmpty);
	}

	private Broker broker() {
		assertThat(this.broker).as("the broker of this test").isNotNull();
		return this.broker;
	}

	private BlockingQueue<Delivery> subscribe(String queue, int prefetch) {
		BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
		subscribe(List.of(queue), prefetch, deliveries::add);
		return deliveries;
	}

	private void subscribe(String queue, int prefetch, DeliveryHandler handler) {
		subscribe(List.of(queue), prefetch, handler);
	}

	private Subscription subscribe(List<String> queues, int prefetch, DeliveryHandler handler) {
		Subscription subscription = broker().subscribe(queues, prefetch, handler);
		this.subscriptions.add(subscription);
		return subscription;
	}

	private static Delivery take(BlockingQueue<Delivery> deliveries) {
		Delivery delivery = poll(deliveries, WAIT);
		assertThat(delivery).as("a delivery within %s", WAIT).isNotNull();
		return delivery;
	}

	private static @Nullable Delivery poll(BlockingQueue<Delivery> deliveries, Duration timeout) {
		try {
			return deliveries.poll(Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted waiting for a delivery", ex);
		}
	}

	private static List<String> ids(List<Delivery> deliveries) {
		return deliveries.stream().map((delivery) -> delivery.envelope().correlationId()).toList();
	}

	/**
	 * A fresh queue, declared.
	 */
	private String queue() {
		String queue = freshName();
		declare(queue);
		return queue;
	}

	private static String freshName() {
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
