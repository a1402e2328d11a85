package dev.taskqueue.worker;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.Task;
import dev.taskqueue.TaskState;
import dev.taskqueue.broker.AbstractDelivery;
import dev.taskqueue.broker.memory.InMemoryBroker;
import dev.taskqueue.client.TaskTemplate;
import dev.taskqueue.registry.TaskAnnotationBeanPostProcessor;
import dev.taskqueue.registry.TaskRegistry;
import dev.taskqueue.result.TaskResult;
import dev.taskqueue.result.memory.InMemoryResultBackend;
import dev.taskqueue.routing.TaskRouter;
import dev.taskqueue.serialization.JsonSerializer;
import dev.taskqueue.serialization.SerializerRegistry;
import dev.taskqueue.serialization.TaskMessageConverter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A task's outcome is stored without holding the task's thread, and its message is acked only once the store
 * succeeded: a store still under way keeps the message unsettled, a failed store returns it to its queue, and
 * a stopping worker waits for the stores under way.
 */
class OutcomeStoreTests {

	private static final String QUEUE = "outcome-store-tests";

	private final Clock clock = Clock.systemUTC();

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final InMemoryBroker broker = new InMemoryBroker(this.clock);

	private final SlowBackend results = new SlowBackend(this.clock);

	private final TaskRegistry registry = new TaskRegistry();

	private final TaskMessageConverter converter = new TaskMessageConverter(
			new SerializerRegistry(List.of(new JsonSerializer(this.mapper)), List.of("json")), this.clock);

	private final TaskRouter router = TaskRouter.builder(this.registry).defaultQueue(QUEUE).build();

	private final TaskTemplate client = TaskTemplate.builder(this.broker, this.converter, this.router, this.results)
		.jsonMapper(this.mapper)
		.clock(this.clock)
		.build();

	private final TaskProcessor processor = TaskProcessor
		.builder(this.converter, this.registry, this.results, this.broker)
		.jsonMapper(this.mapper)
		.clock(this.clock)
		.acksLate(true)
		.hostname("test@worker")
		.build();

	OutcomeStoreTests() {
		new TaskAnnotationBeanPostProcessor(this.registry).postProcessAfterInitialization(new Tasks(), "tasks");
	}

	@AfterEach
	void closeBroker() {
		this.processor.close();
		this.broker.close();
	}

