package dev.taskqueue.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Acks go at once when none is under way, and together with the next run when one is; a lost claim and a
 * failed run are told to the ack's sender.
 */
class RedisAcksTests {

	private final List<String[]> runs = new ArrayList<>();

	private final List<CompletableFuture<List<String>>> replies = new ArrayList<>();

	private final RedisAcks acks = new RedisAcks((tags) -> {
		CompletableFuture<List<String>> reply = new CompletableFuture<>();
		this.runs.add(tags);
		this.replies.add(reply);
		return reply;
	});

	@Test
	void anAckAtRestIsSentAtOnce() throws Exception {
		this.acks.ack("t1", "c1", new Told());
		assertThat(this.runs).singleElement().satisfies((tags) -> assertThat(tags).containsExactly("t1", "c1"));
		assertThat(this.acks.awaitSent(Duration.ZERO)).isFalse();
		this.replies.get(0).complete(List.of());
		assertThat(this.acks.awaitSent(Duration.ZERO)).isTrue();
	}

	@Test
	void acksMadeWhileOneIsUnderWayGoTogetherWhenItReplies() throws Exception {
		this.acks.ack("t1", "c1", new Told());
		this.acks.ack("t2", "c2", new Told());
		this.acks.ack("t3", "c3", new Told());
		assertThat(this.runs).hasSize(1);

		this.replies.get(0).complete(List.of());

		assertThat(this.runs).hasSize(2);
		assertThat(this.runs.get(1)).containsExactly("t2", "c2", "t3", "c3");
		this.replies.get(1).complete(List.of());
		assertThat(this.acks.awaitSent(Duration.ZERO)).isTrue();
		this.acks.ack("t4", "c4", new Told());
		assertThat(this.runs).hasSize(3);
	}

	@Test
	void theSenderIsToldOfALostClaimAndOfAFailedRun() {
		Told first = new Told();
		Told second = new Told();
		Told third = new Told();
		this.acks.ack("t1", "c1", first);
		this.acks.ack("t2", "c2", second);
		this.acks.ack("t3", "c3", third);
		this.replies.get(0).completeExceptionally(new IllegalStateException("Redis is gone"));
		this.replies.get(1).complete(List.of("t3"));

		assertThat(first.failure).hasMessage("Redis is gone");
		assertThat(second.failure).isNull();
		assertThat(second.lost).isFalse();
		assertThat(third.lost).isTrue();
	}

	static final class Told implements RedisAcks.Outcome {

		Throwable failure;

		boolean lost;

		@Override
		public void failed(Throwable failure) {
			this.failure = failure;
		}

		@Override
		public void lost() {
			this.lost = true;
		}

	}

}
