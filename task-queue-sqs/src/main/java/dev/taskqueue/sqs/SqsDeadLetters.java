package dev.taskqueue.sqs;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import dev.taskqueue.broker.BrokerException;
import dev.taskqueue.broker.DeadLetter;
import dev.taskqueue.broker.DeadLetterQueue;
import dev.taskqueue.broker.DeadLetterRetention;
import dev.taskqueue.protocol.Envelope;

/**
 * The SQS broker's dead letters, in its one dead-letter queue: each is the rejected message's body unchanged,
 * with the message attributes {@value #QUEUE_ATTRIBUTE}, {@value #REASON_ATTRIBUTE},
 * {@value #REJECTED_AT_ATTRIBUTE} and {@value #ID_ATTRIBUTE}. A Celery worker reading this queue would see the
 * original task message.
 * <p>
 * SQS cannot look at a message without receiving it: every operation receives all the dead letters the queue
 * holds (with a visibility timeout of {@value #WALK_VISIBILITY_SECONDS} s, so a walk elsewhere sees fewer
 * meanwhile), orders them by rejection time, deletes what it purges, redrives (after sending it back) or drops for
 * the retention (too old, or over the count per queue, logged), and makes the rest visible again at once. Walks
 * of one broker run one at a time. SQS's own redrive policy (a queue's {@code maxReceiveCount}) is left to the
 * operator: messages it moved carry no reason and are not listed here.
 */
final class SqsDeadLetters implements DeadLetterQueue {

	static final String QUEUE_ATTRIBUTE = "taskqueue-queue";

	static final String REASON_ATTRIBUTE = "taskqueue-reason";

	static final String REJECTED_AT_ATTRIBUTE = "taskqueue-rejected-at";

	static final String ID_ATTRIBUTE = "taskqueue-dead-letter-id";

	static final int WALK_VISIBILITY_SECONDS = 60;

	/** How many receives in a row may bring nothing new before a walk ends short of the queue's count. */
	private static final int FRUITLESS_RECEIVES = 3;

	private final SqsClient client;

	private final SqsQueues queues;

	private final String queue;

	private final DeadLetterRetention retention;

	private final Clock clock;

	private final KombuSqsCodec codec;

	SqsDeadLetters(SqsClient client, SqsQueues queues, KombuSqsCodec codec, String deadLetterQueue,
			DeadLetterRetention retention, Clock clock) {
		this.client = client;
		this.queues = queues;
		this.queue = deadLetterQueue;
		this.retention = retention;
		this.clock = clock;
		this.codec = codec;
	}

	/**
	 * Keep a rejected message.
	 * @param from the queue it was received from
	 * @param body its SQS body, unchanged
	 * @param reason why it was rejected
	 */
	void add(String from, String body, String reason) {
		String url = this.queues.url(this.queue);
		Map<String, MessageAttributeValue> attributes = Map.of(QUEUE_ATTRIBUTE, SqsBroker.text(from),
				REASON_ATTRIBUTE, SqsBroker.text(reason.isEmpty() ? "(no reason)" : reason), REJECTED_AT_ATTRIBUTE,
				SqsBroker.text(this.clock.instant().toString()), ID_ATTRIBUTE,
				SqsBroker.text(UUID.randomUUID().toString()));
		SqsBroker.call("dead-letter a message from queue '" + from + "'",
				() -> this.client.sendMessage((request) -> request.queueUrl(url)
					.messageBody(body)
					.messageAttributes(attributes)));
	}

	@Override
	public List<DeadLetter> listDeadLetters(@Nullable String queue, int limit) {
		List<DeadLetter> found = new ArrayList<>();
		walk((letter) -> {
			if (matches(letter, queue) && found.size() < limit) {
				found.add(letter.letter());
			}
			return false;
		});
		return found;
	}

	@Override
	public boolean redriveDeadLetter(String id) {
		boolean[] first = { true };
		return walk((letter) -> {
			if (first[0] && id.equals(letter.letter().id())) {
				first[0] = false;
				return redrive(letter);
			}
			return false;
		}) > 0;
	}