	@Test
	void theMessageIsAckedOnlyOnceTheOutcomeIsStored() throws Exception {
		String id = this.client.send("outcome.add", 2, 3).id();
		AbstractDelivery delivery = this.broker.poll(List.of(QUEUE), Duration.ofSeconds(5));

		this.processor.process(delivery);

		// the task ran and its thread is free, but the store is under way: the message is not settled
		assertThat(this.results.pending).hasSize(1);
		assertThat(delivery.isSettled()).isFalse();
		this.results.completeAll();
		// settled on the processor's own threads, a moment later
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(delivery.isSettled()).isTrue());
		assertThat(this.results.fetch(id).state()).isEqualTo(TaskState.SUCCESS);
		assertThat(this.broker.size(QUEUE)).isZero();
	}

	@Test
	void aFailedStoreReturnsTheMessageToItsQueue() throws Exception {
		this.client.send("outcome.add", 2, 3);
		AbstractDelivery delivery = this.broker.poll(List.of(QUEUE), Duration.ofSeconds(5));

		this.processor.process(delivery);
		this.results.failAll(new IllegalStateException("the backend is down"));

		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(delivery.isSettled()).isTrue());
		assertThat(this.broker.size(QUEUE)).isEqualTo(1);
		AbstractDelivery again = this.broker.poll(List.of(QUEUE), Duration.ofSeconds(5));
		assertThat(again.redelivered()).isTrue();
	}

	@Test
	void aStoppingWorkerWaitsForTheStoresUnderWay() throws Exception {
		Worker worker = new Worker(this.broker, this.processor,
				new WorkerSettings("outcome-test", List.of(QUEUE), 1, 4, Duration.ofSeconds(30)));
		worker.start();
		this.client.send("outcome.add", 2, 3);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.results.pending.size() == 1);
		Thread stopper = new Thread(worker::stop);
		stopper.start();

		await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
			.until(stopper::isAlive);
		this.results.completeAll();

		stopper.join(10_000);
		assertThat(stopper.isAlive()).isFalse();
		assertThat(worker.isRunning()).isFalse();
		assertThat(this.broker.size(QUEUE)).isZero();
	}

	@Test
	void theWaitForStoresEndsAtTheShutdownTimeout() throws Exception {
		Worker worker = new Worker(this.broker, this.processor,
				new WorkerSettings("outcome-test", List.of(QUEUE), 1, 4, Duration.ofMillis(200)));
		worker.start();
		this.client.send("outcome.add", 2, 3);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.results.pending.size() == 1);

		worker.stop();

		assertThat(worker.isRunning()).isFalse();
		assertThat(this.processor.awaitSettlements(Duration.ZERO)).isFalse();
		this.results.completeAll();
		assertThat(this.processor.awaitSettlements(Duration.ofSeconds(5))).isTrue();
	}

	@Test
	void aSettlementThatWaitsDoesNotHoldTheThreadThatCompletedTheStore() throws Exception {
		this.client.send("outcome.add", 2, 3);
		AbstractDelivery polled = this.broker.poll(List.of(QUEUE), Duration.ofSeconds(5));
		CountDownLatch brokerBack = new CountDownLatch(1);
		List<String> settledOn = new CopyOnWriteArrayList<>();
		// a requeue that waits for its broker, as a synchronous Redis call waits out a reconnection
		AbstractDelivery delivery = new AbstractDelivery(polled.envelope(), QUEUE, false) {

			@Override
			protected void doAck() {
			}

			@Override
			protected void doRequeue() {
				settledOn.add(Thread.currentThread().getName());
				try {
					brokerBack.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}

			@Override
			protected void doReject(String reason) {
			}

			@Override
			protected void doDefer(java.time.Instant due) {
			}

		};
		this.processor.process(delivery);

		// the backend's I/O thread fails the store: it must come back at once, not wait for the broker
		Thread io = new Thread(() -> this.results.failAll(new IllegalStateException("connection reset")), "io");
		io.start();
		io.join(5_000);
		assertThat(io.isAlive()).isFalse();
		await().atMost(Duration.ofSeconds(5)).until(() -> settledOn.size() == 1);
		assertThat(settledOn.get(0)).startsWith("taskqueue-settle-");
		assertThat(this.processor.awaitSettlements(Duration.ZERO)).isFalse();
		brokerBack.countDown();
		assertThat(this.processor.awaitSettlements(Duration.ofSeconds(5))).isTrue();
	}

	/**
	 * A memory backend whose asynchronous stores complete when the test says so.
	 */
	static final class SlowBackend extends InMemoryResultBackend {

		final List<Runnable> pending = new CopyOnWriteArrayList<>();

		private final List<CompletableFuture<Void>> futures = new CopyOnWriteArrayList<>();

		SlowBackend(Clock clock) {
			super(Duration.ofMinutes(5), clock);
		}

		@Override
		public CompletableFuture<Void> storeAsync(TaskResult result, String replyTo) {
			CompletableFuture<Void> future = new CompletableFuture<>();
			this.pending.add(() -> store(result, replyTo));
			this.futures.add(future);
			return future;
		}

		void completeAll() {
			this.pending.forEach(Runnable::run);
			this.pending.clear();
			this.futures.forEach((future) -> future.complete(null));
		}

		void failAll(Throwable failure) {
			this.pending.clear();
			this.futures.forEach((future) -> future.completeExceptionally(failure));
		}

	}

	static class Tasks {

		@Task("outcome.add")
		int add(int a, int b) {
			return a + b;
		}

	}

}
