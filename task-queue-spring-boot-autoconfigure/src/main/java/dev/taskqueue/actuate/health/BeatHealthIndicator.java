package dev.taskqueue.actuate.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

import dev.taskqueue.beat.BeatSchedule;
import dev.taskqueue.beat.BeatStatus;

/**
 * The {@code beat} entry of {@code taskQueue}, in an application that runs the beat: whether it leads or follows,
 * who leads, when it last looked at its schedule, and how many entries it has.
 * <ul>
 * <li>UP: the scheduler ticks and reaches its store; leading or following are both healthy.</li>
 * <li>DOWN: it cannot reach its store (the broker), or it has not ticked for three leases (at least 30 seconds):
 * its thread is stuck.</li>
 * <li>OUT_OF_SERVICE: it is not running (starting or stopping).</li>
 * </ul>
 * Reads the scheduler's own state; on Redis, a follower also asks who leads.
 */
public class BeatHealthIndicator implements HealthIndicator {

	private static final Duration MIN_STALE = Duration.ofSeconds(30);

	private final BeatSchedule beat;

	private final Clock clock;

	/**
	 * Create the indicator.
	 * @param beat the application's beat
	 * @param clock the clock its last tick is compared with
	 */
	public BeatHealthIndicator(BeatSchedule beat, Clock clock) {
		this.beat = beat;
		this.clock = clock;
	}

	@Override
	public Health health() {
		BeatStatus status = this.beat.status();
		Health.Builder health = Health.status(status(status));
		health.withDetail("leading", status.leading());
		health.withDetail("owner", status.owner());
		if (status.leader() != null) {
			health.withDetail("leader", status.leader());
		}
		if (status.lastTick() != null) {
			health.withDetail("lastTick", status.lastTick().toString());
		}
		health.withDetail("entries", status.entries().size());
		if (status.storeError() != null) {
			health.withDetail("error", status.storeError());
		}
		return health.build();
	}

	private Status status(BeatStatus status) {
		if (!status.running()) {
			return Status.OUT_OF_SERVICE;
		}
		if (status.storeError() != null) {
			return Status.DOWN;
		}
		Duration stale = status.lease().multipliedBy(3);
		if (stale.compareTo(MIN_STALE) < 0) {
			stale = MIN_STALE;
		}
		Instant lastTick = status.lastTick();
		boolean ticking = lastTick == null || !lastTick.plus(stale).isBefore(this.clock.instant());
		return ticking ? Status.UP : Status.DOWN;
	}

}
