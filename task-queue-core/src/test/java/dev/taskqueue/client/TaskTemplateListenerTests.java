package dev.taskqueue.client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.SendOptions;
import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.BrokerException;
import dev.taskqueue.broker.DeliveryHandler;
import dev.taskqueue.broker.Destination;
import dev.taskqueue.broker.PublishRetry;
import dev.taskqueue.broker.Subscription;
import dev.taskqueue.broker.memory.InMemoryBroker;
import dev.taskqueue.listener.RecordingListener;
import dev.taskqueue.listener.TaskEvent;
import dev.taskqueue.listener.TaskListener;
import dev.taskqueue.protocol.Envelope;
import dev.taskqueue.protocol.ProtocolHeaders;
import dev.taskqueue.registry.TaskRegistry;
import dev.taskqueue.result.memory.InMemoryResultBackend;
import dev.taskqueue.routing.TaskRouter;
import dev.taskqueue.serialization.JsonSerializer;
import dev.taskqueue.serialization.SerializerRegistry;
import dev.taskqueue.serialization.TaskMessageConverter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The client tells its listeners before each publish, where they may add headers, and after it, whether the
 * broker took the message or not; every message carries the time it was sent.
 */
class TaskTemplateListenerTests {

	private static final Instant NOW = Instant.parse("2026-12-07T10:00:00.123Z");

	private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final TaskMessageConverter converter = new TaskMessageConverter(
			new SerializerRegistry(List.of(new JsonSerializer(this.mapper)), List.of("json")), this.clock);

	private final InMemoryBroker broker = new InMemoryBroker(this.clock);

	private final RecordingListener listener = new RecordingListener();

	@AfterEach
	void closeBroker() {
		this.broker.close();
	}

	@Test
	void aSendIsToldBeforeAndAfterTheBrokerTookIt() {
		String id = client(this.broker, List.of(this.listener)).send("sample.add", 1, 2).id();

		assertThat(this.listener.of(id)).containsExactly("beforePublish", "afterPublish");
		TaskEvent event = this.listener.last(id, "afterPublish").task();
		assertThat(event.taskName()).isEqualTo("sample.add");
		assertThat(event.queue()).isEqualTo("celery");
		assertThat(event.sentAt()).isEqualTo(NOW);
		assertThat(event.worker()).isNull();
		assertThat(this.listener.last(id, "afterPublish").detail()).isNull();
	}

	@Test
	void headersAListenerAddsBeforePublishAreTheMessagesAlongWithTheCallersOwn() throws Exception {
		TaskListener tracing = new TaskListener() {

			@Override
			public void beforePublish(TaskEvent task, Map<String, Object> headers) {
				headers.put("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
			}

		};
		client(this.broker, List.of(tracing)).withOptions(SendOptions.defaults().withHeader("x-tenant", "acme"))
			.send("sample.add", 1, 2);

		Envelope sent = this.broker.poll(List.of("celery"), Duration.ZERO).envelope();
		assertThat(sent.headers()).containsEntry("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
			.containsEntry("x-tenant", "acme")
			.containsEntry(ProtocolHeaders.SENT, NOW.toEpochMilli());
	}

	@Test
	void everyMessageCarriesTheTimeItWasSentWithOrWithoutListeners() throws Exception {
		client(this.broker, List.of()).send("sample.add", 1, 2);
		client(this.broker, List.of()).withOptions(SendOptions.defaults().withHeader(ProtocolHeaders.SENT, "forged"))
			.send("sample.add", 1, 2);

		assertThat(this.broker.poll(List.of("celery"), Duration.ZERO).envelope().headers())
			.containsEntry(ProtocolHeaders.SENT, NOW.toEpochMilli());
		// ours, whatever a caller put under that name
		assertThat(this.broker.poll(List.of("celery"), Duration.ZERO).envelope().headers())
			.containsEntry(ProtocolHeaders.SENT, NOW.toEpochMilli());
	}

	@Test
	void aSendTheBrokerRefusedIsToldWithWhy() {
		TaskTemplate client = client(new RefusingBroker(), List.of(this.listener));

		assertThatExceptionOfType(BrokerException.class).isThrownBy(() -> client.send("sample.add", 1, 2));

		RecordingListener.Moment after = this.listener.moments().get(1);
		assertThat(after.name()).isEqualTo("afterPublish");
		assertThat((Throwable) after.detail()).isInstanceOf(BrokerException.class)
			.hasMessageContaining("the broker is away");
	}

	@Test
	void anAsynchronousSendIsToldOnceTheBrokerAnswered() throws Exception {
		String id = client(this.broker, List.of(this.listener)).sendAsync("sample.add", List.of(1, 2), Map.of())
			.get(5, TimeUnit.SECONDS)
			.id();
		assertThat(this.listener.of(id)).containsExactly("beforePublish", "afterPublish");

		CompletableFuture<?> refused = client(new RefusingBroker(), List.of(this.listener)).sendAsync("sample.add",
				List.of(1, 2), Map.of());

		assertThat(refused).isCompletedExceptionally();
		RecordingListener.Moment after = this.listener.moments().get(3);
		assertThat(after.name()).isEqualTo("afterPublish");
		assertThat((Throwable) after.detail()).isInstanceOf(BrokerException.class);
	}

	@Test
	void argumentsOverTheLimitsAreToldAfterPublishToo() {
		TaskTemplate client = client(this.broker, List.of(this.listener));

		Object tooDeep = List.of();
		for (int i = 0; i < 100; i++) {
			tooDeep = List.of(tooDeep);
		}
		Object argument = tooDeep;

		assertThatExceptionOfType(RuntimeException.class).isThrownBy(() -> client.send("sample.add", argument));

		assertThat(this.listener.moments()).extracting(RecordingListener.Moment::name)
			.containsExactly("beforePublish", "afterPublish");
		assertThat(this.listener.moments().get(1).detail()).isNotNull();
	}

	private TaskTemplate client(Broker broker, List<TaskListener> listeners) {
		return TaskTemplate
			.builder(broker, this.converter, TaskRouter.builder(new TaskRegistry()).defaultQueue("celery").build(),
					new InMemoryResultBackend(Duration.ofHours(1), this.clock))
			.jsonMapper(this.mapper)
			.clock(this.clock)
			.publishRetry(new PublishRetry(false, 0, Duration.ZERO, Duration.ZERO, Duration.ZERO))
			.listeners(listeners)
			.build();
	}

	/**
	 * A broker that is away.
	 */
	static final class RefusingBroker implements Broker {

		@Override
		public void publish(String queue, Envelope envelope) {
			throw new BrokerException("the broker is away");
		}

		@Override
		public void publish(Destination destination, Envelope envelope) {
			publish(destination.queue(), envelope);
		}

		@Override
		public Subscription subscribe(List<String> queues, int prefetch, DeliveryHandler handler) {
			throw new UnsupportedOperationException();
		}

	}

}
