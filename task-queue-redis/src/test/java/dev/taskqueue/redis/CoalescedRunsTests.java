package dev.taskqueue.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Items go at once when no run is under way, and together with the next run when one is, at most
 * {@code maxBatch} at a time; each gets its own result, or its run's failure.
 */
class CoalescedRunsTests {

	private final List<List<String>> runs = new ArrayList<>();

	private final List<CompletableFuture<List<Integer>>> replies = new ArrayList<>();

	private final CoalescedRuns<String, Integer> coalesced = new CoalescedRuns<>((items) -> {
		CompletableFuture<List<Integer>> reply = new CompletableFuture<>();
		this.runs.add(items);
		this.replies.add(reply);
		return reply;
	}, 3);

	@Test
	void anItemAtRestIsSentAtOnceAndGetsItsResult() throws Exception {
		CompletableFuture<Integer> result = this.coalesced.submit("a");
		assertThat(this.runs).containsExactly(List.of("a"));
		assertThat(result).isNotDone();
		assertThat(this.coalesced.awaitIdle(Duration.ZERO)).isFalse();

		this.replies.get(0).complete(List.of(1));

		assertThat(result).isCompletedWithValue(1);
		assertThat(this.coalesced.awaitIdle(Duration.ZERO)).isTrue();
	}

	@Test
	void itemsSubmittedWhileARunIsUnderWayGoTogetherInBatchesOfAtMostMaxBatch() {
		List<CompletableFuture<Integer>> results = new ArrayList<>();
		for (String item : List.of("a", "b", "c", "d", "e")) {
			results.add(this.coalesced.submit(item));
		}
		assertThat(this.runs).containsExactly(List.of("a"));

		this.replies.get(0).complete(List.of(1));
		assertThat(this.runs).containsExactly(List.of("a"), List.of("b", "c", "d"));
		this.replies.get(1).complete(List.of(2, 3, 4));
		assertThat(this.runs).containsExactly(List.of("a"), List.of("b", "c", "d"), List.of("e"));
		this.replies.get(2).complete(List.of(5));

		assertThat(results).extracting(CompletableFuture::join).containsExactly(1, 2, 3, 4, 5);
		this.coalesced.submit("f");
		assertThat(this.runs).hasSize(4);
	}

	@Test
	void aFailedRunFailsItsItemsOnlyAndTheNextRunStillGoes() {
		CompletableFuture<Integer> first = this.coalesced.submit("a");
		CompletableFuture<Integer> second = this.coalesced.submit("b");
		this.replies.get(0).completeExceptionally(new IllegalStateException("Redis is gone"));
		this.replies.get(1).complete(List.of(2));

		assertThat(first).isCompletedExceptionally();
		assertThat(first.handle((value, failure) -> failure).join()).hasMessage("Redis is gone");
		assertThat(second).isCompletedWithValue(2);
	}

	@Test
	void aRunThatGivesTheWrongNumberOfResultsFailsItsItems() {
		CompletableFuture<Integer> result = this.coalesced.submit("a");
		this.replies.get(0).complete(List.of(1, 2));
		assertThat(result).isCompletedExceptionally();
	}

	@Test
	void aBatchHoldsAtLeastOneItem() {
		assertThatIllegalArgumentException().isThrownBy(() -> new CoalescedRuns<String, Integer>(
				(items) -> CompletableFuture.completedFuture(List.of()), 0));
	}

}
