package dev.taskqueue.protocol;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * The {@code timelimit} header: Celery sends it as {@code [hard, soft]} seconds, either of which may be null.
 *
 * @param hard the hard limit, or {@code null}
 * @param soft the soft limit, or {@code null}
 */
public record TimeLimit(@Nullable Duration hard, @Nullable Duration soft) {

	/** No limits: {@code [null, null]}. */
	public static final TimeLimit NONE = new TimeLimit(null, null);

}
