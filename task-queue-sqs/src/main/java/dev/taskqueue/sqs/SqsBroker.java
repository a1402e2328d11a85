package dev.taskqueue.sqs;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.broker.AbstractDelivery;
import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.BrokerException;
import dev.taskqueue.broker.DeadLetterQueue;
import dev.taskqueue.broker.DeadLetterRetention;
import dev.taskqueue.broker.DelegatingDeadLetterQueue;
import dev.taskqueue.broker.DeliveryHandler;
import dev.taskqueue.broker.DeliverySource;
import dev.taskqueue.broker.Destination;
import dev.taskqueue.broker.PollingSubscription;
import dev.taskqueue.broker.Subscription;
import dev.taskqueue.protocol.Envelope;
import dev.taskqueue.protocol.LogText;
import dev.taskqueue.status.ComponentStatus;

/**
 * The Amazon SQS broker, kombu's SQS transport (Celery's {@code broker_url='sqs://'}): a message is kombu's JSON
 * message in base64, sent to the queue kombu names ({@link SqsQueues}); a FIFO queue ({@code .fifo}) gets kombu's
 * group id {@code default} and a fresh deduplication id.
 * <ul>
 * <li>{@link #publishAsync} batches sends ({@link SqsSends}); {@link #publish} sends one and waits.</li>
 * <li>Consuming long-polls ({@code WaitTimeSeconds}) for up to 10 messages a call, with the visibility timeout; a
 * consumer of several queues looks at each in turn, then long-polls one of them for a second.</li>
 * <li>Ack deletes the message, in batches ({@link SqsDeletes}); requeue makes it visible again (visibility 0);
 * a held message's visibility is extended while it is held ({@link SqsVisibility}), so a worker that dies leaves
 * its messages to reappear within one visibility timeout.</li>
 * <li>Defer re-publishes the message with SQS's delay, at most 15 minutes, and the time it is due in the message
 * attribute {@value #DUE_ATTRIBUTE}; one received before then is re-published for the time left, so a long eta is
 * never held in a worker's memory. A FIFO queue has no per-message delay: there the message stays invisible
 * until due (at most 12 hours at a time).</li>
 * <li>Reject moves the message body unchanged to one dead-letter queue, with the queue, reason, time and an id in
 * message attributes ({@link SqsDeadLetters}).</li>
 * </ul>
 * SQS has no priorities (every message is served in the order the queue gives it) and orders messages strictly
 * only in FIFO queues. A bean of this type replaces the configured broker.
 */
public class SqsBroker implements Broker, DeliverySource, DelegatingDeadLetterQueue, AutoCloseable {

	/** The message attribute that says when a deferred message is due (ISO-8601). */
	public static final String DUE_ATTRIBUTE = "taskqueue-due";

	/** SQS's longest delay of a message. */
	static final Duration MAX_DELAY = Duration.ofMinutes(15);

	/** SQS's most messages in one receive. */
	static final int MAX_MESSAGES = 10;

	/** How long a multi-queue consumer long-polls one queue before it looks at the others again. */
	private static final Duration MULTI_QUEUE_WAIT = Duration.ofSeconds(1);

	/** kombu's {@code MessageGroupId} when the message names none. */
	private static final String DEFAULT_GROUP = "default";

	private static final Logger logger = LoggerFactory.getLogger(SqsBroker.class);

	private final SqsClient client;

	private final SqsBrokerSettings settings;

	private final Clock clock;

	private final KombuSqsCodec codec;

	private final SqsQueues queues;

	private final SqsDeletes deletes;

	private final SqsSends sends;

	private final SqsVisibility visibility;

	private final SqsDeadLetters deadLetters;

	private final AtomicInteger turn = new AtomicInteger();

	/**
	 * Create a broker keeping dead letters as by default.
	 * @param client the SQS client (closed by its owner, not by the broker)
	 * @param mapper the JSON mapper for kombu's message
	 * @param settings the settings
	 * @param clock the clock for due times and dead letters
	 */
	public SqsBroker(SqsClient client, JsonMapper mapper, SqsBrokerSettings settings, Clock clock) {
		this(client, mapper, settings, clock, DeadLetterRetention.defaults());
	}

