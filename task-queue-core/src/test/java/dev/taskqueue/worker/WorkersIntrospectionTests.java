package dev.taskqueue.worker;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.AsyncResult;
import dev.taskqueue.SendOptions;
import dev.taskqueue.Task;
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
 * What the health contributor and the Actuator endpoint read of the workers (their queues, consumers and running
 * tasks), and pausing and resuming a queue, as Celery's {@code cancel_consumer} and {@code add_consumer} do.
 */
class WorkersIntrospectionTests {

	private static final String FAST = "introspection-fast";

	private static final String SLOW = "introspection-slow";

	private final Clock clock = Clock.systemUTC();

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final InMemoryBroker broker = new InMemoryBroker(this.clock);

	private final InMemoryResultBackend results = new InMemoryResultBackend(Duration.ofMinutes(5), this.clock);

	private final TaskRegistry registry = new TaskRegistry();

	private final BlockingTask task = new BlockingTask();

	private final TaskMessageConverter converter = new TaskMessageConverter(
			new SerializerRegistry(List.of(new JsonSerializer(this.mapper)), List.of("json")), this.clock);

	private final TaskTemplate client = TaskTemplate
		.builder(this.broker, this.converter, TaskRouter.builder(this.registry).defaultQueue(FAST).build(), this.results)
		.jsonMapper(this.mapper)
		.clock(this.clock)
		.build();

	private final Workers workers;

	WorkersIntrospectionTests() {
		new TaskAnnotationBeanPostProcessor(this.registry).postProcessAfterInitialization(this.task, "task");
		TaskProcessor processor = TaskProcessor.builder(this.converter, this.registry, this.results, this.broker)
			.jsonMapper(this.mapper)
			.clock(this.clock)
			.build();
		this.workers = Workers.builder(this.broker, processor)
			.group(new WorkerSettings("introspection@test", List.of(FAST, SLOW), 2, 4, Duration.ofSeconds(5)))
			.build();
	}

	@AfterEach
	void stop() {
		this.task.release.countDown();
		this.workers.stop();
		this.broker.close();
	}

	@Test
	void aRunningWorkerReportsItsQueuesConsumedAndItsSettings() {
		this.workers.start();

		WorkerSnapshot snapshot = this.workers.snapshot().get(0);

		assertThat(snapshot.name()).isEqualTo("introspection@test");
		assertThat(snapshot.running()).isTrue();
		assertThat(snapshot.queues()).containsExactly(FAST, SLOW);
		assertThat(snapshot.consuming()).containsEntry(FAST, true).containsEntry(SLOW, true);
		assertThat(snapshot.concurrency()).isEqualTo(2);
		assertThat(snapshot.prefetch()).isEqualTo(4);
		assertThat(snapshot.isConsumingAll()).isTrue();
		assertThat(snapshot.active()).isEmpty();
	}

	@Test
	void aStoppedWorkerConsumesNothing() {
		WorkerSnapshot snapshot = this.workers.snapshot().get(0);

		assertThat(snapshot.running()).isFalse();
		assertThat(snapshot.consuming()).containsEntry(FAST, false).containsEntry(SLOW, false);
		assertThat(snapshot.isConsumingAll()).isFalse();
	}

	@Test
	void aRunningTaskIsListedWithItsIdNameQueueAndRuntime() throws Exception {
		this.workers.start();
		AsyncResult<Object> result = this.client.send("introspection.block");
		assertThat(this.task.started.await(10, TimeUnit.SECONDS)).isTrue();

		List<ActiveTask> active = this.workers.snapshot().get(0).active();

		assertThat(active).singleElement().satisfies((running) -> {
			assertThat(running.id()).isEqualTo(result.id());
			assertThat(running.name()).isEqualTo("introspection.block");
			assertThat(running.queue()).isEqualTo(FAST);
			assertThat(running.runtime()).isGreaterThanOrEqualTo(Duration.ZERO);
		});
		this.task.release.countDown();
		assertThat(result.get(Duration.ofSeconds(10))).isEqualTo("released");
		await().atMost(Duration.ofSeconds(10)).until(() -> this.workers.snapshot().get(0).active().isEmpty());
	}

	@Test
	void aPausedQueueKeepsItsMessagesUntilResumedWhileTheOtherQueuesRun() throws Exception {
		this.task.release.countDown();
		this.workers.start();

		assertThat(this.workers.pause(SLOW)).isTrue();
		AsyncResult<Object> waiting = this.client.withOptions(SendOptions.defaults().withQueue(SLOW))
			.send("introspection.block");
		AsyncResult<Object> other = this.client.send("introspection.block");

		assertThat(other.get(Duration.ofSeconds(10))).isEqualTo("released");
		WorkerSnapshot paused = this.workers.snapshot().get(0);
		assertThat(paused.pausedQueues()).containsExactly(SLOW);
		assertThat(paused.consuming()).containsEntry(SLOW, false).containsEntry(FAST, true);
		assertThat(paused.isConsumingAll()).as("a paused queue is not a lost consumer").isTrue();
		assertThat(this.broker.size(SLOW)).isEqualTo(1);

		assertThat(this.workers.resume(SLOW)).isTrue();
		assertThat(waiting.get(Duration.ofSeconds(10))).isEqualTo("released");
		assertThat(this.workers.snapshot().get(0).consuming()).containsEntry(SLOW, true);
	}

	@Test
	void pausingAQueueNoWorkerConsumesSaysSo() {
		this.workers.start();

		assertThat(this.workers.pause("nobody-consumes-this")).isFalse();
		assertThat(this.workers.resume("nobody-consumes-this")).isFalse();
	}

	@Test
	void aWorkerStartedWithEveryQueuePausedTakesNothingAndStopsCleanly() {
		this.workers.pause(FAST);
		this.workers.pause(SLOW);
		this.workers.start();
		this.client.send("introspection.block");

		assertThat(this.workers.snapshot().get(0).consuming()).containsEntry(FAST, false).containsEntry(SLOW, false);
		assertThat(this.broker.size(FAST)).isEqualTo(1);
		this.workers.stop();
		assertThat(this.workers.isRunning()).isFalse();
	}

	static class BlockingTask {

		final CountDownLatch started = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		@Task("introspection.block")
		String block() throws InterruptedException {
			this.started.countDown();
			this.release.await();
			return "released";
		}

	}

}
