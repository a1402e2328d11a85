package dev.taskqueue.status;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A status check answers within its timeout whatever the server does, runs one round trip at a time, and checks
 * again on the next call once the last one ended.
 */
class StatusCheckTests {

	private static final Map<String, Object> ADDRESS = Map.of("host", "127.0.0.1", "port", 6379);

	@Test
	void aServerThatAnswersIsUpWithWhatItSaid() {
		StatusCheck check = new StatusCheck("Redis at 127.0.0.1:6379", ADDRESS,
				() -> ComponentStatus.up(Map.of("version", "8.0.2")));
		assertThat(check.status()).isEqualTo(ComponentStatus.up(Map.of("version", "8.0.2")));
	}

	@Test
	void aServerThatRefusesIsDownWithTheReasonAndItsAddress() {
		StatusCheck check = new StatusCheck("Redis at 127.0.0.1:6379", ADDRESS, () -> {
			throw new IllegalStateException("Unable to connect to Redis",
					new java.net.ConnectException("Connection refused"));
		});
		ComponentStatus status = check.status();
		assertThat(status.up()).isFalse();
		assertThat(status.error())
			.isEqualTo("Redis at 127.0.0.1:6379: Unable to connect to Redis: Connection refused");
		assertThat(status.details()).isEqualTo(ADDRESS);
	}

	@Test
	void aServerThatHangsIsDownOnceTheTimeoutPassesAndOnlyOneRoundTripWaitsForIt() throws Exception {
		CountDownLatch answer = new CountDownLatch(1);
		AtomicInteger roundTrips = new AtomicInteger();
		StatusCheck check = new StatusCheck("RabbitMQ at 127.0.0.1:5672", ADDRESS, () -> {
			roundTrips.incrementAndGet();
			try {
				answer.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return ComponentStatus.up(Map.of());
		}, Duration.ofMillis(200));
		long started = System.nanoTime();
		ComponentStatus first = check.status();
		ComponentStatus second = check.status();
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
		assertThat(first.up()).isFalse();
		assertThat(first.error()).isEqualTo("RabbitMQ at 127.0.0.1:5672 did not answer within 200ms");
		assertThat(second.up()).isFalse();
		assertThat(roundTrips).hasValue(1);
		// the server answers at last: the check under way is up, and the next call checks again
		answer.countDown();
		assertThat(check.status().up()).isTrue();
		assertThat(check.status().up()).isTrue();
		assertThat(roundTrips).hasValueBetween(2, 3);
	}

	@Test
	void everyCallAfterTheLastEndedChecksAgain() {
		AtomicInteger roundTrips = new AtomicInteger();
		StatusCheck check = new StatusCheck("Redis", ADDRESS, () -> (roundTrips.incrementAndGet() == 1)
				? ComponentStatus.down("away", Map.of()) : ComponentStatus.up(Map.of()));
		assertThat(check.status().up()).isFalse();
		assertThat(check.status().up()).isTrue();
		assertThat(roundTrips).hasValue(2);
	}

}
