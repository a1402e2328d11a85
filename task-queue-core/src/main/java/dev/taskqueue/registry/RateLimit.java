package dev.taskqueue.registry;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * A task's rate limit, written as Celery writes it: {@code 10/s}, {@code 100/m}, {@code 1000/h}, or a bare
 * number of tasks per second.
 *
 * @param permits how many tasks may start
 * @param per in how long
 */
public record RateLimit(long permits, Duration per) {

	/**
	 * Check the limit.
	 */
	public RateLimit {
		if (permits < 1 || per.isZero() || per.isNegative()) {
			throw new IllegalArgumentException("a rate limit needs a positive number of tasks per positive time");
		}
	}

	/**
	 * Read a rate limit.
	 * @param text {@code 10/s}, {@code 100/m}, {@code 1000/h} or {@code 10}
	 * @return the limit
	 * @throws IllegalArgumentException if the text is not a rate
	 */
	public static RateLimit parse(String text) {
		String trimmed = text.trim();
		int slash = trimmed.indexOf('/');
		try {
			long permits = Long.parseLong((slash < 0) ? trimmed : trimmed.substring(0, slash).trim());
			Duration per = (slash < 0) ? Duration.ofSeconds(1) : switch (trimmed.substring(slash + 1).trim()) {
				case "s" -> Duration.ofSeconds(1);
				case "m" -> Duration.ofMinutes(1);
				case "h" -> Duration.ofHours(1);
				default -> throw new IllegalArgumentException("unknown unit");
			};
			return new RateLimit(permits, per);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("'" + text + "' is not a rate limit: write 10/s, 100/m or 1000/h", ex);
		}
	}

	/**
	 * The limit as Celery writes it: {@code 10/s}, {@code 100/m}, {@code 1000/h}; a limit over another time as
	 * tasks per second ({@code 0.5/s}), which {@link #parse(String)} does not read back.
	 * @return the text
	 */
	public String text() {
		if (this.per.equals(Duration.ofSeconds(1))) {
			return this.permits + "/s";
		}
		if (this.per.equals(Duration.ofMinutes(1))) {
			return this.permits + "/m";
		}
		if (this.per.equals(Duration.ofHours(1))) {
			return this.permits + "/h";
		}
		return BigDecimal.valueOf(this.permits * 1e9 / this.per.toNanos()).stripTrailingZeros().toPlainString()
				+ "/s";
	}

	/**
	 * The time between two starts at this rate.
	 * @return the interval
	 */
	public Duration interval() {
		return this.per.dividedBy(this.permits);
	}

}
