package dev.taskqueue.redis;

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

	private final CoalescedRuns<Claim, Boolean> runs;

	/**
	 * Create the acks of a broker.
	 * @param redis where the acks are sent, without waiting
	 * @param scripts the broker's scripts
	 * @param keys the broker's keys
	 */
	RedisAcks(AsyncRedis redis, RedisBrokerScripts scripts, RedisKeys keys) {
		this((args) -> redis.evalList(scripts.ack, keys.claimKeys(), args));
	}

	/**
	 * Create acks sent by a function.
	 * @param script runs {@code ack.lua} for pairs of a tag and its claim, returning the tags whose claim was gone
	 */
	RedisAcks(Function<String[], CompletableFuture<List<String>>> script) {
		this.runs = new CoalescedRuns<>((claims) -> script.apply(claims.stream()
			.flatMap((claim) -> java.util.stream.Stream.of(claim.tag(), claim.member()))
			.toArray(String[]::new)).thenApply((lost) -> {
				Set<String> gone = Set.copyOf(lost);
				return claims.stream().map((claim) -> gone.contains(claim.tag())).toList();
			}), MAX_BATCH);
	}

	/**
	 * Ack a message: now, or with the next run if one is under way.
	 * @param tag its delivery tag
	 * @param claim its claim's member in {@link RedisKeys#claims()}
	 * @param outcome told if the ack failed or came too late
	 */
	void ack(String tag, String claim, Outcome outcome) {
		this.runs.submit(new Claim(tag, claim)).whenComplete((lost, failure) -> {
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

	private record Claim(String tag, String member) {
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
