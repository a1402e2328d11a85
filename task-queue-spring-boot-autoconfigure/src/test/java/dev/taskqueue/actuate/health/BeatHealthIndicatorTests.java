package dev.taskqueue.actuate.health;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import dev.taskqueue.MovableClock;
import dev.taskqueue.beat.BeatEntry;
import dev.taskqueue.beat.BeatSchedule;
import dev.taskqueue.beat.BeatStatus;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code beat} entry of {@code taskQueue}: UP whether leading or following, DOWN when the store is out of reach
 * or the scheduler stopped ticking, OUT_OF_SERVICE while it is not running.
 */
class BeatHealthIndicatorTests {

	private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");

	private final MovableClock clock = new MovableClock(NOW);

	@Test
	void aLeaderThatTicksIsUpAndSaysSo() {
		Health health = health(status(true, true, NOW, null));
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("leading", true)
			.containsEntry("owner", "beat-1@host")
			.containsEntry("leader", "beat-1@host")
			.containsEntry("lastTick", NOW.toString())
			.containsEntry("entries", 1);
	}

	@Test
	void aFollowerIsUpToo() {
		Health health = health(status(true, false, NOW, null));
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("leading", false);
	}

	@Test
	void aSchedulerThatCannotReachItsStoreIsDownWithTheReason() {
		Health health = health(status(true, true, NOW, "RedisConnectionFailureException: refused"));
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("error", "RedisConnectionFailureException: refused");
	}

	@Test
	void aSchedulerThatStoppedTickingIsDownAfterThreeLeasesOrThirtySeconds() {
		BeatStatus status = status(true, true, NOW, null);
		this.clock.advance(Duration.ofSeconds(30));
		assertThat(health(status).getStatus()).isEqualTo(Status.UP);
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(health(status).getStatus()).isEqualTo(Status.DOWN);
	}

	@Test
	void aSchedulerThatIsNotRunningIsOutOfService() {
		assertThat(health(status(false, false, null, null)).getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
	}

	private Health health(BeatStatus status) {
		return new BeatHealthIndicator(new FixedBeat(status), this.clock).health();
	}

	private static BeatStatus status(boolean running, boolean leading, Instant lastTick, String error) {
		return new BeatStatus(running, leading, "beat-1@host", leading ? "beat-1@host" : "beat-2@host", lastTick,
				"UTC", Duration.ofSeconds(10), error,
				List.of(new BeatStatus.Entry("tick", "sample.echo", "every PT1S", "configuration", null, null)));
	}

	/**
	 * A beat that says what the test says.
	 */
	private record FixedBeat(BeatStatus status) implements BeatSchedule {

		@Override
		public void put(BeatEntry entry) {
		}

		@Override
		public void remove(String name) {
		}

		@Override
		public Map<String, BeatEntry> entries() {
			return Map.of();
		}

		@Override
		public ZoneId timezone() {
			return ZoneId.of("UTC");
		}

	}

}
