package dev.taskqueue.test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.stereotype.Component;

import dev.taskqueue.AsyncResult;
import dev.taskqueue.Task;
import dev.taskqueue.TaskClient;
import dev.taskqueue.TaskContext;
import dev.taskqueue.TaskState;
import dev.taskqueue.autoconfigure.TaskQueueAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * A user's integration test of their tasks: the application as it runs, with the in-memory broker and a real
 * worker, and {@link TaskQueueTestSupport#awaitIdle} instead of polling for each outcome; once it returns,
 * every task sent, the tasks those sent and the retries they asked for have run and their results are stored.
 */
@SpringBootTest(classes = TaskQueueTestSupportTests.Application.class,
		properties = { "taskqueue.worker.concurrency=2", "taskqueue.worker.shutdown-timeout=1s" })
class TaskQueueTestSupportTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@Autowired
	private TaskClient client;

	@Autowired
	private ApplicationContext context;

	@Autowired
	private Signups signups;

	@Test
	void onceIdleEveryTaskAndTheTasksItSentHaveRunAndStoredTheirResults() {
		String ada = "ada-" + UUID.randomUUID();
		String alan = "alan-" + UUID.randomUUID();
		List<AsyncResult<Object>> registered = List.of(this.client.send("signup.register", ada),
				this.client.send("signup.register", alan));
		TaskQueueTestSupport.awaitIdle(this.context, WAIT);
		// no waiting from here on: everything is done
		assertThat(this.signups.welcomed).contains(ada, alan);
		assertThat(registered).allSatisfy((result) -> assertThat(result.state()).isEqualTo(TaskState.SUCCESS));
	}

	@Test
	void aRetryWaitingForItsDelayIsWorkStillToDo() {
		String card = "card-" + UUID.randomUUID();
		AsyncResult<Object> charge = this.client.send("signup.charge", card);
		TaskQueueTestSupport.awaitIdle(this.context, WAIT);
		assertThat(charge.state()).isEqualTo(TaskState.SUCCESS);
		assertThat(this.signups.charged).contains(card + " after 1 retry");
	}

	@Test
	void awaitIdleSaysWhatIsStillBusyWhenItsTimeRunsOut() throws Exception {
		this.signups.gate = new CountDownLatch(1);
		try {
			this.client.send("signup.slow");
			assertThat(this.signups.slowStarted.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
			assertThatIllegalStateException()
				.isThrownBy(() -> TaskQueueTestSupport.awaitIdle(this.context, Duration.ofMillis(200)))
				.withMessageContaining("still busy after PT0.2S")
				.withMessageContaining("the workers run tasks");
		}
		finally {
			this.signups.gate.countDown();
		}
		TaskQueueTestSupport.awaitIdle(this.context, WAIT);
	}

	@SpringBootConfiguration
	@ImportAutoConfiguration({ JacksonAutoConfiguration.class, TaskQueueAutoConfiguration.class })
	@Import(Signups.class)
	static class Application {

	}

	@Component
	static class Signups {

		final List<String> welcomed = new CopyOnWriteArrayList<>();

		final List<String> charged = new CopyOnWriteArrayList<>();

		final CountDownLatch slowStarted = new CountDownLatch(1);

		volatile CountDownLatch gate = new CountDownLatch(0);

		private final AtomicInteger attempts = new AtomicInteger();

		private final TaskClient client;

		Signups(TaskClient client) {
			this.client = client;
		}

		@Task("signup.register")
		String register(String email) {
			// the welcome mail is a task of its own, sent from this one
			this.client.send("signup.welcome", email);
			return "registered " + email;
		}

		@Task("signup.welcome")
		void welcome(String email) {
			this.welcomed.add(email);
		}

		@Task(name = "signup.charge", autoretryFor = IllegalStateException.class, retryDelay = "300ms")
		void charge(String card, TaskContext context) {
			if (context.retries() == 0) {
				throw new IllegalStateException("gateway busy");
			}
			this.charged.add(card + " after " + context.retries() + " retry");
		}

		@Task("signup.slow")
		void slow() throws InterruptedException {
			this.slowStarted.countDown();
			this.gate.await(10, TimeUnit.SECONDS);
		}

	}

}
