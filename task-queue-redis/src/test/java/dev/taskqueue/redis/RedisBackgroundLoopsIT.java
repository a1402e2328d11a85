package dev.taskqueue.redis;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.taskqueue.broker.LoopStep;
import dev.taskqueue.broker.Subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Redis broker's background loops (housekeeping, the consumer) outlive an {@link Error} thrown by one of
 * their steps, and say so in the log. The error is provoked through the clock both read at every step.
 */
class RedisBackgroundLoopsIT {

	private final ListAppender<ILoggingEvent> log = new ListAppender<>();

	private OwnRedisServer server;

	private LettuceConnectionFactory connectionFactory;

	private RedisBroker broker;

	@BeforeEach
	void start() {
		this.log.start();
		((Logger) LoggerFactory.getLogger(LoopStep.class)).addAppender(this.log);
		this.server = OwnRedisServer.start();
		this.connectionFactory = this.server.connectionFactory();
	}

	@AfterEach
	void stop() {
		((Logger) LoggerFactory.getLogger(LoopStep.class)).detachAppender(this.log);
		if (this.broker != null) {
			this.broker.close();
		}
		this.connectionFactory.destroy();
		this.server.close();
	}

	@Test
	void housekeepingAndTheConsumerCarryOnAfterAnErrorAndLogIt() {
		FailingClock clock = new FailingClock();
		this.broker = new RedisBroker(this.connectionFactory, JsonMapper.builder().build(),
				new RedisBrokerSettings("", Duration.ofSeconds(30), Duration.ofSeconds(10)), clock);
		Subscription subscription = this.broker.subscribe(List.of("loops"), 4, (delivery) -> {
		});
		try {
			// each loop failed at least once, and read the clock again afterwards: it lives
			await().atMost(Duration.ofSeconds(20))
				.until(() -> clock.housekeeping.get() > FailingClock.FAILURES + 2
						&& clock.consumer.get() > FailingClock.FAILURES + 2);
			assertThat(this.log.list).anySatisfy((event) -> {
				assertThat(event.getFormattedMessage()).startsWith("Redis housekeeping");
				assertThat(event.getThrowableProxy().getClassName()).isEqualTo(ExceptionInInitializerError.class.getName());
			});
			assertThat(this.log.list).anySatisfy((event) -> {
				assertThat(event.getFormattedMessage()).startsWith("The consumer of [loops]");
				assertThat(event.getThrowableProxy().getClassName()).isEqualTo(ExceptionInInitializerError.class.getName());
			});
		}
		finally {
			subscription.cancel();
		}
	}

	/**
	 * The system clock, but the first reads on each background thread throw an {@link Error}.
	 */
	private static final class FailingClock extends Clock {

		static final int FAILURES = 2;

		final AtomicInteger housekeeping = new AtomicInteger();

		final AtomicInteger consumer = new AtomicInteger();

		@Override
		public Instant instant() {
			String thread = Thread.currentThread().getName();
			AtomicInteger reads = thread.contains("housekeeping") ? this.housekeeping
					: thread.contains("consumer") ? this.consumer : null;
			if (reads != null && reads.incrementAndGet() <= FAILURES) {
				throw new ExceptionInInitializerError("provoked on " + thread);
			}
			return Instant.now();
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

	}

}
