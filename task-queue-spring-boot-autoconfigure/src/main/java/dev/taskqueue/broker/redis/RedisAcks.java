package dev.taskqueue.broker.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The acks of one broker, sent as few {@code ack.lua} runs as possible without holding any back: an ack made
 * while another run is under way goes with the next one, sent as soon as that run replies. At rest every ack
 * is sent at once; under load one run acks a batch of messages instead of one each (Redis' time per script run
 * and the client's per command are paid per batch).
 * <p>
 * An ack is therefore not always sent before a command the application sends after it; it is sent within a
 * round trip, and {@link #awaitSent(Duration)} waits for every ack made so far, which a closing broker does.
 */
final class RedisAcks {

	private final Function<String[], CompletableFuture<List<String>>> script;

	private List<Pending> waiting = new ArrayList<>();

	private boolean sending;

	/**
	 * Create the acks of a broker.
	 * @param redis where the acks are sent, without waiting
	 * @param scripts the broker's scripts
	 * @param keys the broker's keys
	 */
	RedisAcks(AsyncRedis redis, RedisBrokerScripts scripts, RedisKeys keys) {
		this((tags) -> redis.evalList(scripts.ack, keys.claimKeys(), tags));
	}

	/**
	 * Create acks sent by a function.
	 * @param script runs {@code ack.lua} for some tags, returning the tags whose claim was gone
	 */
	RedisAcks(Function<String[], CompletableFuture<List<String>>> script) {
		this.script = script;
	}

	/**
	 * Ack a message: now, or with the next run if one is under way.
	 * @param tag its delivery tag
	 * @param outcome told if the ack failed or came too late
	 */
	void ack(String tag, Outcome outcome) {
		List<Pending> batch;
		synchronized (this) {
			this.waiting.add(new Pending(tag, outcome));
			if (this.sending) {
				return;
			}
			this.sending = true;
			batch = take();
		}
		send(batch);
	}

	private List<Pending> take() {
		List<Pending> batch = this.waiting;
		this.waiting = new ArrayList<>();
		return batch;
	}

	/**
	 * Send batches until none is waiting: in a loop while runs complete at once (a synchronous connection),
	 * from the reply's callback while they do not.
	 */
	private void send(List<Pending> batch) {
		while (batch != null) {
			CompletableFuture<List<String>> run = start(batch);
			if (!run.isDone()) {
				List<Pending> sent = batch;
				run.whenComplete((lost, failure) -> {
					report(sent, lost, failure);
					send(next());
				});
				return;
			}
			List<Pending> sent = batch;
			run.whenComplete((lost, failure) -> report(sent, lost, failure));
			batch = next();
		}
	}

	private CompletableFuture<List<String>> start(List<Pending> batch) {
		String[] tags = batch.stream().map(Pending::tag).toArray(String[]::new);
		try {
			return this.script.apply(tags);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	private void report(List<Pending> batch, List<String> lost, Throwable failure) {
		try {
			if (failure != null) {
				batch.forEach((pending) -> pending.outcome().failed(failure));
			}
			else if (lost != null && !lost.isEmpty()) {
				Set<String> gone = Set.copyOf(lost);
				batch.stream()
					.filter((pending) -> gone.contains(pending.tag()))
					.forEach((pending) -> pending.outcome().lost());
			}
		}
		catch (RuntimeException ex) {
			// a callback that failed must not stop the acks after it
		}
	}

	/** The next batch, or {@code null} (and no longer sending) when none is waiting. */
	private synchronized List<Pending> next() {
		if (this.waiting.isEmpty()) {
			this.sending = false;
			notifyAll();
			return null;
		}
		return take();
	}

	/**
	 * Wait until every ack made so far has been sent and answered.
	 * @param timeout how long to wait at most
	 * @return whether they all were
	 * @throws InterruptedException if interrupted while waiting
	 */
	synchronized boolean awaitSent(Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (this.sending) {
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				return false;
			}
			wait(Math.max(1, left / 1_000_000));
		}
		return true;
	}

	/**
	 * What an ack's sender is told when it did not go as planned.
	 */
	interface Outcome {

		/**
		 * The ack could not be sent or run.
		 * @param failure why
		 */
		void failed(Throwable failure);

		/**
		 * The claim was gone: the message had been restored to its queue before the ack.
		 */
		void lost();

	}

	private record Pending(String tag, Outcome outcome) {
	}

}