	/**
	 * Create a broker.
	 * @param client the SQS client (closed by its owner, not by the broker)
	 * @param mapper the JSON mapper for kombu's message
	 * @param settings the settings
	 * @param clock the clock for due times and dead letters
	 * @param retention how many dead letters to keep per queue, and for how long
	 */
	public SqsBroker(SqsClient client, JsonMapper mapper, SqsBrokerSettings settings, Clock clock,
			DeadLetterRetention retention) {
		this.client = client;
		this.settings = settings;
		this.clock = clock;
		this.codec = new KombuSqsCodec(mapper);
		this.queues = new SqsQueues(client, settings.queueNamePrefix(), settings.visibilityTimeout());
		this.deletes = new SqsDeletes(client);
		this.sends = new SqsSends(client);
		this.visibility = new SqsVisibility(client, settings.visibilityTimeout());
		this.deadLetters = new SqsDeadLetters(client, this.queues, this.codec, settings.deadLetterQueue(), retention,
				clock);
	}

	/**
	 * The settings this broker runs with.
	 * @return the settings
	 */
	public SqsBrokerSettings getSettings() {
		return this.settings;
	}

	@Override
	public void publish(String queue, Envelope envelope) {
		send(queue, this.codec.write(queue, envelope), Duration.ZERO, null);
	}

