package dev.taskqueue.broker;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A send the broker did not take is tried again as Celery's publish retry policy says, then fails with a
 * {@link BrokerException} that carries the last failure.
 */
class PublishRetryTests {

	@Test
	void aSendThatFailsTwiceSucceedsOnItsThirdTry() {
		AtomicInteger tries = new AtomicInteger();
		PublishRetry.DEFAULTS.send("task t", () -> {
			if (tries.incrementAndGet() < 3) {
				throw new IllegalStateException("connection refused");
			}
		});
		assertThat(tries).hasValue(3);
	}

	@Test
	void aSendThatAlwaysFailsFailsAfterItsRetriesWithABrokerException() {
		AtomicInteger tries = new AtomicInteger();
		IllegalStateException refused = new IllegalStateException("connection refused");
		long started = System.nanoTime();
		assertThatExceptionOfType(BrokerException.class).isThrownBy(() -> PublishRetry.DEFAULTS.send("task t[1]", () -> {
			tries.incrementAndGet();
			throw refused;
		})).withMessage("Could not send task t[1] (tried 4 times): connection refused").withCause(refused);
		assertThat(tries).hasValue(4);
		// waits of 0, 0.2 and 0.2 seconds
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(400), Duration.ofSeconds(2));
	}

	@Test
	void aDisabledPolicyTriesOnce() {
		AtomicInteger tries = new AtomicInteger();
		assertThatExceptionOfType(BrokerException.class).isThrownBy(() -> PublishRetry.DISABLED.send("task t", () -> {
			tries.incrementAndGet();
			throw new IllegalStateException("down");
		})).withMessage("Could not send task t: down");
		assertThat(tries).hasValue(1);
	}

	@Test
	void theWaitsGrowByTheStepUpToTheMaximum() {
		PublishRetry retry = new PublishRetry(true, 5, Duration.ofMillis(100), Duration.ofMillis(300),
				Duration.ofMillis(500));
		assertThat(retry.interval(0)).isEqualTo(Duration.ofMillis(100));
		assertThat(retry.interval(1)).isEqualTo(Duration.ofMillis(400));
		assertThat(retry.interval(2)).isEqualTo(Duration.ofMillis(500));
	}

}
