package dev.taskqueue.worker;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.AsyncResult;
import dev.taskqueue.Task;
import dev.taskqueue.TaskState;
import dev.taskqueue.broker.memory.InMemoryBroker;
import dev.taskqueue.client.TaskTemplate;
import dev.taskqueue.registry.TaskAnnotationBeanPostProcessor;
import dev.taskqueue.registry.TaskRegistry;
import dev.taskqueue.result.memory.InMemoryResultBackend;
import dev.taskqueue.routing.TaskRouter;
import dev.taskqueue.serialization.JsonSerializer;
import dev.taskqueue.serialization.SerializerRegistry;
import dev.taskqueue.serialization.TaskMessageConverter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Warm shutdown: stop taking messages, hand back what was not started, let running tasks finish within the
 * timeout, hand back the rest. Built from the engine's parts without Spring, to show they compose.
 */
class WorkerShutdownTests {

	private static final String QUEUE = "shutdown-tests";

	private final Clock clock = Clock.systemUTC();

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final InMemoryBroker broker = new InMemoryBroker(this.clock);

	private final InMemoryResultBackend results = new InMemoryResultBackend(Duration.ofMinutes(5), this.clock);

	private final TaskRegistry registry = new TaskRegistry();

	private final BlockingTasks tasks = new BlockingTasks();

	private final TaskMessageConverter converter = new TaskMessageConverter(
			new SerializerRegistry(List.of(new JsonSerializer(this.mapper)), List.of("json")), this.clock);

	private final TaskRouter router = TaskRouter.builder(this.registry).defaultQueue(QUEUE).build();

	private final TaskTemplate client = TaskTemplate.builder(this.broker, this.converter, this.router, this.results)
		.jsonMapper(this.mapper)
		.clock(this.clock)
		.build();

	WorkerShutdownTests() {
		new TaskAnnotationBeanPostProcessor(this.registry).postProcessAfterInitialization(this.tasks, "tasks");
	}

	@AfterEach
	void closeBroker() {
		this.tasks.release.countDown();
		this.broker.close();
	}

	@Test
	void runningTasksFinishAndUnstartedMessagesGoBackToTheQueue() throws Exception {
		Worker worker = worker(Duration.ofSeconds(10));
		worker.start();
		AsyncResult<Object> running = this.client.send("shutdown.block");
		List<AsyncResult<Object>> waiting = List.of(this.client.send("shutdown.count"), this.client.send("shutdown.count"),
				this.client.send("shutdown.count"));
		assertThat(this.tasks.started.await(10, TimeUnit.SECONDS)).isTrue();
		// all four are prefetched: one runs, three wait in the worker
		await().atMost(Duration.ofSeconds(10)).until(() -> this.broker.size(QUEUE) == 0);

		Thread stopper = new Thread(worker::stop);
		stopper.start();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.broker.size(QUEUE) == 3);
		this.tasks.release.countDown();
		stopper.join(TimeUnit.SECONDS.toMillis(10));

		assertThat(worker.isRunning()).isFalse();
		assertThat(running.get(Duration.ofSeconds(5))).isEqualTo("released");
		assertThat(this.tasks.counted.get()).isZero();
		assertThat(waiting).allSatisfy((result) -> assertThat(result.state()).isEqualTo(TaskState.PENDING));
		assertThat(this.broker.size(QUEUE)).isEqualTo(3);
	}

	@Test
	void aTaskStillRunningAfterTheTimeoutIsInterruptedAndItsMessageReturned() throws Exception {
		Worker worker = worker(Duration.ofMillis(200));
		worker.start();
		AsyncResult<Object> running = this.client.send("shutdown.block");
		assertThat(this.tasks.started.await(10, TimeUnit.SECONDS)).isTrue();

		worker.stop();

		assertThat(this.broker.size(QUEUE)).isEqualTo(1);
		assertThat(this.tasks.interrupted.await(10, TimeUnit.SECONDS)).isTrue();
		// the returned message runs again on the next worker: at least once
		this.tasks.release.countDown();
		Worker next = worker(Duration.ofSeconds(10));
		next.start();
		try {
			assertThat(running.get(Duration.ofSeconds(10))).isEqualTo("released");
		}
		finally {
			next.stop();
		}
	}

	@Test
	void stopNowDuringAWarmShutdownHandsTheRunningTaskBackAtOnce() throws Exception {
		Worker worker = worker(Duration.ofHours(1));
		worker.start();
		AsyncResult<Object> running = this.client.send("shutdown.block");
		assertThat(this.tasks.started.await(10, TimeUnit.SECONDS)).isTrue();
		AtomicBoolean stopperLeftInterrupted = new AtomicBoolean(true);
		Thread stopper = new Thread(() -> {
			worker.stop();
			stopperLeftInterrupted.set(Thread.currentThread().isInterrupted());
		});
		stopper.start();
		// a warm shutdown waits for the running task, up to its hour
		await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(stopper::isAlive);

		worker.stopNow();

		await().atMost(Duration.ofSeconds(10)).until(() -> !stopper.isAlive());
		assertThat(worker.isRunning()).isFalse();
		assertThat(this.tasks.interrupted.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(this.broker.size(QUEUE)).isEqualTo(1);
		assertThat(running.state()).isEqualTo(TaskState.PENDING);
		// cutting the wait short is the worker's business: the thread that stopped it is not left interrupted
		assertThat(stopperLeftInterrupted).isFalse();
	}

	@Test
	void stopNowBeforeAShutdownMakesItColdFromTheStart() throws Exception {
		Worker worker = worker(Duration.ofHours(1));
		worker.start();
		this.client.send("shutdown.block");
		assertThat(this.tasks.started.await(10, TimeUnit.SECONDS)).isTrue();

		worker.stopNow();
		worker.stop();

		assertThat(this.broker.size(QUEUE)).isEqualTo(1);
		assertThat(this.tasks.interrupted.await(10, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void stoppingAnIdleWorkerReturnsNothingAndLosesNothing() {
		Worker worker = worker(Duration.ofSeconds(1));
		worker.start();
		worker.stop();
		this.client.send("shutdown.count");
		assertThat(this.broker.size(QUEUE)).isEqualTo(1);
		assertThat(this.tasks.counted.get()).isZero();
	}

	private Worker worker(Duration shutdownTimeout) {
		TaskProcessor processor = TaskProcessor.builder(this.converter, this.registry, this.results, this.broker)
			.jsonMapper(this.mapper)
			.clock(this.clock)
			.acksLate(true)
			.hostname("test@worker")
			.build();
		return new Worker(this.broker, processor, new WorkerSettings("shutdown-test", List.of(QUEUE), 1, 4,
				shutdownTimeout));
	}

	static class BlockingTasks {

		final CountDownLatch started = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		final CountDownLatch interrupted = new CountDownLatch(1);

		final AtomicInteger counted = new AtomicInteger();

		@Task("shutdown.block")
		String block() {
			this.started.countDown();
			try {
				this.release.await();
				return "released";
			}
			catch (InterruptedException ex) {
				this.interrupted.countDown();
				throw new IllegalStateException("interrupted", ex);
			}
		}

		@Task("shutdown.count")
		Map<String, Integer> count() {
			return Map.of("count", this.counted.incrementAndGet());
		}

	}

}