	/**
	 * Publish without waiting: sends are batched ({@code SendMessageBatch}, up to 10 a call) by the broker's send
	 * threads, so one producer can have many messages in flight.
	 */
	@Override
	public CompletableFuture<Void> publishAsync(Destination destination, Envelope envelope) {
		String queue = destination.queue();
		String what = "send a message to queue '" + queue + "'";
		try {
			String url = call("look up queue '" + queue + "'", () -> this.queues.url(queue));
			return this.sends.send(request(url, queue, this.codec.write(queue, envelope), Duration.ZERO, null), what);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	/**
	 * Send a body to a queue, creating the queue if missing (again, if it was deleted meanwhile).
	 * @param queue the application's queue name
	 * @param body the SQS message body
	 * @param delay the delay, at most 15 minutes (0 on a FIFO queue)
	 * @param due when the message is due, or {@code null} for now
	 */
	void send(String queue, String body, Duration delay, @Nullable Instant due) {
		call("send a message to queue '" + queue + "'", () -> {
			try {
				return this.client.sendMessage(request(this.queues.url(queue), queue, body, delay, due));
			}
			catch (QueueDoesNotExistException ex) {
				this.queues.forget(queue);
				return this.client.sendMessage(request(this.queues.url(queue), queue, body, delay, due));
			}
		});
	}

	/**
	 * One {@code SendMessage}: kombu's group and deduplication ids on a FIFO queue, else the delay.
	 */
	static SendMessageRequest request(String url, String queue, String body, Duration delay,
			@Nullable Instant due) {
		SendMessageRequest.Builder request = SendMessageRequest.builder().queueUrl(url).messageBody(body);
		if (SqsQueues.isFifo(queue)) {
			request.messageGroupId(DEFAULT_GROUP).messageDeduplicationId(UUID.randomUUID().toString());
		}
		else if (!delay.isZero()) {
			request.delaySeconds((int) delay.toSeconds());
		}
		if (due != null) {
			request.messageAttributes(Map.of(DUE_ATTRIBUTE, text(due.toString())));
		}
		return request.build();
	}

	static MessageAttributeValue text(String value) {
		return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
	}

	@Override
	public Subscription subscribe(List<String> queues, int prefetch, DeliveryHandler handler) {
		queues.forEach(this.queues::url);
		return PollingSubscription.start(this, queues, prefetch, handler, "taskqueue-sqs-consumer",
				this.settings.waitTime(), Math.max(1, prefetch / 4));
	}

	@Override
	public @Nullable AbstractDelivery poll(List<String> queues, Duration timeout) throws InterruptedException {
		List<AbstractDelivery> deliveries = poll(queues, 1, timeout);
		return deliveries.isEmpty() ? null : deliveries.get(0);
	}

	/**
	 * Receive up to {@code max} (at most 10) messages: one queue is long-polled for the whole timeout; of several,
	 * each is looked at in turn without waiting, starting with the next one each time, and then the first of them
	 * is long-polled for a second. Messages whose due time has not come are parked again, not handed out.
	 */
	@Override
	public List<AbstractDelivery> poll(List<String> queues, int max, Duration timeout) throws InterruptedException {
		int first = Math.floorMod(this.turn.getAndIncrement(), queues.size());
		if (queues.size() > 1) {
			for (int i = 0; i < queues.size(); i++) {
				List<AbstractDelivery> received = receive(queues.get((first + i) % queues.size()), max, Duration.ZERO);
				if (!received.isEmpty()) {
					return received;
				}
			}
		}
		Duration wait = (queues.size() > 1 && timeout.compareTo(MULTI_QUEUE_WAIT) > 0) ? MULTI_QUEUE_WAIT : timeout;
		List<AbstractDelivery> received = receive(queues.get(first), max, wait);
		if (received.isEmpty() && wait.isZero()) {
			// short polling (wait time 0), as kombu's polling_interval: not a busy loop on an empty queue
			Thread.sleep(1000);
		}
		return received;
	}

	private List<AbstractDelivery> receive(String queue, int max, Duration wait) {
		String url = this.queues.url(queue);
		List<Message> messages = call("receive from queue '" + queue + "'", () -> receiveMessage(queue, url, max, wait))
			.messages();
		long receivedAt = System.nanoTime();
		List<AbstractDelivery> deliveries = new ArrayList<>(messages.size());
		for (Message message : messages) {
			SqsDelivery delivery = delivery(queue, url, message, receivedAt);
			if (delivery != null) {
				this.visibility.hold(delivery);
				deliveries.add(delivery);
			}
		}
		return deliveries;
	}

	private ReceiveMessageResponse receiveMessage(String queue, String url, int max, Duration wait) {
		try {
			return this.client.receiveMessage((request) -> request.queueUrl(url)
				.maxNumberOfMessages(Math.min(max, MAX_MESSAGES))
				.waitTimeSeconds(waitSeconds(wait))
				.visibilityTimeout((int) this.settings.visibilityTimeout().toSeconds())
				.messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)
				.messageAttributeNames("All"));
		}
		catch (QueueDoesNotExistException ex) {
			// deleted while consumed: the next poll creates it again, as kombu would
			this.queues.forget(queue);
			throw ex;
		}
	}

	private static int waitSeconds(Duration wait) {
		// whole seconds, rounded up, at most SQS's 20
		return (int) Math.min(SqsBrokerSettings.MAX_WAIT_TIME.toSeconds(), (wait.toMillis() + 999) / 1000);
	}

	/**
	 * The delivery of a received message; {@code null} for one not due yet (parked again) or one nothing can
	 * be read from (dead-lettered as it was received).
	 */
	private @Nullable SqsDelivery delivery(String queue, String url, Message message, long receivedAt) {
		Instant due = due(message);
		if (due != null && due.isAfter(this.clock.instant())) {
			park(queue, url, message.body(), message.receiptHandle(), due);
			return null;
		}
		String count = message.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
		boolean redelivered = count != null && Integer.parseInt(count) > 1;
		long visibleAgainAt = receivedAt + this.settings.visibilityTimeout().toNanos();
		try {
			return new SqsDelivery(this, this.codec.read(message.body()), queue, redelivered, null, url,
					message.receiptHandle(), message.body(), visibleAgainAt);
		}
		catch (BrokerException ex) {
			String reason = "unreadable message: " + ex.getMessage();
			Envelope salvaged = this.codec.salvage(message.body());
			if (salvaged != null) {
				// its task id can be read: the worker stores FAILURE for it, then rejects it to the dead letters
				return new SqsDelivery(this, salvaged, queue, redelivered, reason, url, message.receiptHandle(),
						message.body(), visibleAgainAt);
			}
			logger.warn("Dead-lettered a message from queue '{}' that is not a kombu message: {}", queue,
					LogText.escape(ex.getMessage()));
			this.deadLetters.add(queue, message.body(), reason);
			this.deletes.delete(url, message.receiptHandle());
			return null;
		}
	}

	private static @Nullable Instant due(Message message) {
		MessageAttributeValue due = message.messageAttributes().get(DUE_ATTRIBUTE);
		if (due == null || due.stringValue() == null) {
			return null;
		}
		try {
			return Instant.parse(due.stringValue());
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	void ack(SqsDelivery delivery) {
		this.visibility.release(delivery);
		this.deletes.delete(delivery.queueUrl(), delivery.receiptHandle());
	}

	void requeue(SqsDelivery delivery) {
		this.visibility.release(delivery);
		changeVisibility(delivery.queue(), delivery.queueUrl(), delivery.receiptHandle(), Duration.ZERO);
	}

	void reject(SqsDelivery delivery, String reason) {
		this.visibility.release(delivery);
		this.deadLetters.add(delivery.queue(), delivery.body(), reason);
		this.deletes.delete(delivery.queueUrl(), delivery.receiptHandle());
	}

	void defer(SqsDelivery delivery, Instant due) {
		this.visibility.release(delivery);
		park(delivery.queue(), delivery.queueUrl(), delivery.body(), delivery.receiptHandle(), due);
	}

	/**
	 * Park a received message until due: on a standard queue a copy is sent with the delay left (at most 15
	 * minutes) and the due time, and the message deleted; on a FIFO queue the message stays invisible until due.
	 */
	private void park(String queue, String url, String body, String receiptHandle, Instant due) {
		Duration left = Duration.between(this.clock.instant(), due);
		// whole seconds, rounded up: never back before due
		Duration delay = Duration.ofSeconds(Math.max(0, (left.toMillis() + 999) / 1000));
		if (SqsQueues.isFifo(queue)) {
			Duration most = SqsBrokerSettings.MAX_VISIBILITY_TIMEOUT.minusHours(1);
			changeVisibility(queue, url, receiptHandle, (delay.compareTo(most) > 0) ? most : delay);
			return;
		}
		send(queue, body, (delay.compareTo(MAX_DELAY) > 0) ? MAX_DELAY : delay, due);
		this.deletes.delete(url, receiptHandle);
	}

	private void changeVisibility(String queue, String url, String receiptHandle, Duration timeout) {
		try {
			this.client.changeMessageVisibility((request) -> request.queueUrl(url)
				.receiptHandle(receiptHandle)
				.visibilityTimeout((int) timeout.toSeconds()));
		}
		catch (SdkException ex) {
			logger.warn("Could not change the visibility of a message from queue '{}'; it is delivered again after "
					+ "its visibility timeout: {}", queue, ex.toString());
		}
	}

	@Override
	public ComponentStatus status() {
		Map<String, Object> details = Map.of("queueNamePrefix", this.settings.queueNamePrefix());
		try {
			this.client.listQueues((request) -> request.queueNamePrefix(this.queues.sqsName(""))
				.maxResults(1)
				.overrideConfiguration((config) -> config.apiCallTimeout(Duration.ofSeconds(5))));
			return ComponentStatus.up(details);
		}
		catch (SdkException ex) {
			return ComponentStatus.down(String.valueOf(ex.getMessage()), details);
		}
	}

	@Override
	public long queueDepth(String queue) {
		String url = call("look up queue '" + queue + "'", () -> this.queues.existingUrl(queue));
		if (url == null) {
			return 0;
		}
		Map<QueueAttributeName, String> attributes = call("read the depth of queue '" + queue + "'",
				() -> this.client.getQueueAttributes((request) -> request.queueUrl(url)
					.attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)))
			.attributes();
		return Long.parseLong(attributes.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0"));
	}

	/**
	 * Receive and delete every visible message, counting them: SQS's {@code PurgeQueue} (which kombu calls) would
	 * also delete the messages workers hold, says no number, and may be called once a minute only.
	 */
	@Override
	public int purge(String queue) {
		String url = call("look up queue '" + queue + "'", () -> this.queues.existingUrl(queue));
		if (url == null) {
			return 0;
		}
		return call("purge queue '" + queue + "'", () -> SqsDeadLetters.drain(this.client, url));
	}

	@Override
	public DeadLetterQueue deadLetterQueue() {
		return this.deadLetters;
	}

	/**
	 * Send the messages and acknowledgements still queued and stop the broker's threads; the client stays open.
	 */
	@Override
	public void close() {
		this.sends.close();
		this.deletes.close();
		this.visibility.close();
	}

	static <T> T call(String what, Supplier<T> call) {
		try {
			return call.get();
		}
		catch (SdkException ex) {
			throw new BrokerException("Could not " + what + " in SQS: " + ex.getMessage(), ex);
		}
	}

}
