package dev.taskqueue.prefetch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

import dev.taskqueue.AsyncResult;
import dev.taskqueue.TaskClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A long task and short ones on two workers of one queue (two applications in this JVM, one thread each), for
 * each broker (a subclass per broker says how to reach it). With a prefetch equal to the concurrency, a worker
 * whose threads are all busy holds no message: the short tasks all run on the idle worker while the long one
 * still runs, which is what Celery's {@code -Ofair} (with a prefetch multiplier of 1) is for. With the default
 * prefetch (four times the concurrency), the busy worker also takes short tasks, which then wait behind the
 * long one although the other worker is idle.
 */
public abstract class PrefetchSemantics {

	private static final Duration WAIT = Duration.ofSeconds(60);

	private static final int SHORT_TASKS = 6;

	private final List<ConfigurableApplicationContext> workers = new ArrayList<>();

	@BeforeEach
	void reset() {
		PrefetchTasks.reset();
		clean();
	}

	@AfterEach
	void stopWorkers() {
		PrefetchTasks.release();
		this.workers.forEach(ConfigurableApplicationContext::close);
	}

	/** Removes what earlier tests left in the broker and the result backend. */
	protected abstract void clean();

	/**
	 * The properties that put an application on the broker and result backend under test, consuming one queue
	 * of the test's own, with results that every application of the test can read.
	 * @return the properties, as {@code name=value}
	 */
	protected abstract String[] transportProperties();

	@Test
	void withPrefetchEqualToConcurrencyNoTaskWaitsBehindALongOneWhileAnotherWorkerIsIdle() {
		TaskClient client = startWorkers(1);
		AsyncResult<Object> longOne = client.send("prefetch.long", List.of("long"), Map.of());
		await().atMost(WAIT).until(() -> PrefetchTasks.ranOn().containsKey("long"));
		String busy = worker("long");
		List<AsyncResult<Object>> shortOnes = sendShortOnes(client);
		for (int i = 0; i < SHORT_TASKS; i++) {
			assertThat(shortOnes.get(i).get(WAIT)).isEqualTo("short-" + i);
		}
		// all of them done, on the other worker, while the long one still runs
		assertThat(PrefetchTasks.order()).doesNotContain("long done");
		assertThat(longOne.ready()).isFalse();
		for (int i = 0; i < SHORT_TASKS; i++) {
			assertThat(worker("short-" + i)).isNotEqualTo(busy);
		}
		PrefetchTasks.release();
		assertThat(longOne.get(WAIT)).isEqualTo("long");
	}

	@Test
	void withTheDefaultPrefetchTheBusyWorkerHoldsShortTasksBehindTheLongOne() {
		TaskClient client = startWorkers(4);
		AsyncResult<Object> longOne = client.send("prefetch.long", List.of("long"), Map.of());
		await().atMost(WAIT).until(() -> PrefetchTasks.ranOn().containsKey("long"));
		String busy = worker("long");
		List<AsyncResult<Object>> shortOnes = sendShortOnes(client);
		// the idle worker runs what it was given; the busy one holds the others until the long one ends
		await().atMost(WAIT).until(() -> PrefetchTasks.order().stream().filter((event) -> event.endsWith(" done"))
			.count() == PrefetchTasks.ranOn().size() - 1);
		PrefetchTasks.release();
		assertThat(longOne.get(WAIT)).isEqualTo("long");
		shortOnes.forEach((result) -> result.get(WAIT));
		List<String> heldBack = new ArrayList<>();
		for (int i = 0; i < SHORT_TASKS; i++) {
			if (worker("short-" + i).equals(busy)) {
				heldBack.add("short-" + i);
			}
		}
		assertThat(heldBack).isNotEmpty();
		List<String> order = PrefetchTasks.order();
		for (String label : heldBack) {
			assertThat(order.indexOf(label)).isGreaterThan(order.indexOf("long done"));
		}
	}

	private TaskClient startWorkers(int prefetch) {
		ConfigurableApplicationContext first = startWorker("first", prefetch);
		startWorker("second", prefetch);
		return first.getBean(TaskClient.class);
	}

	private ConfigurableApplicationContext startWorker(String name, int prefetch) {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(PrefetchApplication.class)
			.web(WebApplicationType.NONE)
			.properties(transportProperties())
			.properties("taskqueue.worker.name=" + name, "taskqueue.worker.concurrency=1",
					"taskqueue.worker.prefetch=" + prefetch, "taskqueue.worker.shutdown-timeout=2s")
			.run();
		this.workers.add(context);
		return context;
	}

	private static List<AsyncResult<Object>> sendShortOnes(TaskClient client) {
		List<AsyncResult<Object>> sent = new ArrayList<>();
		for (int i = 0; i < SHORT_TASKS; i++) {
			sent.add(client.send("prefetch.short", List.of("short-" + i), Map.of()));
		}
		return sent;
	}

	/** The worker a task ran on: its threads are named {@code <worker>-<n>}. */
	private static String worker(String label) {
		String thread = PrefetchTasks.ranOn().get(label);
		return thread.substring(0, thread.lastIndexOf('-'));
	}

	/**
	 * The applications of the test: auto-configuration and {@link PrefetchTasks}, nothing scanned.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(PrefetchTasks.class)
	static class PrefetchApplication {

	}

}