	@Override
	public int redriveDeadLetters(@Nullable String queue) {
		return walk((letter) -> matches(letter, queue) && redrive(letter));
	}

	@Override
	public boolean purgeDeadLetter(String id) {
		return walk((letter) -> id.equals(letter.letter().id())) > 0;
	}

	@Override
	public int purgeDeadLetters(@Nullable String queue) {
		return walk((letter) -> matches(letter, queue));
	}

	private boolean redrive(Letter letter) {
		SqsBroker.call("redrive a dead letter to queue '" + letter.letter().queue() + "'", () -> {
			String queue = letter.letter().queue();
			return this.client.sendMessage(SqsBroker.request(this.queues.url(queue), queue, letter.message().body(),
					Duration.ZERO, null));
		});
		return true;
	}

	/**
	 * Receive every dead letter, drop what the retention does not keep, visit the rest oldest first, delete what
	 * the visitor takes and make the others visible again.
	 * @return how many the visitor took
	 */
	private synchronized int walk(Visitor visitor) {
		String url = SqsBroker.call("look up the dead-letter queue", () -> this.queues.existingUrl(this.queue));
		if (url == null) {
			return 0;
		}
		List<Letter> letters = SqsBroker.call("read the dead-letter queue", () -> receiveAll(url));
		letters.sort(Comparator.comparing((Letter letter) -> letter.letter().rejectedAt()));
		List<Message> taken = new ArrayList<>();
		List<Message> kept = new ArrayList<>();
		int visitorTook = 0;
		try {
			for (Letter letter : keep(letters, taken)) {
				if (visitor.take(letter)) {
					visitorTook++;
					taken.add(letter.message());
				}
				else {
					kept.add(letter.message());
				}
			}
		}
		finally {
			SqsBroker.call("settle the dead letters read", () -> {
				delete(url, taken);
				release(url, kept);
				return null;
			});
		}
		return visitorTook;
	}

	/**
	 * The letters the retention keeps; the others are added to {@code taken} and logged.
	 */
	private List<Letter> keep(List<Letter> letters, List<Message> taken) {
		Instant cutoff = this.retention.cutoff(this.clock.instant());
		Map<String, Integer> remaining = new HashMap<>();
		letters.forEach((letter) -> remaining.merge(letter.letter().queue(), 1, Integer::sum));
		Map<String, Long> tooOld = new HashMap<>();
		Map<String, Long> tooMany = new HashMap<>();
		List<Letter> kept = new ArrayList<>();
		for (Letter letter : letters) {
			String from = letter.letter().queue();
			if (letter.letter().rejectedAt().isBefore(cutoff)) {
				tooOld.merge(from, 1L, Long::sum);
			}
			else if (remaining.get(from) > this.retention.maxCount()) {
				tooMany.merge(from, 1L, Long::sum);
			}
			else {
				kept.add(letter);
				continue;
			}
			remaining.merge(from, -1, Integer::sum);
			taken.add(letter.message());
		}
		tooOld.forEach((from, count) -> this.retention.droppedOverMaxAge("queue '" + from + "'", count));
		tooMany.forEach((from, count) -> this.retention.droppedOverMaxCount("queue '" + from + "'", count));
		return kept;
	}

