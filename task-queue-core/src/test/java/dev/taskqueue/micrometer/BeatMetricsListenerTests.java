package dev.taskqueue.micrometer;

import java.time.Duration;
import java.time.Instant;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import dev.taskqueue.beat.BeatEntry;
import dev.taskqueue.beat.Schedule;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code taskqueue.beat.sent}: one count per fire time sent, by entry.
 */
class BeatMetricsListenerTests {

	@Test
	void eachSendIsCountedUnderItsEntry() {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		BeatMetricsListener listener = new BeatMetricsListener(registry);
		BeatEntry tick = BeatEntry.of("tick", "sample.echo", Schedule.every(Duration.ofSeconds(1)));
		BeatEntry nightly = BeatEntry.of("nightly", "reports.render", Schedule.every(Duration.ofDays(1)));
		Instant now = Instant.parse("2024-05-01T12:00:00Z");
		listener.sent(tick, now, "a");
		listener.sent(tick, now.plusSeconds(1), "b");
		listener.sent(nightly, now, "c");
		assertThat(registry.get("taskqueue.beat.sent").tag("entry", "tick").counter().count()).isEqualTo(2);
		assertThat(registry.get("taskqueue.beat.sent").tag("entry", "nightly").counter().count()).isEqualTo(1);
	}

}
