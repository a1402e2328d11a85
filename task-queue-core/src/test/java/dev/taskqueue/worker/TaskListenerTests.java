package dev.taskqueue.worker;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.SendOptions;
import dev.taskqueue.Task;
import dev.taskqueue.TaskContext;
import dev.taskqueue.TaskState;
import dev.taskqueue.broker.AbstractDelivery;
import dev.taskqueue.broker.memory.InMemoryBroker;
import dev.taskqueue.client.TaskTemplate;
import dev.taskqueue.listener.RecordingListener;
import dev.taskqueue.listener.TaskEvent;
import dev.taskqueue.listener.TaskListener;
import dev.taskqueue.listener.TaskListeners;
import dev.taskqueue.listener.TaskOutcome;
import dev.taskqueue.protocol.CelerySamples;
import dev.taskqueue.protocol.Envelope;
import dev.taskqueue.protocol.ProtocolHeaders;
import dev.taskqueue.registry.TaskAnnotationBeanPostProcessor;
import dev.taskqueue.registry.TaskRegistry;
import dev.taskqueue.result.memory.InMemoryResultBackend;
import dev.taskqueue.revoke.InMemoryRevocations;
import dev.taskqueue.routing.TaskRouter;
import dev.taskqueue.serialization.JsonSerializer;
import dev.taskqueue.serialization.MsgpackSerializer;
import dev.taskqueue.serialization.SerializerRegistry;
import dev.taskqueue.serialization.TaskMessageConverter;
import dev.taskqueue.serialization.YamlSerializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Listeners hear of every moment of a task, in the documented order, whatever its outcome: what metrics, tracing
 * and an application's own hooks count on. Built from the engine's parts with the in-memory broker; each message
 * is taken from the broker and processed on the test's thread unless the test says otherwise.
 */
class TaskListenerTests {

	private static final String QUEUE = "listener-tests";

	private static final String WORKER = "listen@worker";

	private final Clock clock = Clock.systemUTC();

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final InMemoryBroker broker = new InMemoryBroker(this.clock);

	private final InMemoryResultBackend results = new InMemoryResultBackend(Duration.ofHours(1), this.clock);

	private final InMemoryRevocations revocations = new InMemoryRevocations(Duration.ofHours(1), this.clock);

	private final TaskRegistry registry = new TaskRegistry();

	private final Tasks tasks = new Tasks();

	private final TaskMessageConverter converter = new TaskMessageConverter(new SerializerRegistry(
			List.of(new JsonSerializer(this.mapper), new MsgpackSerializer(this.mapper, 64),
					new YamlSerializer(this.mapper, 64, 1 << 20)),
			List.of("json", "msgpack", "yaml")), this.clock);

	private final RecordingListener listener = new RecordingListener();

	private final TaskTemplate client = client(List.of(this.listener));

	private final TaskProcessor processor = processor(List.of(this.listener));

	TaskListenerTests() {
		new TaskAnnotationBeanPostProcessor(this.registry).postProcessAfterInitialization(this.tasks, "tasks");
	}

	@AfterEach
	void close() {
		this.tasks.release.countDown();
		this.processor.close();
		this.broker.close();
	}

	@Test
	void aTaskThatSucceedsIsReceivedPrerunSucceededThenPostrun() throws Exception {
		String id = this.client.send("listen.add", 2, 3).id();

		processNext();

		assertThat(this.listener.of(id)).containsExactly("beforePublish", "afterPublish", "received", "prerun",
				"succeeded", "postrun SUCCESS");
		assertThat(this.listener.last(id, "succeeded").detail()).isEqualTo(5);
		TaskEvent event = this.listener.last(id, "postrun").task();
		// one event for every moment of the run, on the worker's side
		assertThat(this.listener.last(id, "received").task()).isSameAs(event);
		assertThat(this.listener.last(id, "prerun").task()).isSameAs(event);
		assertThat(event.taskName()).isEqualTo("listen.add");
		assertThat(event.queue()).isEqualTo(QUEUE);
		assertThat(event.worker()).isEqualTo(WORKER);
		assertThat(event.retries()).isZero();
		assertThat(event.sentAt()).isNotNull();
		assertThat(event.runtime()).isPositive();
		// the sender's side names no worker
		TaskEvent sent = this.listener.last(id, "beforePublish").task();
		assertThat(sent.worker()).isNull();
		assertThat(sent.queue()).isEqualTo(QUEUE);
		assertThat(this.listener.last(id, "afterPublish").detail()).isNull();
		// told before the outcome is stored: once it is, every moment was heard
		assertThat(this.results.fetch(id).state()).isEqualTo(TaskState.SUCCESS);
	}

