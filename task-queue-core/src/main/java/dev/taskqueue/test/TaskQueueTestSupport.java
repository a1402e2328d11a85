package dev.taskqueue.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;

import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.memory.InMemoryBroker;
import dev.taskqueue.worker.EagerBroker;
import dev.taskqueue.worker.Workers;

/**
 * Waits, in an application's integration test, until every task sent so far has run and its outcome is stored:
 * the in-memory broker has nothing waiting, deferred or delivered and unsettled, and the workers run nothing and
 * store nothing. Tasks that the tasks send are waited for too. In a {@code @SpringBootTest} with the default
 * in-memory broker:
 * <pre>{@code
 * @SpringBootTest
 * class SignupTests {
 *
 *     @Autowired TaskClient client;
 *     @Autowired ApplicationContext context;
 *
 *     @Test
 *     void aSignupSendsTheWelcomeMail() {
 *         client.send("signup.register", "ada@example.com");
 *         TaskQueueTestSupport.awaitIdle(context, Duration.ofSeconds(10));
 *         assertThat(mailbox.sent()).containsExactly("ada@example.com");
 *     }
 *
 * }
 * }</pre>
 * A task deferred by an eta, a countdown or a retry's delay is work still to do: the wait lasts until it ran
 * (give such tasks short delays in tests). Only the in-memory broker can tell that it is idle; a Redis or RabbitMQ
 * broker is shared with other processes, so wait for the results you expect instead
 * ({@code AsyncResult.get(timeout)}).
 */
public final class TaskQueueTestSupport {

	private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

	private TaskQueueTestSupport() {
	}

	/**
	 * Wait until the application's in-memory broker and its workers (if it runs any) are idle; at once with
	 * {@code taskqueue.eager=true}, where every task ran when it was sent.
	 * @param context the application context, or any bean factory holding the broker
	 * @param timeout how long to wait at most
	 * @throws IllegalStateException if the broker is not the in-memory one, or if they are not idle in time
	 */
	public static void awaitIdle(ListableBeanFactory context, Duration timeout) {
		Broker broker = context.getBean(Broker.class);
		if (broker instanceof EagerBroker) {
			// every task ran when it was sent
			return;
		}
		if (!(broker instanceof InMemoryBroker memory)) {
			throw new IllegalStateException("Only the in-memory broker can tell when every task ran, not "
					+ broker.getClass().getName() + ": use taskqueue.broker=memory in tests, or wait for the "
					+ "results you expect with AsyncResult.get(timeout)");
		}
		awaitIdle(memory, context.getBeanProvider(Workers.class).getIfAvailable(), timeout);
	}

	/**
	 * Wait until a broker and its workers are idle.
	 * @param broker the broker
	 * @param workers the workers that consume it, or {@code null} if none runs in this JVM
	 * @param timeout how long to wait at most
	 * @throws IllegalStateException if they are not idle in time
	 */
	public static void awaitIdle(InMemoryBroker broker, @Nullable Workers workers, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!idle(broker, workers)) {
			if (System.nanoTime() - deadline > 0) {
				throw new IllegalStateException("Task Queue still busy after " + timeout + ": "
						+ String.join(" and ", busy(broker, workers)));
			}
			LockSupport.parkNanos(POLL_NANOS);
			if (Thread.interrupted()) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted waiting for Task Queue to be idle");
			}
		}
	}

	/**
	 * One consistent look: the workers, the broker and the workers again, with no message published, delivered
	 * or settled in between (a task taken and finished between two looks at the workers moves the broker's count).
	 */
	private static boolean idle(InMemoryBroker broker, @Nullable Workers workers) {
		long before = broker.activity();
		boolean idle = (workers == null || workers.isIdle()) && broker.isIdle()
				&& (workers == null || workers.isIdle());
		return idle && broker.activity() == before;
	}

	private static List<String> busy(InMemoryBroker broker, @Nullable Workers workers) {
		List<String> busy = new ArrayList<>();
		if (!broker.isIdle()) {
			busy.add("the in-memory broker has messages waiting, deferred or delivered and not settled");
		}
		if (workers != null && !workers.isIdle()) {
			busy.add("the workers run tasks or store their outcomes");
		}
		if (workers == null && !broker.isIdle()) {
			busy.add("no worker runs in this application (taskqueue.worker.enabled=false?)");
		}
		return busy;
	}

}
