package dev.taskqueue.worker;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.AsyncResult;
import dev.taskqueue.SendOptions;
import dev.taskqueue.Task;
import dev.taskqueue.broker.memory.InMemoryBroker;
import dev.taskqueue.client.TaskTemplate;
import dev.taskqueue.registry.RateLimit;
import dev.taskqueue.registry.TaskAnnotationBeanPostProcessor;
import dev.taskqueue.registry.TaskRegistry;
import dev.taskqueue.result.memory.InMemoryResultBackend;
import dev.taskqueue.routing.TaskRouter;
import dev.taskqueue.serialization.JsonSerializer;
import dev.taskqueue.serialization.SerializerRegistry;
import dev.taskqueue.serialization.TaskMessageConverter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * What Celery's remote control reads of and changes in a running worker: the messages it holds (running or
 * waiting), the tasks it ran, the queues it consumes, the size of its pool, and a task's rate limit changed at run
 * time.
 */
class WorkersRemoteControlTests {

	private static final String QUEUE = "control-engine";

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final Clock clock = Clock.systemUTC();

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final InMemoryBroker broker = new InMemoryBroker(this.clock);

	private final InMemoryResultBackend results = new InMemoryResultBackend(Duration.ofMinutes(5), this.clock);

	private final TaskRegistry registry = new TaskRegistry();

	private final GatedTask task = new GatedTask();

	private final TaskMessageConverter converter = new TaskMessageConverter(
			new SerializerRegistry(List.of(new JsonSerializer(this.mapper)), List.of("json")), this.clock);

	private final TaskTemplate client = TaskTemplate
		.builder(this.broker, this.converter, TaskRouter.builder(this.registry).defaultQueue(QUEUE).build(),
				this.results)
		.jsonMapper(this.mapper)
		.clock(this.clock)
		.build();

	private final Workers workers;

	WorkersRemoteControlTests() {
		new TaskAnnotationBeanPostProcessor(this.registry).postProcessAfterInitialization(this.task, "task");
		TaskProcessor processor = TaskProcessor.builder(this.converter, this.registry, this.results, this.broker)
			.jsonMapper(this.mapper)
			.clock(this.clock)
			.build();
		this.workers = Workers.builder(this.broker, processor)
			.group(new WorkerSettings("control@test", List.of(QUEUE), 1, 2, Duration.ofSeconds(5)))
			.rateLimiter(new LocalRateLimiter())
			.build();
	}

	@AfterEach
	void stop() {
		this.task.gate.release(100);
		this.workers.stop();
		this.broker.close();
	}

	@Test
	void aRunningTaskIsActiveWithItsArgumentsAndTheNextOneWaitingForAThreadIsReserved() {
		this.workers.start();
		AsyncResult<Object> running = this.client.send("control.gated", "first");
		AsyncResult<Object> waiting = this.client.send("control.gated", "second");

		await().atMost(WAIT).until(() -> this.workers.requests().size() == 2);
		List<TaskRequest> requests = this.workers.requests();

		assertThat(requests.get(0)).satisfies((request) -> {
			assertThat(request.id()).isEqualTo(running.id());
			assertThat(request.name()).isEqualTo("control.gated");
			assertThat(request.queue()).isEqualTo(QUEUE);
			assertThat(request.isActive()).isTrue();
			assertThat(request.acknowledged()).as("acknowledged before it runs, Celery's default").isTrue();
			assertThat(request.message().args()).containsExactly("first");
		});
		assertThat(requests.get(1)).satisfies((request) -> {
			assertThat(request.id()).isEqualTo(waiting.id());
			assertThat(request.isActive()).isFalse();
			assertThat(request.acknowledged()).isFalse();
			assertThat(request.message().args()).containsExactly("second");
		});
	}

	@Test
	void theTasksStartedAreCountedByName() {
		this.workers.start();
		this.task.gate.release(3);
		for (int i = 0; i < 3; i++) {
			this.client.send("control.gated", "run").get(WAIT);
		}

		assertThat(this.workers.totals()).containsExactly(java.util.Map.entry("control.gated", 3L));
	}

