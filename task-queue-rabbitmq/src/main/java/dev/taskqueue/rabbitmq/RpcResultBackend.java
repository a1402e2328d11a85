package dev.taskqueue.rabbitmq;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.protocol.LogText;
import dev.taskqueue.result.ResultBackend;
import dev.taskqueue.result.TaskResult;
import dev.taskqueue.result.memory.InMemoryResultBackend;
import dev.taskqueue.status.ComponentStatus;

/**
 * Celery's RPC result backend ({@code rpc://}): a worker sends each state of a task as a message to the queue
 * named by the task's {@code reply_to}, and the client that sent the task consumes that queue. Results are
 * therefore seen only by the client that sent the task, and kept in its memory (for
 * {@code taskqueue.result-expires}).
 * <p>
 * On the wire, as Celery 5.2: the reply queue is named by the bare {@code reply_to}, declared non-durable,
 * auto-delete, with {@code x-expires} = result_expires, and consumed with no acknowledgements; a result is
 * published to the default exchange with {@code delivery_mode=1}, {@code correlation_id} = the task id, empty
 * headers and the body {@code {task_id, status, result, traceback, children}}.
 */
public class RpcResultBackend implements ResultBackend, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(RpcResultBackend.class);

	/** Celery sends results transient: {@code delivery_mode=1}. */
	private static final int TRANSIENT = 1;

	private static final TypeReference<Map<String, Object>> DOCUMENT = new TypeReference<>() {
	};

	private final ConfirmedPublisher publisher;

	private final JsonMapper mapper;

	private final InMemoryResultBackend received;

	private final String replyTo;

	private final RabbitConsumer consumer;

	private final RabbitStatus status;

	/**
	 * Create a backend and start consuming its reply queue.
	 * @param connectionFactory the RabbitMQ connection
	 * @param mapper reads and writes result bodies
	 * @param settings how long results are kept, reconnection, confirms
	 * @param clock the clock results expire by
	 */
	public RpcResultBackend(ConnectionFactory connectionFactory, JsonMapper mapper, RpcResultBackendSettings settings,
			Clock clock) {
		Duration expires = settings.expires();
		this.mapper = mapper;
		this.received = new InMemoryResultBackend(expires, clock);
		this.replyTo = UUID.randomUUID().toString();
		this.publisher = ConfirmedPublisher.onPublisherConnection(connectionFactory, settings.confirmTimeout());
		Map<String, Object> arguments = Map.of("x-expires", (int) Math.min(Integer.MAX_VALUE, expires.toMillis()));
		// declared again on every reconnection: an auto-delete queue goes when its consumer does
		RabbitConsumer.Setup declare = (channel) -> channel.queueDeclare(this.replyTo, false, false, true, arguments);
		RabbitConsumer.Settings consuming = RabbitConsumer.Settings.autoAck(this.replyTo, settings.recoveryInterval(),
				"taskqueue-rpc-recovery");
		this.consumer = RabbitConsumer.start(connectionFactory, consuming, declare, this::onReply);
		this.status = new RabbitStatus(connectionFactory);
	}

	/**
	 * Up while RabbitMQ answers on the connection (see {@code RabbitBroker.status()}) and the reply queue is
	 * consumed: results sent while it is not are lost, as in Celery. Details: {@code host}, {@code port},
	 * {@code virtualHost}, the server's {@code product} and {@code version}, and the {@code replyTo} queue.
	 */
	@Override
	public ComponentStatus status() {
		ComponentStatus connection = this.status.status();
		Map<String, Object> details = new LinkedHashMap<>(connection.details());
		details.put("replyTo", this.replyTo);
		if (!connection.up()) {
			return ComponentStatus.down(String.valueOf(connection.error()), details);
		}
		if (!this.consumer.isConsuming(this.replyTo)) {
			return ComponentStatus.down("not consuming the reply queue '" + this.replyTo + "' (reconnecting)", details);
		}
		return ComponentStatus.up(details);
	}

	/**
	 * Refused, as Celery refuses them: a chord's header results reach only the client that sent the chord, never
	 * the worker that would join them.
	 */
	@Override
	public void ensureChordsAllowed() {
		throw new UnsupportedOperationException("The \"rpc\" result backend does not support chords!");
	}

	@Override
	public String replyTo() {
		return this.replyTo;
	}

	@Override
	public void store(TaskResult result) {
		logger.debug("Task {} has no reply_to: its {} result is not sent anywhere", LogText.escape(result.taskId()),
				LogText.escape(result.status()));
	}

	@Override
	public void store(TaskResult result, @Nullable String replyTo) {
		if (replyTo == null || replyTo.isEmpty()) {
			store(result);
			return;
		}
		Map<String, @Nullable Object> body = new LinkedHashMap<>();
		body.put("task_id", result.taskId());
		body.put("status", result.status());
		body.put("result", result.result());
		body.put("traceback", result.traceback());
		body.put("children", result.children());
		AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().contentType("application/json")
			.contentEncoding("utf-8")
			.headers(Map.of())
			.deliveryMode(TRANSIENT)
			.priority(0)
			.correlationId(result.taskId())
			.build();
		// not mandatory, as Celery: a client that has gone away has no queue, and its result is dropped
		this.publisher.publish("", replyTo, false, properties, this.mapper.writeValueAsBytes(body));
	}

	private void onReply(RabbitConsumer from, Channel channel, String queue, com.rabbitmq.client.Envelope envelope,
			AMQP.BasicProperties properties, byte[] body) {
		try {
			Map<String, Object> document = this.mapper.readValue(body, DOCUMENT);
			this.received.store(TaskResult.fromDocument(document));
		}
		catch (JacksonException | IllegalArgumentException | ClassCastException ex) {
			logger.warn("Ignored an unreadable result message (correlation id {}) on reply queue '{}': {}",
					LogText.escape(properties.getCorrelationId()), queue, LogText.escape(ex.toString()));
		}
	}

	@Override
	public @Nullable TaskResult fetch(String taskId) {
		return this.received.fetch(taskId);
	}

	@Override
	public CompletableFuture<TaskResult> whenReady(String taskId) {
		return this.received.whenReady(taskId);
	}

	@Override
	public void forget(String taskId) {
		this.received.forget(taskId);
	}

	@Override
	public void close() {
		this.consumer.close();
		this.publisher.close();
	}

}