	@Test
	void aTaskThatRaisesIsFailedThenPostrunFailure() throws Exception {
		String id = this.client.send("listen.fail").id();

		processNext();

		assertThat(this.listener.of(id)).containsExactly("beforePublish", "afterPublish", "received", "prerun",
				"failed", "postrun FAILURE");
		assertThat((Throwable) this.listener.last(id, "failed").detail()).isInstanceOf(IllegalStateException.class)
			.hasMessage("boom");
	}

	@Test
	void aTaskThatRetriesIsRetriedThenPostrunRetryThenRunsAgainAsItsNextRetry() throws Exception {
		String id = this.client.send("listen.retryOnce").id();

		processNext();
		processNext();

		assertThat(this.listener.of(id)).containsExactly("beforePublish", "afterPublish", "received", "prerun",
				"retried", "postrun RETRY", "received", "prerun", "succeeded", "postrun SUCCESS");
		assertThat((Throwable) this.listener.last(id, "retried").detail()).hasMessage("not yet");
		TaskEvent second = this.listener.last(id, "postrun").task();
		assertThat(second.retries()).isEqualTo(1);
		// the next run was sent by the worker, when it retried
		assertThat(second.sentAt()).isNotNull()
			.isAfterOrEqualTo(this.listener.last(id, "beforePublish").task().sentAt());
	}

	@Test
	void aTaskWhoseRetriesAreUsedUpAndDeadLetteredIsFailedRejectedThenPostrunRejected() throws Exception {
		String id = this.client.send("listen.exhausted").id();

		processNext();

		assertThat(this.listener.of(id)).containsExactly("beforePublish", "afterPublish", "received", "prerun",
				"failed", "rejected", "postrun REJECTED");
		assertThat((String) this.listener.last(id, "rejected").detail()).startsWith("retries exhausted");
		assertThat(this.broker.deadLetters()).hasSize(1);
	}

	@Test
	void aTaskWhoseRetriesAreUsedUpAfterAnEarlyAckFailsForItsMessageIsGoneAlready() throws Exception {
		String id = this.client.send("listen.exhaustedEarly").id();

		processNext();

		assertThat(this.listener.of(id)).containsExactly("beforePublish", "afterPublish", "received", "prerun",
				"failed", "postrun FAILURE");
		assertThat(this.broker.deadLetters()).isEmpty();
	}

	@Test
	void aRevokedTaskIsReceivedThenRevokedAndNeverRuns() throws Exception {
		String id = this.client.send("listen.add", 1, 1).id();
		this.revocations.revoke(id, false);

		processNext();

		assertThat(this.listener.of(id)).containsExactly("beforePublish", "afterPublish", "received",
				"revoked revoked");
	}

	@Test
	void anExpiredTaskIsReceivedThenRevokedAsExpired() throws Exception {
		String id = this.client.withOptions(SendOptions.defaults().withExpires(Instant.now().minusSeconds(60)))
			.send("listen.add", 1, 1)
			.id();

		processNext();

		assertThat(this.listener.of(id)).containsExactly("beforePublish", "afterPublish", "received",
				"revoked expired");
	}

	@Test
	void aTaskTerminatedWhileItRunsIsRevokedThenPostrunRevoked() throws Exception {
		String id = this.client.send("listen.block").id();
		Thread worker = processNextOnAThreadOfItsOwn();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.listener.of(id).contains("prerun"));

		this.revocations.revoke(id, true);

