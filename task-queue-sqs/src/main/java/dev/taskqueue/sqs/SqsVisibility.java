package dev.taskqueue.sqs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;

import dev.taskqueue.broker.LoopStep;

/**
 * The heartbeat of the messages the broker holds unsettled: SQS delivers a received message again once its
 * visibility timeout has passed, so every so often (a third of the timeout) the visibility of each message held
 * longer than half the timeout is extended by the whole timeout again ({@code ChangeMessageVisibilityBatch}). A
 * task that runs for hours keeps its message; a worker that dies stops the heartbeat, and its messages reappear
 * within one timeout. SQS caps a message's visibility at 12 hours from its receipt: a message held longer is
 * delivered again (logged).
 */
final class SqsVisibility implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(SqsVisibility.class);

	private static final int MAX_BATCH = 10;

	private final SqsClient client;

	private final Duration timeout;

	private final Set<SqsDelivery> held = ConcurrentHashMap.newKeySet();

	private final ScheduledExecutorService scheduler;

	SqsVisibility(SqsClient client, Duration timeout) {
		this.client = client;
		this.timeout = timeout;
		this.scheduler = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "taskqueue-sqs-visibility");
			thread.setDaemon(true);
			return thread;
		});
		long period = Math.max(200, timeout.toMillis() / 3);
		this.scheduler.scheduleWithFixedDelay(() -> LoopStep.run("Extending the visibility of SQS messages",
				this::extend), period, period, TimeUnit.MILLISECONDS);
	}

	/**
	 * Keep a delivery's message invisible until it is settled.
	 * @param delivery the delivery, just received
	 */
	void hold(SqsDelivery delivery) {
		this.held.add(delivery);
	}

	/**
	 * Stop keeping a delivery's message.
	 * @param delivery the settled delivery
	 */
	void release(SqsDelivery delivery) {
		this.held.remove(delivery);
	}

	private void extend() {
		long now = System.nanoTime();
		long soon = now + this.timeout.toNanos() / 2;
		Map<String, List<SqsDelivery>> due = new LinkedHashMap<>();
		for (SqsDelivery delivery : this.held) {
			if (delivery.isSettled()) {
				this.held.remove(delivery);
			}
			else if (delivery.visibleAgainAt() - soon <= 0) {
				due.computeIfAbsent(delivery.queueUrl(), (url) -> new ArrayList<>()).add(delivery);
			}
		}
		due.forEach((url, deliveries) -> {
			for (int from = 0; from < deliveries.size(); from += MAX_BATCH) {
				extend(url, deliveries.subList(from, Math.min(from + MAX_BATCH, deliveries.size())), now);
			}
		});
	}

	private void extend(String url, List<SqsDelivery> deliveries, long now) {
		List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
		for (int i = 0; i < deliveries.size(); i++) {
			entries.add(ChangeMessageVisibilityBatchRequestEntry.builder()
				.id(Integer.toString(i))
				.receiptHandle(deliveries.get(i).receiptHandle())
				.visibilityTimeout((int) this.timeout.toSeconds())
				.build());
		}
		var response = this.client.changeMessageVisibilityBatch((request) -> request.queueUrl(url).entries(entries));
		response.successful()
			.forEach((ok) -> deliveries.get(Integer.parseInt(ok.id())).visibleUntil(now + this.timeout.toNanos()));
		response.failed().forEach((failure) -> {
			SqsDelivery delivery = deliveries.get(Integer.parseInt(failure.id()));
			this.held.remove(delivery);
			logger.warn("Could not extend the visibility of message {} from queue '{}' ({} {}): SQS delivers it again",
					delivery.envelope().correlationId(), delivery.queue(), failure.code(), failure.message());
		});
	}

	@Override
	public void close() {
		this.scheduler.shutdownNow();
	}

}
