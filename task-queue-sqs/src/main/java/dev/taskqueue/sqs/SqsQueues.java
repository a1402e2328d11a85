package dev.taskqueue.sqs;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * The SQS queues behind the application's queue names, named as kombu names them
 * ({@code Channel.canonical_queue_name}): the {@code queue_name_prefix} first, then every punctuation character
 * but {@code -} and {@code _} replaced by {@code _}, and {@code .} by {@code -} ({@code CHARS_REPLACE_TABLE}), a
 * {@code .fifo} suffix kept. A queue used and missing is created as kombu creates it: with the visibility timeout,
 * and {@code FifoQueue} for a {@code .fifo} name. Queue URLs are looked up once.
 */
final class SqsQueues {

	private static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

	private static final String FIFO = ".fifo";

	private final SqsClient client;

	private final String prefix;

	private final Duration visibilityTimeout;

	private final Map<String, String> urls = new ConcurrentHashMap<>();

	SqsQueues(SqsClient client, String prefix, Duration visibilityTimeout) {
		this.client = client;
		this.prefix = prefix;
		this.visibilityTimeout = visibilityTimeout;
	}

	/**
	 * The SQS name of a queue: kombu's {@code canonical_queue_name}.
	 * @param queue the application's queue name
	 * @return the prefixed, translated name
	 */
	String sqsName(String queue) {
		return entityName(this.prefix + queue);
	}

	/**
	 * kombu's {@code entity_name}: an AMQP-style name made a legal SQS name.
	 * @param name the name
	 * @return the legal name
	 */
	static String entityName(String name) {
		boolean fifo = name.endsWith(FIFO);
		String partial = fifo ? name.substring(0, name.length() - FIFO.length()) : name;
		StringBuilder legal = new StringBuilder(partial.length() + FIFO.length());
		for (int i = 0; i < partial.length(); i++) {
			char c = partial.charAt(i);
			if (c == '.') {
				legal.append('-');
			}
			else if (c != '-' && c != '_' && PUNCTUATION.indexOf(c) >= 0) {
				legal.append('_');
			}
			else {
				legal.append(c);
			}
		}
		return fifo ? legal.append(FIFO).toString() : legal.toString();
	}

	/**
	 * Whether a queue is a FIFO queue (its name ends with {@code .fifo}).
	 * @param queue the application's queue name
	 * @return {@code true} for a FIFO queue
	 */
	static boolean isFifo(String queue) {
		return queue.endsWith(FIFO);
	}

	/**
	 * The URL of a queue, created if missing.
	 * @param queue the application's queue name
	 * @return the queue URL
	 */
	String url(String queue) {
		return this.urls.computeIfAbsent(sqsName(queue), this::lookUpOrCreate);
	}

	/**
	 * The URL of a queue if it exists, without creating it.
	 * @param queue the application's queue name
	 * @return the queue URL, or {@code null} if there is no such queue
	 */
	@Nullable String existingUrl(String queue) {
		String name = sqsName(queue);
		String url = this.urls.get(name);
		if (url != null) {
			return url;
		}
		try {
			url = this.client.getQueueUrl((request) -> request.queueName(name)).queueUrl();
		}
		catch (QueueDoesNotExistException ex) {
			return null;
		}
		this.urls.put(name, url);
		return url;
	}

	/**
	 * Forget a queue's URL, after SQS said the queue does not exist (deleted behind our back): the next use
	 * creates it again.
	 * @param queue the application's queue name
	 */
	void forget(String queue) {
		this.urls.remove(sqsName(queue));
	}

	private String lookUpOrCreate(String name) {
		try {
			return this.client.getQueueUrl((request) -> request.queueName(name)).queueUrl();
		}
		catch (QueueDoesNotExistException ex) {
			Map<QueueAttributeName, String> attributes = new java.util.HashMap<>();
			attributes.put(QueueAttributeName.VISIBILITY_TIMEOUT, Long.toString(this.visibilityTimeout.toSeconds()));
			if (name.endsWith(FIFO)) {
				attributes.put(QueueAttributeName.FIFO_QUEUE, "true");
			}
			return this.client.createQueue((request) -> request.queueName(name).attributes(attributes)).queueUrl();
		}
	}

}
