package dev.taskqueue.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.taskqueue.AsyncResult;
import dev.taskqueue.Task;
import dev.taskqueue.TaskClient;
import dev.taskqueue.autoconfigure.TaskQueueAutoConfiguration;
import dev.taskqueue.broker.memory.InMemoryBroker;
import dev.taskqueue.registry.RateLimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * Rate limits per worker, as Celery's: evenly spaced starts, waiting tasks hold a prefetch slot but no
 * thread, and go back to the broker when the worker stops.
 */
class RateLimitTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, TaskQueueAutoConfiguration.class))
		.withUserConfiguration(TasksConfiguration.class)
		.withPropertyValues("taskqueue.worker.concurrency=1", "taskqueue.worker.prefetch=20",
				"taskqueue.worker.shutdown-timeout=1s");

	@Test
	void ratesAreWrittenAsCeleryWritesThem() {
		assertThat(RateLimit.parse("10/s")).isEqualTo(new RateLimit(10, Duration.ofSeconds(1)));
		assertThat(RateLimit.parse("100/m").interval()).isEqualTo(Duration.ofMillis(600));
		assertThat(RateLimit.parse("1000/h").interval()).isEqualTo(Duration.ofMillis(3600));
		assertThat(RateLimit.parse(" 5 ").interval()).isEqualTo(Duration.ofMillis(200));
		assertThatIllegalArgumentException().isThrownBy(() -> RateLimit.parse("10/d")).withMessageContaining("'10/d'");
		assertThatIllegalArgumentException().isThrownBy(() -> RateLimit.parse("0/s"));
	}

	@Test
	void reservationsAreEvenlySpacedWithNoBurst() {
		LocalRateLimiter limiter = new LocalRateLimiter();
		// one a minute: the calls below are made well within an interval, however busy the machine
		RateLimit perMinute = RateLimit.parse("1/m");
		Reservation first = Reservation.of(limiter, perMinute);
		Reservation second = Reservation.of(limiter, perMinute);
		Reservation third = Reservation.of(limiter, perMinute);
		assertThat(first.delay()).isZero();
		// a slot is when the call was made plus the wait it returned, the call lying between `before` and `after`:
		// each slot is one interval after the previous one, neither sooner (a burst) nor later
		for (Reservation[] pair : List.of(new Reservation[] { first, second }, new Reservation[] { second, third })) {
			assertThat(Duration.ofNanos(pair[1].latestSlot() - pair[0].earliestSlot()))
				.isGreaterThanOrEqualTo(Duration.ofMinutes(1));
			assertThat(Duration.ofNanos(pair[1].earliestSlot() - pair[0].latestSlot()))
				.isLessThanOrEqualTo(Duration.ofMinutes(1));
		}
		assertThat(limiter.reserve("other", perMinute)).isZero();
	}

	@Test
	void aLimitedTaskStartsNoFasterThanItsRate() {
		this.runner.run((context) -> {
			Tasks tasks = context.getBean(Tasks.class);
			Instant sent = Instant.now();
			List<AsyncResult<Object>> limited = new java.util.ArrayList<>();
			for (int i = 0; i < 6; i++) {
				limited.add(client(context).send("rated.tick"));
			}
			for (AsyncResult<Object> result : limited) {
				result.get(WAIT);
			}
			// six starts at 5/s: the sixth no sooner than five intervals of 200 ms after they were sent
			assertThat(Duration.between(sent, tasks.ticks.get(5))).isGreaterThanOrEqualTo(Duration.ofMillis(1000));
		});
	}

	@Test
	void aTaskWithoutALimitIsNotHeldBehindLimitedOnesWaitingForTheirRate() {
		// one a minute: the limited tasks after the first cannot start within this test, however busy the machine
		this.runner.withPropertyValues("taskqueue.tasks.[rated.tick].rate-limit=1/m").run((context) -> {
			Tasks tasks = context.getBean(Tasks.class);
			for (int i = 0; i < 3; i++) {
				client(context).send("rated.tick");
			}
			AsyncResult<Object> free = client(context).send("rated.free");
			// one worker thread: the waiting limited tasks hold none of it
			assertThat(free.get(WAIT)).isEqualTo("free");
			assertThat(tasks.ticks).hasSizeLessThanOrEqualTo(1);
		});
	}

	@Test
	void yamlSetsTheRateLimitOfATask() {
		this.runner.withPropertyValues("taskqueue.tasks.[rated.free].rate-limit=2/s").run((context) -> {
			Tasks tasks = context.getBean(Tasks.class);
			Instant sent = Instant.now();
			client(context).send("rated.free");
			client(context).send("rated.free");
			AsyncResult<Object> third = client(context).send("rated.free");
			third.get(WAIT);
			assertThat(Duration.between(sent, tasks.freeStarts.get(2))).isGreaterThanOrEqualTo(Duration.ofMillis(1000));
		});
	}

	@Test
	void tasksWaitingForTheirRateGoBackToTheBrokerWhenTheWorkerStops() {
		this.runner.withPropertyValues("taskqueue.tasks.[rated.tick].rate-limit=1/m").run((context) -> {
			InMemoryBroker broker = context.getBean(InMemoryBroker.class);
			client(context).send("rated.tick").get(WAIT);
			client(context).send("rated.tick");
			client(context).send("rated.tick");
			await().atMost(WAIT).until(() -> broker.size("celery") == 0);
			context.getBean(Workers.class).stop();
			assertThat(broker.size("celery")).isEqualTo(2);
		});
	}

	/**
	 * One reservation: the delay it returned, and the times just before and just after the call.
	 */
	private record Reservation(long before, long after, Duration delay) {

		static Reservation of(LocalRateLimiter limiter, RateLimit limit) {
			long before = System.nanoTime();
			Duration delay = limiter.reserve("t", limit);
			return new Reservation(before, System.nanoTime(), delay);
		}

		long earliestSlot() {
			return this.before + this.delay.toNanos();
		}

		long latestSlot() {
			return this.after + this.delay.toNanos();
		}

	}

	private static TaskClient client(AssertableApplicationContext context) {
		return context.getBean(TaskClient.class);
	}

	static class Tasks {

		final List<Instant> ticks = new CopyOnWriteArrayList<>();

		final List<Instant> freeStarts = new CopyOnWriteArrayList<>();

		volatile Instant freeAt;

		@Task(name = "rated.tick", rateLimit = "5/s")
		void tick() {
			this.ticks.add(Instant.now());
		}

		@Task("rated.free")
		String free() {
			this.freeStarts.add(Instant.now());
			this.freeAt = Instant.now();
			return "free";
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TasksConfiguration {

		@Bean
		Tasks tasks() {
			return new Tasks();
		}

	}

}