	private List<Letter> receiveAll(String url) {
		long expected = Long.parseLong(this.client
			.getQueueAttributes((request) -> request.queueUrl(url)
				.attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
			.attributes()
			.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0"));
		List<Letter> letters = new ArrayList<>();
		int fruitless = 0;
		// a short receive may miss messages on SQS (it asks some of its servers): receive again while the
		// queue's count says there are more, a few times
		while (letters.size() < expected && fruitless < FRUITLESS_RECEIVES) {
			List<Message> messages = this.client
				.receiveMessage((request) -> request.queueUrl(url)
					.maxNumberOfMessages(SqsBroker.MAX_MESSAGES)
					.visibilityTimeout(WALK_VISIBILITY_SECONDS)
					.messageAttributeNames("All"))
				.messages();
			fruitless = messages.isEmpty() ? fruitless + 1 : 0;
			for (Message message : messages) {
				letters.add(new Letter(message, read(message)));
			}
		}
		return letters;
	}

	private DeadLetter read(Message message) {
		Map<String, MessageAttributeValue> attributes = message.messageAttributes();
		String from = attribute(attributes, QUEUE_ATTRIBUTE);
		String rejectedAt = attribute(attributes, REJECTED_AT_ATTRIBUTE);
		String id = attribute(attributes, ID_ATTRIBUTE);
		Envelope envelope;
		try {
			envelope = this.codec.read(message.body());
		}
		catch (BrokerException ex) {
			envelope = new Envelope(message.body().getBytes(StandardCharsets.UTF_8), "text/plain",
					"utf-8", Map.of(), null, null, 0, null);
		}
		return new DeadLetter((from != null) ? from : "", envelope, String.valueOf(attribute(attributes,
				REASON_ATTRIBUTE)), (rejectedAt != null) ? Instant.parse(rejectedAt) : Instant.EPOCH,
				(id != null) ? id : message.messageId());
	}

	private static @Nullable String attribute(Map<String, MessageAttributeValue> attributes, String name) {
		MessageAttributeValue value = attributes.get(name);
		return (value != null) ? value.stringValue() : null;
	}

	private void delete(String url, List<Message> messages) {
		for (int from = 0; from < messages.size(); from += SqsBroker.MAX_MESSAGES) {
			List<Message> batch = messages.subList(from, Math.min(from + SqsBroker.MAX_MESSAGES, messages.size()));
			List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
			for (int i = 0; i < batch.size(); i++) {
				entries.add(DeleteMessageBatchRequestEntry.builder()
					.id(Integer.toString(i))
					.receiptHandle(batch.get(i).receiptHandle())
					.build());
			}
			this.client.deleteMessageBatch((request) -> request.queueUrl(url).entries(entries));
		}
	}

	private void release(String url, List<Message> messages) {
		for (int from = 0; from < messages.size(); from += SqsBroker.MAX_MESSAGES) {
			List<Message> batch = messages.subList(from, Math.min(from + SqsBroker.MAX_MESSAGES, messages.size()));
			List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
			for (int i = 0; i < batch.size(); i++) {
				entries.add(ChangeMessageVisibilityBatchRequestEntry.builder()
					.id(Integer.toString(i))
					.receiptHandle(batch.get(i).receiptHandle())
					.visibilityTimeout(0)
					.build());
			}
			this.client.changeMessageVisibilityBatch((request) -> request.queueUrl(url).entries(entries));
		}
	}

	/**
	 * Receive and delete every visible message of a queue.
	 * @param client the client
	 * @param url the queue
	 * @return how many were deleted
	 */
	static int drain(SqsClient client, String url) {
		int drained = 0;
		while (true) {
			List<Message> messages = client
				.receiveMessage((request) -> request.queueUrl(url)
					.maxNumberOfMessages(SqsBroker.MAX_MESSAGES)
					.visibilityTimeout(WALK_VISIBILITY_SECONDS))
				.messages();
			if (messages.isEmpty()) {
				return drained;
			}
			List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
			for (int i = 0; i < messages.size(); i++) {
				entries.add(DeleteMessageBatchRequestEntry.builder()
					.id(Integer.toString(i))
					.receiptHandle(messages.get(i).receiptHandle())
					.build());
			}
			client.deleteMessageBatch((request) -> request.queueUrl(url).entries(entries));
			drained += messages.size();
		}
	}

	private static boolean matches(Letter letter, @Nullable String queue) {
		return queue == null || queue.equals(letter.letter().queue());
	}

	/**
	 * A dead letter and the SQS message it was received as.
	 */
	private record Letter(Message message, DeadLetter letter) {
	}

	@FunctionalInterface
	private interface Visitor {

		/**
		 * @return whether to take the dead letter (delete it from the dead-letter queue)
		 */
		boolean take(Letter letter);

	}

}
