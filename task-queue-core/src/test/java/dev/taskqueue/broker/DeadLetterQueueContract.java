package dev.taskqueue.broker;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import dev.taskqueue.MovableClock;
import dev.taskqueue.protocol.Envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What every broker's {@link DeadLetterQueue} does: a rejected message is kept intact with its reason, listed
 * by queue or for all queues, counted per queue, redriven to its queue unchanged, or purged. Each transport's
 * test extends this; it uses only {@link Broker} and {@link DeadLetterQueue}, and queues of its own, and starts
 * with no dead letters.
 * <p>
 * A third-party transport runs it as it runs {@link BrokerContract}: with the core's test-jar
 * ({@code dev.taskqueue:task-queue-core:<version>:test-jar}, scope test) on its test class path, it subclasses
 * this class, implements {@link #createBroker()} (a broker that is a {@link DeadLetterQueue}),
 * {@link #createBroker(DeadLetterRetention, Clock)} and {@link #close(Broker)}, and overrides
 * {@link #declare(String)} if it delivers only to queues that exist. The retention cases read the lines
 * {@link DeadLetterRetention} logs, through Logback (logback-classic on the test class path).
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
	 * A fresh broker that keeps dead letters within a retention.
	 * @param retention how many dead letters to keep, and for how long
	 * @param clock the clock to stamp and age dead letters by, for a broker that takes one (see
	 * {@link #agesByTheGivenClock()})
	 * @return the broker, which is also a {@link DeadLetterQueue}
	 */
	protected abstract Broker createBroker(DeadLetterRetention retention, Clock clock);

	/**
	 * Whether the broker ages dead letters by the clock given to {@link #createBroker(DeadLetterRetention, Clock)}.
	 * A broker whose server ages them (RabbitMQ's {@code x-message-ttl}) answers {@code false}: the age case then
	 * waits a few real seconds.
	 * @return {@code true} unless the server ages dead letters by its own clock
	 */
	protected boolean agesByTheGivenClock() {
		return true;
	}

	/**
	 * Whether dead letters dropped for their age are counted in the log. A broker whose server drops them
	 * silently (RabbitMQ's {@code x-message-ttl}) answers {@code false}, and documents it.
	 * @return {@code true} unless the server drops them without telling
	 */
	protected boolean countsDropsByAge() {
		return true;
	}

	/**
	 * Whether {@link DeadLetterRetention#maxCount()} holds per queue. A broker with one dead-letter queue for all
	 * queues, capped by its server (RabbitMQ's {@code x-max-length}), answers {@code false}: the count is for all
	 * queues together.
	 * @return {@code true} unless the count is for all queues together
	 */
	protected boolean countsPerQueue() {
		return true;
	}

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

	private final ListAppender<ILoggingEvent> retentionLog = new ListAppender<>();

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
		retentionLogger().detachAppender(this.retentionLog);
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
	void countsTheDeadLettersOfEachQueue() {
		assertThat(this.deadLetters.countDeadLetters()).isEmpty();
		String a = queue();
		String b = queue();
		reject(a, "a1", "a2");
		reject(b, "b1");
		assertThat(this.deadLetters.countDeadLetters()).isEqualTo(Map.of(a, 2L, b, 1L));
		// counting neither consumes nor reorders
		assertThat(ids(this.deadLetters.listDeadLetters(null, 10))).containsExactly("a1", "a2", "b1");
		this.deadLetters.purgeDeadLetters(a);
		assertThat(this.deadLetters.countDeadLetters()).isEqualTo(Map.of(b, 1L));
	}

	@Test
	void unknownIdsAreNotFound() {
		assertThat(this.deadLetters.redriveDeadLetter("no-such-id")).isFalse();
		assertThat(this.deadLetters.purgeDeadLetter("no-such-id")).isFalse();
		assertThat(this.deadLetters.redriveDeadLetters(null)).isZero();
		assertThat(this.deadLetters.purgeDeadLetters(queue())).isZero();
	}

	@Test
	void overTheMaxCountTheOldestAreDroppedFirstAndCountedInTheLog() {
		useRetention(new DeadLetterRetention(3, Duration.ofDays(7)), Clock.systemUTC());
		String a = queue();
		reject(a, "a1", "a2", "a3", "a4", "a5");
		assertThat(ids(this.deadLetters.listDeadLetters(a, 10))).containsExactly("a3", "a4", "a5");
		assertThat(dropped("max-count")).isEqualTo(2);
		if (countsPerQueue()) {
			// another queue's dead letters neither count against this one nor are dropped for it
			String b = queue();
			reject(b, "b1", "b2");
			assertThat(ids(this.deadLetters.listDeadLetters(a, 10))).containsExactly("a3", "a4", "a5");
			assertThat(ids(this.deadLetters.listDeadLetters(b, 10))).containsExactly("b1", "b2");
			assertThat(dropped("max-count")).isEqualTo(2);
		}
	}

	@Test
	void deadLettersOlderThanTheMaxAgeAreDroppedAndCountedInTheLog() {
		MovableClock clock = new MovableClock(Instant.now());
		// a broker that ages them by its server's clock is given a short age, and the test waits it out
		Duration maxAge = agesByTheGivenClock() ? Duration.ofHours(1) : Duration.ofSeconds(3);
		useRetention(new DeadLetterRetention(100, maxAge), clock);
		String a = queue();
		String b = queue();
		reject(a, "old1", "old2");
		if (agesByTheGivenClock()) {
			clock.advance(maxAge.plusMinutes(1));
		}
		else {
			await().atMost(maxAge.plus(WAIT)).until(() -> this.deadLetters.listDeadLetters(a, 10).isEmpty());
		}
		reject(a, "new1");
		assertThat(ids(this.deadLetters.listDeadLetters(a, 10))).containsExactly("new1");
		// a young one is kept, and listing nothing old is not a drop
		reject(b, "young1");
		assertThat(ids(this.deadLetters.listDeadLetters(b, 10))).containsExactly("young1");
		if (countsDropsByAge()) {
			assertThat(dropped("max-age")).isEqualTo(2);
		}
	}

	/**
	 * Go on with a broker that keeps dead letters within a retention, and read what it logs about drops.
	 */
	private void useRetention(DeadLetterRetention retention, Clock clock) {
		this.subscriptions.forEach(Subscription::cancel);
		this.subscriptions.clear();
		close(this.broker);
		this.broker = createBroker(retention, clock);
		this.deadLetters = (DeadLetterQueue) this.broker;
		this.deadLetters.purgeDeadLetters(null);
		Logger logger = retentionLogger();
		if (!logger.isEnabledFor(Level.WARN)) {
			logger.setLevel(Level.WARN);
		}
		this.retentionLog.start();
		logger.addAppender(this.retentionLog);
	}

	/**
	 * How many dead letters the log says were dropped for one bound, summed over its lines.
	 */
	private int dropped(String bound) {
		Pattern count = Pattern.compile("^Dropped (\\d+) ");
		int dropped = 0;
		for (ILoggingEvent event : List.copyOf(this.retentionLog.list)) {
			String message = event.getFormattedMessage();
			Matcher matcher = count.matcher(message);
			if (message.contains("taskqueue.dead-letters." + bound) && matcher.find()) {
				dropped += Integer.parseInt(matcher.group(1));
			}
		}
		return dropped;
	}

	private static Logger retentionLogger() {
		return (Logger) LoggerFactory.getLogger(DeadLetterRetention.class);
	}

	private void reject(String queue, String... ids) {
		reject(queue, Arrays.stream(ids).map(DeadLetterQueueContract::envelope).toList(), "poison");
	}

	/**
	 * Publish messages and reject them, one at a time in order, as a worker would.
	 */
	private void reject(String queue, List<Envelope> envelopes, String reason) {
		declare(queue);
		envelopes.forEach((envelope) -> this.broker.publish(queue, envelope));
		// counted once each reject returned, not by listing: a listing on RabbitMQ holds the dead letters it reads,
		// which would hide them from its x-max-length while they are held
		AtomicInteger rejected = new AtomicInteger();
		Subscription subscription = this.broker.subscribe(List.of(queue), 1, (delivery) -> {
			delivery.reject(reason);
			rejected.incrementAndGet();
		});
		try {
			await().atMost(WAIT).until(() -> rejected.get() == envelopes.size());
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
