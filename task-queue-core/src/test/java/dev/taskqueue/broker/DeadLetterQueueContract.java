package dev.taskqueue.broker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.taskqueue.protocol.Envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What every broker's {@link DeadLetterQueue} does: a rejected message is kept intact with its reason, listed
 * by queue or for all queues, redriven to its queue unchanged, or purged. Each transport's test extends this;
 * it uses only {@link Broker} and {@link DeadLetterQueue}, and queues of its own, and starts with no dead
 * letters.
 * <p>
 * A third-party transport runs it as it runs {@link BrokerContract}: with the core's test-jar
 * ({@code dev.taskqueue:task-queue-core:<version>:test-jar}, scope test) on its test class path, it subclasses
 * this class, implements {@link #createBroker()} (a broker that is a {@link DeadLetterQueue}) and
 * {@link #close(Broker)}, and overrides {@link #declare(String)} if it delivers only to queues that exist.
 */
public abstract class DeadLetterQueueContract {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private Broker broker;

	private DeadLetterQueue deadLetters;

	private final List<Subscription> subscriptions = new ArrayList<>();

	/**
	 * A fresh broker.
	 * @return the broker, which is also a {@link DeadLetterQueue}
	 */
	protected abstract Broker createBroker();

	/**
	 * Make a queue exist, for a transport that publishes only to queues that exist.
	 * @param queue the queue
	 */
	protected void declare(String queue) {
	}

	/**
	 * Release the broker.
	 * @param broker the broker
	 */
	protected abstract void close(Broker broker);

	@BeforeEach
	void createTheBroker() {
		this.broker = createBroker();
		this.deadLetters = (DeadLetterQueue) this.broker;
		this.deadLetters.purgeDeadLetters(null);
	}

	@AfterEach
	void closeTheBroker() {
		this.subscriptions.forEach(Subscription::cancel);
		close(this.broker);
	}

	@Test
	void aRejectedMessageIsKeptIntactWithItsReason() {
		String queue = queue();
		Map<String, Object> headers = new LinkedHashMap<>();
		headers.put("task", "dead.task");
		headers.put("id", "e1");
		headers.put("retries", 2);
		headers.put("timelimit", Arrays.asList(null, 10));
		headers.put("x-custom", Map.of("nested", List.of(1, "two")));
		byte[] body = "[[1, \"\u00e9\"], {}, {}]".getBytes(StandardCharsets.UTF_8);
		Envelope sent = new Envelope(body, "application/json", "utf-8", headers, "e1", "reply-1", 0, "60000");
		Instant before = Instant.now().minusSeconds(1);
		reject(queue, List.of(sent), "unregistered task 'dead.task'");
		DeadLetter letter = this.deadLetters.listDeadLetters(queue, 10).get(0);
		assertThat(letter.queue()).isEqualTo(queue);
		assertThat(letter.reason()).isEqualTo("unregistered task 'dead.task'");
		assertThat(letter.rejectedAt()).isBetween(before, Instant.now().plusSeconds(1));
		assertThat(letter.id()).isNotBlank();
		Envelope kept = letter.envelope();
		assertThat(kept.body()).isEqualTo(body);
		assertThat(kept.contentType()).isEqualTo("application/json");
		assertThat(kept.contentEncoding()).isEqualTo("utf-8");
		assertThat(kept.headers()).isEqualTo(headers);
		assertThat(kept.correlationId()).isEqualTo("e1");
		assertThat(kept.replyTo()).isEqualTo("reply-1");
		assertThat(kept.expiration()).isEqualTo("60000");
	}

	@Test
	void listsOneQueueOrAllOldestFirstUpToTheLimit() {
		String a = queue();
		String b = queue();
		reject(a, "a1", "a2");
		reject(b, "b1");
		assertThat(ids(this.deadLetters.listDeadLetters(a, 10))).containsExactly("a1", "a2");
		assertThat(ids(this.deadLetters.listDeadLetters(a, 1))).containsExactly("a1");
		assertThat(ids(this.deadLetters.listDeadLetters(null, 10))).containsExactly("a1", "a2", "b1");
		assertThat(ids(this.deadLetters.listDeadLetters(null, 2))).containsExactly("a1", "a2");
		assertThat(this.deadLetters.listDeadLetters(queue(), 10)).isEmpty();
		// listing neither consumes nor reorders, and an id stays the same
		List<DeadLetter> first = this.deadLetters.listDeadLetters(null, 10);
		List<DeadLetter> again = this.deadLetters.listDeadLetters(null, 10);
		assertThat(again).extracting(DeadLetter::id).containsExactlyElementsOf(first.stream().map(DeadLetter::id).toList())
			.doesNotHaveDuplicates();
	}

	@Test
	void redriveOnePublishesItBackUnchangedAndRemovesIt() throws Exception {
		String queue = queue();
		reject(queue, "r1");
		DeadLetter letter = this.deadLetters.listDeadLetters(queue, 1).get(0);
		assertThat(this.deadLetters.redriveDeadLetter(letter.id())).isTrue();
		assertThat(this.deadLetters.redriveDeadLetter(letter.id())).isFalse();
		assertThat(this.deadLetters.listDeadLetters(null, 10)).isEmpty();
		Delivery delivery = receive(queue).poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
		assertThat(delivery).as("the redriven message").isNotNull();
		assertThat(delivery.redelivered()).isFalse();
		assertThat(delivery.envelope().correlationId()).isEqualTo("r1");
		assertThat(delivery.envelope().body()).isEqualTo(letter.envelope().body());
		assertThat(delivery.envelope().headers()).isEqualTo(letter.envelope().headers());
		delivery.ack();
	}

	@Test
	void redriveAllOfAQueueInOrderLeavesTheOthers() throws Exception {
		String a = queue();
		String b = queue();
		reject(a, "a1", "a2");
		reject(b, "b1");
		assertThat(this.deadLetters.redriveDeadLetters(a)).isEqualTo(2);
		assertThat(ids(this.deadLetters.listDeadLetters(null, 10))).containsExactly("b1");
		BlockingQueue<Delivery> redriven = receive(a);
		List<String> received = new ArrayList<>();
		for (int i = 0; i < 2; i++) {
			Delivery delivery = redriven.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
			assertThat(delivery).as("redriven message %s", i).isNotNull();
			received.add(delivery.envelope().correlationId());
			delivery.ack();
		}
		assertThat(received).containsExactly("a1", "a2");
		assertThat(this.deadLetters.redriveDeadLetters(null)).isEqualTo(1);
		assertThat(this.deadLetters.listDeadLetters(null, 10)).isEmpty();
	}

	@Test
	void purgeOneThenAQueueThenAllWithoutPublishing() {
		String a = queue();
		String b = queue();
		String c = queue();
		reject(a, "a1", "a2");
		reject(b, "b1");
		reject(c, "c1");
		String first = this.deadLetters.listDeadLetters(a, 1).get(0).id();
		assertThat(this.deadLetters.purgeDeadLetter(first)).isTrue();
		assertThat(this.deadLetters.purgeDeadLetter(first)).isFalse();
		assertThat(ids(this.deadLetters.listDeadLetters(null, 10))).containsExactly("a2", "b1", "c1");
		assertThat(this.deadLetters.purgeDeadLetters(b)).isEqualTo(1);
		assertThat(ids(this.deadLetters.listDeadLetters(null, 10))).containsExactly("a2", "c1");
		assertThat(this.deadLetters.purgeDeadLetters(null)).isEqualTo(2);
		assertThat(this.deadLetters.listDeadLetters(null, 10)).isEmpty();
		BlockingQueue<Delivery> nothing = receive(a);
		await().during(Duration.ofSeconds(1)).atMost(WAIT).until(nothing::isEmpty);
	}

	@Test
	void unknownIdsAreNotFound() {
		assertThat(this.deadLetters.redriveDeadLetter("no-such-id")).isFalse();
		assertThat(this.deadLetters.purgeDeadLetter("no-such-id")).isFalse();
		assertThat(this.deadLetters.redriveDeadLetters(null)).isZero();
		assertThat(this.deadLetters.purgeDeadLetters(queue())).isZero();
	}

	private void reject(String queue, String... ids) {
		reject(queue, Arrays.stream(ids).map(DeadLetterQueueContract::envelope).toList(), "poison");
	}

	/**
	 * Publish messages and reject them, one at a time in order, as a worker would.
	 */
	private void reject(String queue, List<Envelope> envelopes, String reason) {
		declare(queue);
		int before = this.deadLetters.listDeadLetters(queue, Integer.MAX_VALUE).size();
		envelopes.forEach((envelope) -> this.broker.publish(queue, envelope));
		Subscription subscription = this.broker.subscribe(List.of(queue), 1, (delivery) -> delivery.reject(reason));
		try {
			await().atMost(WAIT)
				.until(() -> this.deadLetters.listDeadLetters(queue, Integer.MAX_VALUE).size() == before + envelopes.size());
		}
		finally {
			subscription.cancel();
		}
	}

	private BlockingQueue<Delivery> receive(String queue) {
		BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
		this.subscriptions.add(this.broker.subscribe(List.of(queue), 4, deliveries::add));
		return deliveries;
	}

	private static List<String> ids(List<DeadLetter> letters) {
		return letters.stream().map((letter) -> letter.envelope().correlationId()).toList();
	}

	private String queue() {
		return "dead-letters-" + UUID.randomUUID();
	}

	private static Envelope envelope(String id) {
		Map<String, Object> headers = new LinkedHashMap<>();
		headers.put("task", "dead.task");
		headers.put("id", id);
		return new Envelope("[[], {}, {}]".getBytes(StandardCharsets.UTF_8), "application/json", "utf-8", headers, id,
				null, 0, null);
	}

}
