package dev.taskqueue.broker.memory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.taskqueue.broker.DeadLetter;
import dev.taskqueue.broker.Delivery;
import dev.taskqueue.protocol.Envelope;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The in-memory broker lists, redrives and purges its dead letters.
 */
class InMemoryDeadLetterQueueTests {

	private static final Duration WAIT = Duration.ofSeconds(5);

	private final InMemoryBroker broker = new InMemoryBroker();

	@AfterEach
	void close() {
		this.broker.close();
	}

	@Test
	void listFiltersByQueueAndLimit() throws Exception {
		deadLetter("a", "a1");
		deadLetter("a", "a2");
		deadLetter("b", "b1");
		assertThat(this.broker.listDeadLetters("a", 10)).extracting((letter) -> letter.envelope().correlationId())
			.containsExactly("a1", "a2");
		assertThat(this.broker.listDeadLetters(null, 10)).hasSize(3);
		assertThat(this.broker.listDeadLetters(null, 1)).extracting(DeadLetter::queue).containsExactly("a");
		assertThat(this.broker.listDeadLetters("a", 10)).extracting(DeadLetter::reason).containsOnly("poison");
	}

	@Test
	void redriveOnePublishesTheOriginalBackAndRemovesIt() throws Exception {
		deadLetter("a", "a1");
		DeadLetter letter = this.broker.listDeadLetters("a", 1).get(0);
		assertThat(this.broker.redriveDeadLetter(letter.id())).isTrue();
		assertThat(this.broker.redriveDeadLetter(letter.id())).isFalse();
		assertThat(this.broker.listDeadLetters(null, 10)).isEmpty();
		Delivery delivery = this.broker.poll(List.of("a"), WAIT);
		assertThat(delivery).isNotNull();
		assertThat(delivery.envelope().body()).isEqualTo(letter.envelope().body());
		assertThat(delivery.envelope().headers()).isEqualTo(letter.envelope().headers());
		delivery.ack();
	}

	@Test
	void redriveAllOfAQueueLeavesOtherQueues() throws Exception {
		deadLetter("a", "a1");
		deadLetter("a", "a2");
		deadLetter("b", "b1");
		assertThat(this.broker.redriveDeadLetters("a")).isEqualTo(2);
		assertThat(this.broker.size("a")).isEqualTo(2);
		assertThat(this.broker.listDeadLetters(null, 10)).extracting(DeadLetter::queue).containsExactly("b");
	}

	@Test
	void purgeRemovesWithoutPublishing() throws Exception {
		deadLetter("a", "a1");
		deadLetter("a", "a2");
		deadLetter("b", "b1");
		assertThat(this.broker.purgeDeadLetter(this.broker.listDeadLetters("a", 1).get(0).id())).isTrue();
		assertThat(this.broker.purgeDeadLetters(null)).isEqualTo(2);
		assertThat(this.broker.listDeadLetters(null, 10)).isEmpty();
		assertThat(this.broker.size("a")).isZero();
	}

	private void deadLetter(String queue, String id) throws InterruptedException {
		Map<String, Object> headers = new LinkedHashMap<>();
		headers.put("task", "deadletters.task");
		headers.put("id", id);
		this.broker.publish(queue, new Envelope("[[], {}, {}]".getBytes(StandardCharsets.UTF_8), "application/json",
				"utf-8", headers, id, null, 0, null));
		this.broker.poll(List.of(queue), WAIT).reject("poison");
	}

}