	@Test
	void aQueueNoWorkerIsConfiguredWithIsConsumedOnceAddedAndNoLongerOnceCancelled() {
		this.task.gate.release(100);
		this.workers.start();
		dev.taskqueue.TaskClient toExtra = this.client.withOptions(SendOptions.defaults().withQueue("control-extra"));

		this.workers.addConsumer("control-extra");
		assertThat(toExtra.send("control.gated", "added").get(WAIT)).isEqualTo("added");
		assertThat(this.workers.snapshot().get(0).consuming()).containsEntry("control-extra", true);

		assertThat(this.workers.cancelConsumer("control-extra")).isTrue();
		toExtra.send("control.gated", "left");
		assertThat(this.workers.snapshot().get(0).queues()).containsExactly(QUEUE);
		assertThat(this.broker.size("control-extra")).isEqualTo(1);
		assertThat(this.workers.cancelConsumer("control-extra")).isFalse();
	}

	@Test
	void aCancelledConfiguredQueueIsPausedAndAddingItResumesIt() {
		this.task.gate.release(100);
		this.workers.start();

		assertThat(this.workers.cancelConsumer(QUEUE)).isTrue();
		AsyncResult<Object> result = this.client.send("control.gated", "later");
		assertThat(this.workers.snapshot().get(0).pausedQueues()).containsExactly(QUEUE);
		assertThat(this.broker.size(QUEUE)).isEqualTo(1);

		this.workers.addConsumer(QUEUE);
		assertThat(result.get(WAIT)).isEqualTo("later");
	}

	@Test
	void aGrownPoolRunsMoreTasksAtOnceWithAPrefetchInProportionAndShrinksBack() {
		this.workers.start();
		this.client.send("control.gated", "one");
		this.client.send("control.gated", "two");
		await().atMost(WAIT).until(() -> this.task.running.get() == 1);

		this.workers.resizePool(+1);

		await().atMost(WAIT).until(() -> this.task.running.get() == 2);
		WorkerSnapshot grown = this.workers.snapshot().get(0);
		assertThat(grown.concurrency()).isEqualTo(2);
		assertThat(grown.prefetch()).isEqualTo(4);

		this.workers.resizePool(-1);
		assertThat(this.workers.snapshot().get(0).concurrency()).isEqualTo(1);
		assertThat(this.workers.snapshot().get(0).prefetch()).isEqualTo(2);
		assertThatIllegalArgumentException().isThrownBy(() -> this.workers.resizePool(-1))
			.withMessageContaining("cannot lose 1");
	}

	@Test
	void aRateLimitSetWhileTheWorkerRunsHoldsBackTheNextMessages() {
		this.task.gate.release(100);
		this.workers.start();
		assertThat(this.client.send("control.gated", "free").get(WAIT)).isEqualTo("free");

		assertThat(this.registry.update("control.gated", (options) -> options.withRateLimit(RateLimit.parse("1/m"))))
			.isTrue();
		assertThat(this.client.send("control.gated", "first").get(WAIT)).isEqualTo("first");
		AsyncResult<Object> held = this.client.send("control.gated", "held");

		await().atMost(WAIT).until(() -> this.workers.requests().size() == 1);
		assertThat(this.workers.requests().get(0).isActive()).as("waiting for its rate limit").isFalse();
		assertThat(held.ready()).isFalse();
		assertThat(this.registry.update("control.unknown", (options) -> options)).isFalse();
	}

	static class GatedTask {

		final Semaphore gate = new Semaphore(0);

		final AtomicInteger running = new AtomicInteger();

		@Task("control.gated")
		String run(String value) throws InterruptedException {
			this.running.incrementAndGet();
			try {
				this.gate.acquire();
				return value;
			}
			finally {
				this.running.decrementAndGet();
			}
		}

	}

}
