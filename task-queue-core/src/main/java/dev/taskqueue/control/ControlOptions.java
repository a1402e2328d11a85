package dev.taskqueue.control;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * How a remote-control command is sent and its replies collected: the keywords of Celery's
 * {@code app.control.broadcast} and {@code app.control.inspect(...)}. Immutable; start from {@link #defaults()}
 * and chain the {@code with} methods:
 * <pre>{@code
 * control.inspect(ControlOptions.defaults().withDestination("w1@host").withTimeout(Duration.ofSeconds(3))).active();
 * }</pre>
 * Replies are collected as kombu collects them: until no reply has come for {@code timeout}, or {@code limit}
 * replies have come. With a destination and no limit, the limit is the number of workers named, so the call
 * returns as soon as each has answered.
 *
 * @param destination the workers' names (Celery's {@code destination}); empty for every worker
 * @param timeout how long to wait for the next reply (Celery's {@code timeout}, 1 s by default); also how long
 * the command stays valid, as Celery stamps it to expire then
 * @param limit stop after this many replies (Celery's {@code limit}), or {@code null}
 * @param pattern a pattern the workers' names must match (Celery's {@code pattern}), or {@code null}
 * @param matcher how {@code pattern} matches: {@code glob} or {@code pcre} (Celery's {@code matcher}), or
 * {@code null}
 */
public record ControlOptions(List<String> destination, Duration timeout, @Nullable Integer limit,
		@Nullable String pattern, @Nullable String matcher) {

	/** Celery's default timeout, {@code timeout=1.0}. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);

	private static final ControlOptions DEFAULTS = new ControlOptions(List.of(), DEFAULT_TIMEOUT, null, null, null);

	/**
	 * Check and copy the options.
	 */
	public ControlOptions {
		destination = List.copyOf(destination);
		if (timeout.isNegative() || timeout.isZero()) {
			throw new IllegalArgumentException("timeout must be positive, was " + timeout);
		}
		if (limit != null && limit < 1) {
			throw new IllegalArgumentException("limit must be at least 1, was " + limit);
		}
		if ((pattern == null) != (matcher == null)) {
			throw new IllegalArgumentException("pattern and matcher go together");
		}
	}

	/**
	 * Every worker, Celery's timeout of one second, no limit.
	 * @return the default options
	 */
	public static ControlOptions defaults() {
		return DEFAULTS;
	}

	/**
	 * Address only these workers (Celery's {@code destination=[...]}).
	 * @param nodenames the workers' names, such as {@code celery@host}; none for every worker
	 * @return new options
	 */
	public ControlOptions withDestination(String... nodenames) {
		return new ControlOptions(List.of(nodenames), this.timeout, this.limit, this.pattern, this.matcher);
	}

	/**
	 * Wait this long for each next reply.
	 * @param timeout the timeout
	 * @return new options
	 */
	public ControlOptions withTimeout(Duration timeout) {
		return new ControlOptions(this.destination, timeout, this.limit, this.pattern, this.matcher);
	}

	/**
	 * Stop collecting after this many replies.
	 * @param limit the number of replies
	 * @return new options
	 */
	public ControlOptions withLimit(int limit) {
		return new ControlOptions(this.destination, this.timeout, limit, this.pattern, this.matcher);
	}

	/**
	 * Address the workers whose names match a pattern (Celery's {@code pattern=..., matcher=...}).
	 * @param pattern the pattern
	 * @param matcher {@code glob} or {@code pcre}
	 * @return new options
	 */
	public ControlOptions withPattern(String pattern, String matcher) {
		return new ControlOptions(this.destination, this.timeout, this.limit, pattern, matcher);
	}

	/**
	 * The number of replies to wait for: the limit, else the number of workers named, else none.
	 * @return the limit, or {@code null} to wait until the timeout
	 */
	@Nullable Integer replyLimit() {
		if (this.limit != null) {
			return this.limit;
		}
		return this.destination.isEmpty() ? null : this.destination.size();
	}

}
