package dev.taskqueue.broker.memory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.taskqueue.MovableClock;

import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.DeadLetterQueueContract;
import dev.taskqueue.broker.DeadLetterRetention;
import dev.taskqueue.broker.Subscription;
import dev.taskqueue.protocol.Envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The in-memory broker lists, redrives, purges and bounds its dead letters as every broker does, and drops
 * those too old on its own, without a reject to trigger it.
 */
class InMemoryDeadLetterQueueTests extends DeadLetterQueueContract {

	@Override
	protected Broker createBroker() {
		return new InMemoryBroker();
	}

	@Override
	protected Broker createBroker(DeadLetterRetention retention, Clock clock) {
		return new InMemoryBroker(clock, retention);
	}

	@Override
	protected void close(Broker broker) {
		((InMemoryBroker) broker).close();
	}

	@Test
	void theTimersPassDropsDeadLettersTooOldWithoutAReject() {
		MovableClock clock = new MovableClock(Instant.now());
		try (InMemoryBroker broker = new InMemoryBroker(clock, new DeadLetterRetention(10, Duration.ofHours(1)))) {
			broker.publish("old", new Envelope("[[], {}, {}]".getBytes(StandardCharsets.UTF_8), "application/json",
					"utf-8", Map.of("task", "t", "id", "o1"), "o1", null, 0, null));
			Subscription subscription = broker.subscribe(List.of("old"), 1, (delivery) -> delivery.reject("poison"));
			await().until(() -> broker.deadLetters().size() == 1);
			subscription.cancel();
			broker.expireDeadLetters();
			assertThat(broker.deadLetters()).hasSize(1);
			clock.advance(Duration.ofHours(2));
			broker.expireDeadLetters();
			assertThat(broker.deadLetters()).isEmpty();
		}
	}

}
