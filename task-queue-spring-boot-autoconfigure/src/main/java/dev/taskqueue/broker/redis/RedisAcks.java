package dev.taskqueue.broker.redis;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The acks of one broker, sent as few {@code ack.lua} runs as possible without holding any back (see
 * {@link CoalescedRuns}): at rest every ack is sent at once; under load one run acks a batch of messages.
 * An ack is therefore not always sent before a command the application sends after it; it is sent within a
 * round trip, and {@link #awaitSent(Duration)} waits for every ack made so far, which a closing broker does.
 */
final class RedisAcks {

	private static final int MAX_BATCH = 256;

	private final CoalescedRuns<String, Boolean> runs;

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
		this.runs = new CoalescedRuns<>((tags) -> script.apply(tags.toArray(String[]::new)).thenApply((lost) -> {
			Set<String> gone = Set.copyOf(lost);
			return tags.stream().map(gone::contains).toList();
		}), MAX_BATCH);
	}

	/**
	 * Ack a message: now, or with the next run if one is under way.
	 * @param tag its delivery tag
	 * @param outcome told if the ack failed or came too late
	 */
	void ack(String tag, Outcome outcome) {
		this.runs.submit(tag).whenComplete((lost, failure) -> {
			if (failure != null) {
				outcome.failed(failure);
			}
			else if (lost) {
				outcome.lost();
			}
		});
	}

	/**
	 * Wait until every ack made so far has been sent and answered.
	 * @param timeout how long to wait at most
	 * @return whether they all were
	 * @throws InterruptedException if interrupted while waiting
	 */
	boolean awaitSent(Duration timeout) throws InterruptedException {
		return this.runs.awaitIdle(timeout);
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

}
