package dev.taskqueue.micrometer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.taskqueue.broker.BrokerException;
import dev.taskqueue.broker.memory.InMemoryBroker;
import dev.taskqueue.protocol.Envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gauges read from the broker: per consumed queue, never more than one read per refresh interval however
 * often they are scraped, and never holding a scrape for long when the broker is away.
 */
class QueueMetricsTests {

	private static final Duration REFRESH = Duration.ofSeconds(10);

	private static final Duration WAIT = Duration.ofMillis(200);

	private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

	private final CountingBroker broker = new CountingBroker();

	private final MeterRegistry meters = new SimpleMeterRegistry();

	private final QueueMetrics metrics = new QueueMetrics(this.broker, this.broker, List.of("fast", "slow", "fast"),
			REFRESH, WAIT, this.nanos::get);

	@AfterEach
	void close() {
		this.broker.hang.countDown();
		this.metrics.close();
		this.broker.close();
	}

	@Test
	void theDepthOfEachConsumedQueueIsWhatWaitsInIt() {
		publish("fast", 3);
		this.metrics.bindTo(this.meters);

		assertThat(depth("fast")).isEqualTo(3);
		assertThat(depth("slow")).isZero();
		assertThat(this.meters.get(QueueMetrics.QUEUE_DEPTH).gauges()).hasSize(2);
	}

	@Test
	void manyScrapesWithinTheRefreshIntervalReadTheBrokerOnce() {
		this.metrics.bindTo(this.meters);
		for (int i = 0; i < 100; i++) {
			scrape();
		}
		assertThat(this.broker.depthReads).hasValue(2);
		assertThat(this.broker.deadLetterReads).hasValue(1);

		publish("fast", 2);
		this.nanos.addAndGet(REFRESH.toNanos() - 1);
		assertThat(depth("fast")).as("served until the interval is over").isZero();

		this.nanos.addAndGet(1);
		assertThat(depth("fast")).isEqualTo(2);
		for (int i = 0; i < 100; i++) {
			scrape();
		}
		assertThat(this.broker.depthReads).hasValue(4);
		assertThat(this.broker.deadLetterReads).hasValue(2);
	}

	@Test
	void noGaugeReadsTheBrokerBeforeItIsScraped() {
		this.metrics.bindTo(this.meters);

		assertThat(this.broker.depthReads).hasValue(0);
	}

	@Test
	void aBrokerThatHangsHoldsAScrapeNoLongerThanTheWaitAndTheLastValuesAreServed() {
		publish("fast", 5);
		this.metrics.bindTo(this.meters);
		assertThat(depth("fast")).isEqualTo(5);

		this.broker.hanging.set(true);
		publish("fast", 1);
		this.nanos.addAndGet(REFRESH.toNanos());
		long started = System.nanoTime();
		assertThat(depth("fast")).isEqualTo(5);
		assertThat(deadLetters("fast")).isEqualTo(2);
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(WAIT.plusSeconds(1));

		// a read under way is not joined by a second one, however long it takes
		this.nanos.addAndGet(REFRESH.toNanos() * 3);
		started = System.nanoTime();
		assertThat(depth("fast")).isEqualTo(5);
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(WAIT);
		assertThat(this.broker.depthReads).hasValue(3);

		this.broker.hanging.set(false);
		this.broker.hang.countDown();
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			this.nanos.addAndGet(REFRESH.toNanos());
			assertThat(depth("fast")).isEqualTo(6);
		});
	}

	@Test
	void aBrokerThatFailsLeavesTheLastValuesUntilItAnswersAgain() {
		publish("fast", 4);
		this.metrics.bindTo(this.meters);
		assertThat(depth("fast")).isEqualTo(4);

		this.broker.failing.set(true);
		this.nanos.addAndGet(REFRESH.toNanos());
		assertThat(depth("fast")).isEqualTo(4);
		assertThat(deadLetters("fast")).isEqualTo(2);

		this.broker.failing.set(false);
		publish("fast", 1);
		this.nanos.addAndGet(REFRESH.toNanos());
		assertThat(depth("fast")).isEqualTo(5);
	}

	@Test
	void beforeTheFirstReadAnswersTheGaugesHaveNoValue() {
		this.broker.hanging.set(true);
		this.metrics.bindTo(this.meters);

		assertThat(depth("fast")).isNaN();
		assertThat(deadLetters("fast")).isNaN();
	}

	@Test
	void deadLettersAreCountedPerQueueAndAQueueThatIsNotConsumedGetsItsGaugeWhenItHasSome() {
		this.metrics.bindTo(this.meters);

		assertThat(deadLetters("fast")).isEqualTo(2);
		assertThat(deadLetters("slow")).isZero();
		assertThat(deadLetters("elsewhere")).isEqualTo(7);
	}

	@Test
	void withoutADeadLetterQueueThereAreNoDeadLetterGauges() {
		try (QueueMetrics depthsOnly = new QueueMetrics(this.broker, null, List.of("fast"), REFRESH)) {
			depthsOnly.bindTo(this.meters);
			assertThat(this.meters.get(QueueMetrics.QUEUE_DEPTH).gauge().value()).isZero();
			assertThat(this.meters.find(QueueMetrics.DEAD_LETTERS).gauges()).isEmpty();
		}
	}

	private void scrape() {
		this.meters.getMeters().forEach((meter) -> meter.measure().forEach((measurement) -> measurement.getValue()));
	}

	private double depth(String queue) {
		return this.meters.get(QueueMetrics.QUEUE_DEPTH).tag("queue", queue).gauge().value();
	}

	private double deadLetters(String queue) {
		return this.meters.get(QueueMetrics.DEAD_LETTERS).tag("queue", queue).gauge().value();
	}

	private void publish(String queue, int count) {
		for (int i = 0; i < count; i++) {
			this.broker.publish(queue, new Envelope("{}".getBytes(StandardCharsets.UTF_8), "application/json",
					"utf-8", Map.of(), null, null, 0, null));
		}
	}

	/**
	 * The in-memory broker, counting the reads of the gauges, that can hang or fail as a broker that went away
	 * does.
	 */
	static final class CountingBroker extends InMemoryBroker {

		final AtomicInteger depthReads = new AtomicInteger();

		final AtomicInteger deadLetterReads = new AtomicInteger();

		final AtomicBoolean hanging = new AtomicBoolean();

		final AtomicBoolean failing = new AtomicBoolean();

		final CountDownLatch hang = new CountDownLatch(1);

		@Override
		public long queueDepth(String queue) {
			this.depthReads.incrementAndGet();
			if (this.hanging.get()) {
				try {
					this.hang.await(30, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			if (this.failing.get()) {
				throw new BrokerException("Connection refused");
			}
			return super.queueDepth(queue);
		}

		@Override
		public Map<String, Long> countDeadLetters() {
			this.deadLetterReads.incrementAndGet();
			return Map.of("fast", 2L, "elsewhere", 7L);
		}

	}

}
