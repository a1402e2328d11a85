package dev.taskqueue.canvas;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.broker.AbstractDelivery;
import dev.taskqueue.broker.memory.InMemoryBroker;
import dev.taskqueue.client.TaskTemplate;
import dev.taskqueue.protocol.Envelope;
import dev.taskqueue.protocol.TaskMessage;
import dev.taskqueue.registry.TaskAnnotationBeanPostProcessor;
import dev.taskqueue.registry.TaskRegistry;
import dev.taskqueue.result.ResultBackend;
import dev.taskqueue.routing.TaskRouter;
import dev.taskqueue.serialization.JsonSerializer;
import dev.taskqueue.serialization.SerializerRegistry;
import dev.taskqueue.serialization.TaskMessageConverter;
import dev.taskqueue.worker.TaskProcessor;

/**
 * A client and a worker's processor on one in-memory broker, queue {@code celery}, whose messages a test takes
 * one at a time: to look at what was published, then to run it.
 */
public final class CanvasRig implements AutoCloseable {

	public static final String QUEUE = "celery";

	private final Clock clock = Clock.systemUTC();

	private final JsonMapper mapper = JsonMapper.builder().build();

	public final InMemoryBroker broker = new InMemoryBroker(this.clock);

	public final ResultBackend results;

	public final TaskRegistry registry = new TaskRegistry();

	public final TaskMessageConverter converter = new TaskMessageConverter(
			new SerializerRegistry(List.of(new JsonSerializer(this.mapper)), List.of("json")), this.clock);

	public final TaskTemplate client;

	public final TaskProcessor processor;

	private CanvasRig(ResultBackend results, Object... beans) {
		this.results = results;
		for (Object bean : beans) {
			new TaskAnnotationBeanPostProcessor(this.registry).postProcessAfterInitialization(bean, "bean");
		}
		this.client = TaskTemplate
			.builder(this.broker, this.converter, TaskRouter.builder(this.registry).defaultQueue(QUEUE).build(),
					results)
			.jsonMapper(this.mapper)
			.clock(this.clock)
			.build();
		this.processor = TaskProcessor.builder(this.converter, this.registry, results, this.broker)
			.jsonMapper(this.mapper)
			.clock(this.clock)
			.hostname("canvas@test")
			.canvas(() -> this.client)
			.build();
	}

	/**
	 * A rig whose worker runs the {@code @Task} methods of these beans.
	 * @param results the result backend
	 * @param beans the beans
	 * @return the rig
	 */
	public static CanvasRig of(ResultBackend results, Object... beans) {
		return new CanvasRig(results, beans);
	}

	/**
	 * Publish a message as a Celery client did.
	 * @param envelope the captured envelope
	 */
	public void publish(Envelope envelope) {
		this.broker.publish(QUEUE, envelope);
	}

	/**
	 * Take the next message of the queue, waiting a little for one.
	 * @return it, with its decoded message, or {@code null} if the queue stays empty
	 */
	public @Nullable Taken take() {
		return take(Duration.ofMillis(200));
	}

	/**
	 * Take the next message of the queue.
	 * @param timeout how long to wait for one
	 * @return it, with its decoded message, or {@code null} if none came
	 */
	public @Nullable Taken take(Duration timeout) {
		try {
			AbstractDelivery delivery = this.broker.poll(List.of(QUEUE), timeout);
			return (delivery != null) ? new Taken(delivery, this.converter.fromEnvelope(delivery.envelope())) : null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Run every message of the queue, and those they publish, until it stays empty for a while.
	 * @param quiet how long the queue must stay empty (deferred messages come due meanwhile)
	 * @return the messages run, in order
	 */
	public List<TaskMessage> runAll(Duration quiet) {
		List<TaskMessage> run = new ArrayList<>();
		for (Taken taken = take(quiet); taken != null; taken = take(quiet)) {
			run.add(taken.message());
			taken.run();
		}
		return run;
	}

	@Override
	public void close() {
		this.processor.close();
		this.broker.close();
	}

	/**
	 * A message taken from the queue, not run yet.
	 */
	public final class Taken {

		private final AbstractDelivery delivery;

		private final TaskMessage message;

		Taken(AbstractDelivery delivery, TaskMessage message) {
			this.delivery = delivery;
			this.message = message;
		}

		public TaskMessage message() {
			return this.message;
		}

		public Envelope envelope() {
			return this.delivery.envelope();
		}

		/**
		 * Run it on the rig's processor.
		 */
		public void run() {
			CanvasRig.this.processor.process(this.delivery);
		}

	}

}
