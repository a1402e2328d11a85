package dev.taskqueue.status;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
	void aServerThatHangsIsDownOnceTheTimeoutPassesAndNoMoreThanThreeRoundTripsWaitForIt() {
		CountDownLatch answer = new CountDownLatch(1);
		AtomicInteger roundTrips = new AtomicInteger();
		StatusCheck check = new StatusCheck("RabbitMQ at 127.0.0.1:5672", ADDRESS, () -> {
			roundTrips.incrementAndGet();
			awaitQuietly(answer);
			return ComponentStatus.up(Map.of());
		}, Duration.ofMillis(200));
		long started = System.nanoTime();
		for (int i = 0; i < 5; i++) {
			ComponentStatus status = check.status();
			assertThat(status.up()).isFalse();
			assertThat(status.error()).isEqualTo("RabbitMQ at 127.0.0.1:5672 did not answer within 200ms");
		}
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
		// a check older than the timeout is left to end on its own, and a new one started, up to three at a time
		assertThat(roundTrips).hasValue(StatusCheck.MOST_RUNNING);
		// the server answers at last: up at the next call
		answer.countDown();
		assertThat(check.status().up()).isTrue();
	}

	@Test
	void callersWithinTheTimeoutShareOneRoundTrip() throws Exception {
		CountDownLatch answer = new CountDownLatch(1);
		AtomicInteger roundTrips = new AtomicInteger();
		StatusCheck check = new StatusCheck("Redis", ADDRESS, () -> {
			roundTrips.incrementAndGet();
			awaitQuietly(answer);
			return ComponentStatus.up(Map.of());
		}, Duration.ofSeconds(5));
		List<ComponentStatus> answers = new CopyOnWriteArrayList<>();
		Thread first = new Thread(() -> answers.add(check.status()));
		first.start();
		await().until(() -> roundTrips.get() == 1);
		Thread second = new Thread(() -> answers.add(check.status()));
		second.start();
		// the second caller waits for the first one's round trip
		await().until(() -> second.getState() == Thread.State.TIMED_WAITING);
		answer.countDown();
		first.join();
		second.join();
		assertThat(answers).hasSize(2).allMatch(ComponentStatus::up);
		assertThat(roundTrips).hasValue(1);
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
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
