package dev.taskqueue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock for tests that stands still until moved, in UTC.
 */
public final class MovableClock extends Clock {

	private volatile Instant now;

	/**
	 * Create a clock.
	 * @param now the time it shows
	 */
	public MovableClock(Instant now) {
		this.now = now;
	}

	/**
	 * Move the clock forward.
	 * @param duration by how much
	 */
	public void advance(Duration duration) {
		this.now = this.now.plus(duration);
	}

	@Override
	public Instant instant() {
		return this.now;
	}

	@Override
	public ZoneId getZone() {
		return ZoneOffset.UTC;
	}

	@Override
	public Clock withZone(ZoneId zone) {
		return this;
	}

}