		worker.join(10_000);
		assertThat(this.listener.of(id)).containsExactly("beforePublish", "afterPublish", "received", "prerun",
				"revoked terminated", "postrun REVOKED");
	}

	@Test
	void anUnknownTaskIsReceivedThenUnknown() throws Exception {
		String id = this.client.send("listen.nobody").id();

		processNext();

		assertThat(this.listener.of(id)).containsExactly("beforePublish", "afterPublish", "received", "unknownTask");
		assertThat(this.listener.last(id, "unknownTask").task().taskName()).isEqualTo("listen.nobody");
	}

	@Test
	void argumentsThatDoNotBindAreRejectedThenPostrunRejected() throws Exception {
		String id = this.client.send("listen.add", "two", "three").id();

		processNext();

		assertThat(this.listener.of(id)).containsExactly("beforePublish", "afterPublish", "received", "prerun",
				"rejected", "postrun REJECTED");
	}

	@Test
	void anUndecodableMessageIsRejectedWithWhatCouldBeReadOfIt() throws Exception {
		this.broker.publish(QUEUE, new Envelope("not json".getBytes(StandardCharsets.UTF_8), "application/json",
				"utf-8", Map.of("task", "listen.add", "retries", 2), "undecodable-1", null, 0, null));
		this.broker.publish(QUEUE, new Envelope("not json".getBytes(StandardCharsets.UTF_8), "application/json",
				"utf-8", Map.of(), null, null, 0, null));

		processNext();
		processNext();

		assertThat(this.listener.moments()).extracting(RecordingListener.Moment::name)
			.containsExactly("rejected", "rejected");
		TaskEvent known = this.listener.moments().get(0).task();
		assertThat(known.taskId()).isEqualTo("undecodable-1");
		assertThat(known.taskName()).isEqualTo("listen.add");
		assertThat(known.retries()).isEqualTo(2);
		assertThat(known.queue()).isEqualTo(QUEUE);
		assertThat((String) this.listener.moments().get(0).detail()).startsWith("undecodable message");
		TaskEvent unknown = this.listener.moments().get(1).task();
		assertThat(unknown.taskId()).isEqualTo("unknown");
		assertThat(unknown.taskName()).isEqualTo("unknown");
	}

	@Test
	void aTaskPastItsHardTimeLimitFailsOnTheTimeLimitersThread() throws Exception {
		String id = this.client.send("listen.hang").id();
		Thread worker = processNextOnAThreadOfItsOwn();

		await().atMost(Duration.ofSeconds(10)).until(() -> this.listener.of(id).contains("postrun FAILURE"));
		this.tasks.release.countDown();
		worker.join(10_000);

		// the abandoned thread's late return tells nobody anything
		assertThat(this.listener.of(id)).containsExactly("beforePublish", "afterPublish", "received", "prerun",
				"failed", "postrun FAILURE");
		RecordingListener.Moment failed = this.listener.last(id, "failed");
		assertThat((Throwable) failed.detail()).isInstanceOf(TimeoutException.class).hasMessageContaining("hard time limit");
		assertThat(failed.thread()).isEqualTo("taskqueue-time-limits");
		assertThat(this.listener.last(id, "postrun").detail()).isEqualTo(TaskOutcome.FAILURE);
	}

	@Test
	void aListenerThatThrowsIsLoggedAndNeitherFailsTheTaskNorKeepsTheNextListenerFromBeingCalled() throws Exception {
		ListAppender<ILoggingEvent> logged = new ListAppender<>();
		logged.start();
		Logger logger = (Logger) LoggerFactory.getLogger(TaskListeners.class);
		logger.addAppender(logged);
		TaskListener throwing = new TaskListener() {

			@Override
			public void prerun(TaskEvent task) {
				throw new IllegalStateException("listener bug");
			}

			@Override
			public void beforePublish(TaskEvent task, Map<String, Object> headers) {
				throw new IllegalStateException("listener bug");
			}

		};
		TaskTemplate client = client(List.of(throwing, this.listener));
		try (TaskProcessor processor = processor(List.of(throwing, this.listener))) {
			String id = client.send("listen.add", 2, 3).id();

			processor.process(this.broker.poll(List.of(QUEUE), Duration.ofSeconds(5)));

			assertThat(this.results.fetch(id).state()).isEqualTo(TaskState.SUCCESS);
			assertThat(this.listener.of(id)).containsExactly("beforePublish", "afterPublish", "received", "prerun",
					"succeeded", "postrun SUCCESS");
			assertThat(logged.list).extracting(ILoggingEvent::getFormattedMessage)
				.anyMatch((line) -> line.contains("failed at prerun of listen.add[" + id + "]"))
				.anyMatch((line) -> line.contains("failed at beforePublish of listen.add[" + id + "]"));
		}
		finally {
			logger.detachAppender(logged);
		}
	}

	@Test
	void headersAddedBeforePublishTravelWithTheMessageToTheTaskAndTheWorkersEvents() throws Exception {
		TaskListener tracing = new TaskListener() {

			@Override
			public void beforePublish(TaskEvent task, Map<String, Object> headers) {
				headers.put("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
			}

		};
		TaskTemplate client = client(List.of(tracing, this.listener));
		String id = client.send("listen.header", "traceparent").id();

		processNext();

		assertThat(this.results.fetch(id).result()).isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
		assertThat(this.listener.last(id, "beforePublish").task().headers()).containsKey("traceparent");
		assertThat(this.listener.last(id, "received").task().headers()).containsEntry("traceparent",
				"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
	}

	@ParameterizedTest
	@ValueSource(strings = { "json", "msgpack", "yaml" })
	void theWorkerReadsWhenOurClientSentATask(String serializer) throws Exception {
		String id = this.client.withOptions(SendOptions.defaults().withSerializer(serializer))
			.send("listen.add", 1, 2)
			.id();

		processNext();

		Instant sent = this.listener.last(id, "beforePublish").task().sentAt();
		assertThat(sent).isNotNull();
		assertThat(this.listener.last(id, "received").task().sentAt()).isEqualTo(sent);
		assertThat(this.listener.last(id, "succeeded").detail()).isEqualTo(3);
	}

	@Test
	void aCeleryMessageHasNoSentTime() throws Exception {
		Envelope celery = CelerySamples.first("redis_publish_plain_apply_async").envelope();
		this.broker.publish(QUEUE, celery);

		processNext();

		TaskEvent received = this.listener.last(celery.correlationId(), "received").task();
		assertThat(received.sentAt()).isNull();
		assertThat(received.taskName()).isEqualTo(celery.taskName());
	}

	@Test
	void theSentTimeIsReadFromANumberOrNumericText() {
		long millis = 1_796_000_000_123L;
		Instant expected = Instant.ofEpochMilli(millis);
		assertThat(TaskEvents.sentAt(Map.of(ProtocolHeaders.SENT, millis))).isEqualTo(expected);
		assertThat(TaskEvents.sentAt(Map.of(ProtocolHeaders.SENT, (double) millis))).isEqualTo(expected);
		assertThat(TaskEvents.sentAt(Map.of(ProtocolHeaders.SENT, "1796000000123"))).isEqualTo(expected);
		assertThat(TaskEvents.sentAt(Map.of(ProtocolHeaders.SENT, " 1.796000000123E12 "))).isEqualTo(expected);
		assertThat(TaskEvents.sentAt(Map.of(ProtocolHeaders.SENT, "yesterday"))).isNull();
		assertThat(TaskEvents.sentAt(Map.of(ProtocolHeaders.SENT, Double.NaN))).isNull();
		assertThat(TaskEvents.sentAt(Map.of(ProtocolHeaders.SENT, List.of(1)))).isNull();
		assertThat(TaskEvents.sentAt(Map.of())).isNull();
	}

	@Test
	void anEagerTaskIsToldOfTooRunningInsideItsPublish() throws Exception {
		try (EagerBroker eager = new EagerBroker((self) -> TaskProcessor
			.builder(this.converter, this.registry, this.results, self)
			.jsonMapper(this.mapper)
			.hostname(WORKER)
			.listeners(List.of(this.listener))
			.build())) {
			TaskTemplate client = TaskTemplate
				.builder(eager, this.converter, TaskRouter.builder(this.registry).defaultQueue(QUEUE).build(),
						this.results)
				.jsonMapper(this.mapper)
				.listeners(List.of(this.listener))
				.build();

			String id = client.send("listen.add", 2, 2).id();

			assertThat(this.listener.of(id)).containsExactly("beforePublish", "received", "prerun", "succeeded",
					"postrun SUCCESS", "afterPublish");
			assertThat(this.listener.last(id, "received").task().sentAt()).isNotNull();
		}
	}

	@Test
	void workersAreToldWhenTheyAreReadyAndWhenTheyBeginToStop() {
		Workers workers = Workers.builder(this.broker, this.processor)
			.group(new WorkerSettings("listen-worker", List.of(QUEUE), 2, 4, Duration.ofSeconds(5)))
			.listeners(List.of(this.listener))
			.build();

		workers.start();
		assertThat(this.listener.moments()).extracting(RecordingListener.Moment::name).containsExactly("workerReady");
		String id = this.client.send("listen.add", 1, 1).id();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.listener.of(id).contains("postrun SUCCESS"));
		workers.stop();

		List<RecordingListener.Moment> moments = this.listener.moments();
		assertThat(moments.get(moments.size() - 1).name()).isEqualTo("workerStopping");
		assertThat(moments.get(0).worker().worker()).isEqualTo("listen-worker");
		assertThat(moments.get(0).worker().queues()).containsExactly(QUEUE);
		assertThat(moments.get(0).worker().concurrency()).isEqualTo(2);
		assertThat(moments.get(moments.size() - 1).worker()).isEqualTo(moments.get(0).worker());
	}

	private TaskTemplate client(List<TaskListener> listeners) {
		return TaskTemplate
			.builder(this.broker, this.converter, TaskRouter.builder(this.registry).defaultQueue(QUEUE).build(),
					this.results)
			.jsonMapper(this.mapper)
			.clock(this.clock)
			.listeners(listeners)
			.build();
	}

	private TaskProcessor processor(List<TaskListener> listeners) {
		return TaskProcessor.builder(this.converter, this.registry, this.results, this.broker)
			.jsonMapper(this.mapper)
			.clock(this.clock)
			.hostname(WORKER)
			.revocations(this.revocations)
			.listeners(listeners)
			.build();
	}

	private void processNext() throws InterruptedException {
		AbstractDelivery delivery = this.broker.poll(List.of(QUEUE), Duration.ofSeconds(5));
		assertThat(delivery).as("a message in " + QUEUE).isNotNull();
		this.processor.process(delivery);
	}

	private Thread processNextOnAThreadOfItsOwn() throws InterruptedException {
		AbstractDelivery delivery = this.broker.poll(List.of(QUEUE), Duration.ofSeconds(5));
		assertThat(delivery).isNotNull();
		Thread thread = new Thread(() -> this.processor.process(delivery), "listener-tests-worker");
		thread.start();
		return thread;
	}

	/**
	 * The tasks, one per outcome.
	 */
	public static class Tasks {

		final CountDownLatch release = new CountDownLatch(1);

		@Task(name = "listen.add")
		public int add(int a, int b) {
			return a + b;
		}

		@Task(name = "listen.fail")
		public void fail() {
			throw new IllegalStateException("boom");
		}

		@Task(name = "listen.retryOnce")
		public String retryOnce() {
			TaskContext context = TaskContext.current();
			if (context.retries() == 0) {
				throw context.retry(new IllegalStateException("not yet"), Duration.ZERO);
			}
			return "done";
		}

		@Task(name = "listen.exhausted", autoretryFor = IllegalStateException.class, maxRetries = 0,
				onRetriesExhausted = Task.RetriesExhausted.DEAD_LETTER, acks = Task.Acks.LATE)
		public void exhausted() {
			throw new IllegalStateException("always");
		}

		@Task(name = "listen.exhaustedEarly", autoretryFor = IllegalStateException.class, maxRetries = 0,
				onRetriesExhausted = Task.RetriesExhausted.DEAD_LETTER, acks = Task.Acks.EARLY)
		public void exhaustedEarly() {
			throw new IllegalStateException("always");
		}

		@Task(name = "listen.block")
		public void block() throws InterruptedException {
			this.release.await();
		}

		@Task(name = "listen.hang", timeLimit = "300ms")
		public void hang() {
			boolean released = false;
			while (!released) {
				try {
					this.release.await();
					released = true;
				}
				catch (InterruptedException ex) {
					// as a task that does not heed interrupts: only the hard limit ends it
				}
			}
		}

		@Task(name = "listen.header")
		public Object header(String name) {
			return TaskContext.current().headers().get(name);
		}

	}

}
