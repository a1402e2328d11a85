package dev.taskqueue.sqs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;

/**
 * Acknowledgements, SQS's {@code DeleteMessage}, sent in batches ({@code DeleteMessageBatch}, up to 10 a call) by
 * a thread of their own: it takes the next ack as soon as there is one and every ack queued behind it, so an idle
 * broker deletes at once and a busy one in batches, and the worker's threads never wait for a round trip. An ack
 * SQS refuses (its message already back in the queue after the visibility timeout) is logged: the message is
 * delivered again, as SQS's at-least-once allows.
 */
final class SqsDeletes implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(SqsDeletes.class);

	private static final int MAX_BATCH = 10;

	private final SqsClient client;

	private final BlockingQueue<Delete> pending = new LinkedBlockingQueue<>();

	private final Thread thread;

	private volatile boolean running = true;

	SqsDeletes(SqsClient client) {
		this.client = client;
		this.thread = new Thread(this::run, "taskqueue-sqs-acks");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	/**
	 * Delete a received message, soon.
	 * @param queueUrl its queue
	 * @param receiptHandle the receipt handle of its delivery
	 */
	void delete(String queueUrl, String receiptHandle) {
		this.pending.add(new Delete(queueUrl, receiptHandle));
	}

	private void run() {
		while (this.running || !this.pending.isEmpty()) {
			try {
				Delete first = this.pending.poll(100, TimeUnit.MILLISECONDS);
				if (first != null) {
					List<Delete> batch = new ArrayList<>(MAX_BATCH);
					batch.add(first);
					this.pending.drainTo(batch, MAX_BATCH - 1);
					send(batch);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (RuntimeException ex) {
				logger.warn("Could not acknowledge messages in SQS; they are delivered again after their visibility "
						+ "timeout: {}", ex.toString());
			}
		}
	}

	private void send(List<Delete> batch) {
		Map<String, List<DeleteMessageBatchRequestEntry>> byQueue = new LinkedHashMap<>();
		for (Delete delete : batch) {
			List<DeleteMessageBatchRequestEntry> entries = byQueue.computeIfAbsent(delete.queueUrl(),
					(url) -> new ArrayList<>());
			entries.add(DeleteMessageBatchRequestEntry.builder()
				.id(Integer.toString(entries.size()))
				.receiptHandle(delete.receiptHandle())
				.build());
		}
		byQueue.forEach((url, entries) -> {
			DeleteMessageBatchResponse response = this.client
				.deleteMessageBatch((request) -> request.queueUrl(url).entries(entries));
			response.failed()
				.forEach((failure) -> logger.warn("SQS refused the acknowledgement of a message from {}: {} {}; it "
						+ "is delivered again", url, failure.code(), failure.message()));
		});
	}

	/**
	 * Send the acks queued so far, then stop.
	 */
	@Override
	public void close() {
		this.running = false;
		try {
			this.thread.join(10_000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private record Delete(String queueUrl, String receiptHandle) {
	}

}
