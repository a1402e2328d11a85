package dev.taskqueue.sqs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

import dev.taskqueue.broker.BrokerException;

/**
 * Sends without waiting ({@code Broker.publishAsync}), in batches ({@code SendMessageBatch}, up to 10 a call) by a
 * few threads of their own: each takes the next send as soon as there is one and the sends queued behind it for the
 * same queue, so one producer can have many messages in flight and SQS sees a tenth of the calls. A send's future
 * completes when SQS has taken its message, or fails with a {@link BrokerException} with SQS's reason.
 */
final class SqsSends implements AutoCloseable {

	private static final int MAX_BATCH = 10;

	private static final int THREADS = 4;

	private final SqsClient client;

	private final BlockingQueue<Send> pending = new LinkedBlockingQueue<>();

	private final List<Thread> threads = new ArrayList<>();

	private volatile boolean running = true;

	SqsSends(SqsClient client) {
		this.client = client;
		for (int i = 0; i < THREADS; i++) {
			Thread thread = new Thread(this::run, "taskqueue-sqs-sends-" + i);
			thread.setDaemon(true);
			thread.start();
			this.threads.add(thread);
		}
	}

	/**
	 * Send a message, soon.
	 * @param request the message, as one {@code SendMessage} would send it
	 * @param what what is sent, for the error
	 * @return completed when SQS has the message
	 */
	CompletableFuture<Void> send(SendMessageRequest request, String what) {
		CompletableFuture<Void> sent = new CompletableFuture<>();
		if (!this.running) {
			sent.completeExceptionally(new BrokerException("Could not " + what + ": the broker is closed"));
			return sent;
		}
		this.pending.add(new Send(request, what, sent));
		return sent;
	}

	private void run() {
		while (this.running || !this.pending.isEmpty()) {
			List<Send> batch = new ArrayList<>(MAX_BATCH);
			try {
				Send first = this.pending.poll(100, TimeUnit.MILLISECONDS);
				if (first == null) {
					continue;
				}
				batch.add(first);
				this.pending.drainTo(batch, MAX_BATCH - 1);
				send(batch);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				batch.forEach((send) -> send.sent().completeExceptionally(
						new BrokerException("Could not " + send.what() + ": interrupted", ex)));
				return;
			}
			catch (RuntimeException ex) {
				batch.forEach((send) -> send.sent().completeExceptionally(failure(send, ex)));
			}
		}
	}

	private void send(List<Send> batch) {
		Map<String, List<Send>> byQueue = new LinkedHashMap<>();
		batch.forEach((send) -> byQueue.computeIfAbsent(send.request().queueUrl(), (url) -> new ArrayList<>()).add(send));
		byQueue.forEach((url, sends) -> {
			List<SendMessageBatchRequestEntry> entries = new ArrayList<>(sends.size());
			for (int i = 0; i < sends.size(); i++) {
				SendMessageRequest request = sends.get(i).request();
				entries.add(SendMessageBatchRequestEntry.builder()
					.id(Integer.toString(i))
					.messageBody(request.messageBody())
					.delaySeconds(request.delaySeconds())
					.messageAttributes(request.messageAttributes())
					.messageGroupId(request.messageGroupId())
					.messageDeduplicationId(request.messageDeduplicationId())
					.build());
			}
			try {
				SendMessageBatchResponse response = this.client
					.sendMessageBatch((request) -> request.queueUrl(url).entries(entries));
				response.successful().forEach((ok) -> sends.get(Integer.parseInt(ok.id())).sent().complete(null));
				response.failed().forEach((failed) -> {
					Send send = sends.get(Integer.parseInt(failed.id()));
					send.sent().completeExceptionally(new BrokerException("Could not " + send.what() + " in SQS: "
							+ failed.code() + " " + failed.message()));
				});
			}
			catch (SdkException ex) {
				sends.forEach((send) -> send.sent().completeExceptionally(failure(send, ex)));
			}
		});
	}

	private static BrokerException failure(Send send, RuntimeException ex) {
		return new BrokerException("Could not " + send.what() + " in SQS: " + ex.getMessage(), ex);
	}

	/**
	 * Send what is queued, then stop.
	 */
	@Override
	public void close() {
		this.running = false;
		for (Thread thread : this.threads) {
			try {
				thread.join(10_000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	private record Send(SendMessageRequest request, String what, CompletableFuture<Void> sent) {
	}

}
