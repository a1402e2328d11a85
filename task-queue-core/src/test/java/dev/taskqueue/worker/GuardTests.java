package dev.taskqueue.worker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.Task;
import dev.taskqueue.TaskState;
import dev.taskqueue.broker.AbstractDelivery;
import dev.taskqueue.broker.Delivery;
import dev.taskqueue.broker.memory.InMemoryBroker;
import dev.taskqueue.client.TaskTemplate;
import dev.taskqueue.protocol.Envelope;
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
 * A transport that hands a long task's message over before its broker takes it back (RabbitMQ's consumer
 * timeout) learns when the task starts and its hard limit, and the guard it parked comes back to a worker that
 * runs the task again only if no final outcome is stored.
 */
class GuardTests {

	private static final String QUEUE = "guard-tests";

	private final Clock clock = Clock.systemUTC();

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final InMemoryBroker broker = new InMemoryBroker(this.clock);

	private final InMemoryResultBackend results = new InMemoryResultBackend(Duration.ofHours(1), this.clock);

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

	private final Tasks tasks = new Tasks();

	GuardTests() {
		new TaskAnnotationBeanPostProcessor(this.registry).postProcessAfterInitialization(this.tasks, "tasks");
	}

	@AfterEach
	void close() {
		this.processor.close();
		this.broker.close();
	}

	@Test
	void aGuardWhoseTaskHasAFinalOutcomeIsAcknowledgedWithoutRunningIt() throws Exception {
		String id = this.client.send("guard.count").id();
		this.results.store(TaskResult.success(id, 1, Instant.now()));
		GuardDelivery guard = new GuardDelivery(this.broker.poll(List.of(QUEUE), Duration.ofSeconds(5)), true);

		this.processor.process(guard);

		assertThat(guard.isSettled()).isTrue();
		assertThat(this.tasks.runs).hasValue(0);
		assertThat(guard.started).isEmpty();
	}

	@Test
	void aGuardWhoseTaskHasNoOutcomeRunsIt() throws Exception {
		String id = this.client.send("guard.count").id();
		GuardDelivery guard = new GuardDelivery(this.broker.poll(List.of(QUEUE), Duration.ofSeconds(5)), true);

		this.processor.process(guard);

		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(guard.isSettled()).isTrue());
		assertThat(this.tasks.runs).hasValue(1);
		assertThat(this.results.whenReady(id).get().state()).isEqualTo(TaskState.SUCCESS);
	}

	@Test
	void aTaskThatStartsTellsItsDeliveryItsHardLimit() throws Exception {
		this.client.send("guard.limited");
		this.client.send("guard.count");
		GuardDelivery limited = new GuardDelivery(this.broker.poll(List.of(QUEUE), Duration.ofSeconds(5)), false);
		GuardDelivery unlimited = new GuardDelivery(this.broker.poll(List.of(QUEUE), Duration.ofSeconds(5)), false);

		this.processor.process(limited);
		this.processor.process(unlimited);

		assertThat(limited.started).containsExactly(Duration.ofMinutes(45));
		assertThat(unlimited.started).containsExactly("no limit");
	}

	public static class Tasks {

		final AtomicInteger runs = new AtomicInteger();

		@Task("guard.count")
		public int count() {
			return this.runs.incrementAndGet();
		}

		@Task(name = "guard.limited", timeLimit = "45m")
		public int limited() {
			return this.runs.incrementAndGet();
		}

	}

	/**
	 * A delivery as a transport that hands messages over sees it: told when its task starts, and a guard or not.
	 */
	private static final class GuardDelivery extends AbstractDelivery {

		private final AbstractDelivery delivery;

		private final boolean guard;

		final List<Object> started = new CopyOnWriteArrayList<>();

		GuardDelivery(AbstractDelivery delivery, boolean guard) {
			super(delivery.envelope(), delivery.queue(), delivery.redelivered());
			this.delivery = delivery;
			this.guard = guard;
		}

		@Override
		public boolean isGuard() {
			return this.guard;
		}

		@Override
		public void started(@Nullable Duration hardLimit) {
			this.started.add((hardLimit != null) ? hardLimit : "no limit");
		}

		@Override
		protected void doAck() {
			this.delivery.ack();
		}

		@Override
		protected void doRequeue() {
			this.delivery.requeue();
		}

		@Override
		protected void doReject(String reason) {
			this.delivery.reject(reason);
		}

		@Override
		protected void doDefer(Instant due) {
			this.delivery.deferUntil(due);
		}

	}

}
