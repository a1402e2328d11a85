package dev.taskqueue.broker;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import dev.taskqueue.protocol.Envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A background loop whose step throws, an {@link Error} included, logs what killed the step, with the loop's
 * name, and carries on.
 */
class LoopStepTests {

	private final ListAppender<ILoggingEvent> log = new ListAppender<>();

	private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();

	@BeforeEach
	void captureLog() {
		this.log.start();
		((Logger) LoggerFactory.getLogger(LoopStep.class)).addAppender(this.log);
	}

	@AfterEach
	void stop() {
		((Logger) LoggerFactory.getLogger(LoopStep.class)).detachAppender(this.log);
		this.executor.shutdownNow();
	}

	@Test
	void aScheduledStepThatThrowsAnErrorIsLoggedAndRunsAgain() {
		AtomicInteger runs = new AtomicInteger();
		this.executor.scheduleWithFixedDelay(LoopStep.guarded("The test housekeeping", () -> {
			if (runs.incrementAndGet() == 1) {
				throw new StackOverflowError("provoked");
			}
		}), 0, 10, TimeUnit.MILLISECONDS);

		await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() >= 3);
		assertThat(this.log.list).anySatisfy((event) -> {
			assertThat(event.getLevel()).isEqualTo(Level.ERROR);
			assertThat(event.getFormattedMessage()).contains("The test housekeeping");
			assertThat(event.getThrowableProxy().getClassName()).isEqualTo(StackOverflowError.class.getName());
		});
	}

	@Test
	void anOutOfMemoryErrorIsLoggedWithTheAdviceToEndTheJvm() {
		assertThat(LoopStep.run("The test loop", () -> {
			throw new OutOfMemoryError("provoked");
		})).isFalse();

		assertThat(this.log.list).singleElement()
			.satisfies((event) -> assertThat(event.getFormattedMessage()).contains("The test loop")
				.contains("-XX:+ExitOnOutOfMemoryError"));
	}

	@Test
	void theConsumerLoopOutlivesAnErrorFromItsSource() {
		BlockingQueue<Delivery> handled = new ArrayBlockingQueue<>(1);
		AtomicInteger polls = new AtomicInteger();
		DeliverySource source = new DeliverySource() {

			@Override
			public @Nullable AbstractDelivery poll(List<String> queues, Duration timeout) {
				if (polls.incrementAndGet() == 1) {
					throw new NoClassDefFoundError("provoked");
				}
				return (polls.get() == 2) ? new TestDelivery() : null;
			}

		};
		PollingSubscription subscription = PollingSubscription.start(source, List.of("loop-tests"), 1, handled::add,
				"loop-tests-consumer", Duration.ofMillis(10));
		try {
			await().atMost(Duration.ofSeconds(10)).until(() -> handled.size() == 1);
			assertThat(this.log.list).anySatisfy((event) -> {
				assertThat(event.getFormattedMessage()).contains("The consumer of [loop-tests]");
				assertThat(event.getThrowableProxy().getClassName()).isEqualTo(NoClassDefFoundError.class.getName());
			});
		}
		finally {
			subscription.cancel();
		}
	}

	private static final class TestDelivery extends AbstractDelivery {

		TestDelivery() {
			super(new Envelope(new byte[0], "application/json", "utf-8", java.util.Map.of(), "id", null, 0, null),
					"loop-tests", false);
		}

		@Override
		protected void doAck() {
		}

		@Override
		protected void doRequeue() {
		}

		@Override
		protected void doReject(String reason) {
		}

		@Override
		protected void doDefer(java.time.Instant due) {
		}

	}

}
