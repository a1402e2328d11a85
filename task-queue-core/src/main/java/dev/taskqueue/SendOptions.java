package dev.taskqueue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Options for one sending of a task: Celery's {@code apply_async} keywords. Immutable; start from
 * {@link #defaults()} and chain the {@code with} methods:
 * <pre>{@code
 * client.withOptions(SendOptions.defaults().withQueue("reports").withCountdown(Duration.ofSeconds(30)))
 *       .send("reports.render", reportId);
 * }</pre>
 * Options given here win over routes, the {@link Task @Task} attributes and the default queue.
 *
 * @param taskId the id to give the task, or {@code null} for a new random UUID
 * @param queue the queue to send to, or {@code null} to route as configured
 * @param countdown run no sooner than this long after sending, or {@code null}
 * @param eta run no sooner than this instant, or {@code null}; wins over {@code countdown}
 * @param expiresIn a task still waiting this long after sending is not run but REVOKED, or {@code null}
 * @param expiresAt a task still waiting at this instant is not run but REVOKED, or {@code null}; wins over
 * {@code expiresIn}
 * @param priority the message priority, or {@code null} for the task's or none
 * @param headers extra message headers, carried at the top level of the protocol headers as Celery does
 * @param serializer the serializer ({@code json}, {@code msgpack}, {@code yaml}), or {@code null} to route as
 * configured
 * @param compression the compression ({@code zlib}, {@code gzip}, {@code bzip2}, {@code lzma}), or {@code null}
 */
public record SendOptions(@Nullable String taskId, @Nullable String queue, @Nullable Duration countdown,
		@Nullable Instant eta, @Nullable Duration expiresIn, @Nullable Instant expiresAt, @Nullable Integer priority,
		Map<String, @Nullable Object> headers, @Nullable String serializer, @Nullable String compression) {

	private static final SendOptions DEFAULTS = new SendOptions(null, null, null, null, null, null, null, Map.of(), null,
			null);

	/**
	 * Options that leave everything to the configuration.
	 */
	public SendOptions {
		// Celery allows None header values, and keeps the order headers were given in: Map.copyOf does neither
		headers = (headers != null) ? Collections.unmodifiableMap(new LinkedHashMap<>(headers)) : Map.of();
		if (priority != null && (priority < 0 || priority > 255)) {
			throw new IllegalArgumentException("priority must be between 0 and 255, was " + priority);
		}
		if (countdown != null && countdown.isNegative()) {
			throw new IllegalArgumentException("countdown must not be negative, was " + countdown);
		}
	}

	/**
	 * Options that leave everything to the configuration.
	 * @return the default options
	 */
	public static SendOptions defaults() {
		return DEFAULTS;
	}

	/**
	 * Give the task this id instead of a random one.
	 * @param taskId the id
	 * @return new options
	 */
	public SendOptions withTaskId(String taskId) {
		return new SendOptions(taskId, this.queue, this.countdown, this.eta, this.expiresIn, this.expiresAt,
				this.priority, this.headers, this.serializer, this.compression);
	}

	/**
	 * Send to this queue.
	 * @param queue the queue name
	 * @return new options
	 */
	public SendOptions withQueue(String queue) {
		return new SendOptions(this.taskId, queue, this.countdown, this.eta, this.expiresIn, this.expiresAt,
				this.priority, this.headers, this.serializer, this.compression);
	}

	/**
	 * Run no sooner than this long after sending.
	 * @param countdown the delay
	 * @return new options
	 */
	public SendOptions withCountdown(Duration countdown) {
		return new SendOptions(this.taskId, this.queue, countdown, this.eta, this.expiresIn, this.expiresAt,
				this.priority, this.headers, this.serializer, this.compression);
	}

	/**
	 * Run no sooner than this instant.
	 * @param eta the earliest start
	 * @return new options
	 */
	public SendOptions withEta(Instant eta) {
		return new SendOptions(this.taskId, this.queue, this.countdown, eta, this.expiresIn, this.expiresAt,
				this.priority, this.headers, this.serializer, this.compression);
	}

	/**
	 * Do not run the task if it is still waiting this long after sending.
	 * @param expiresIn how long the task stays valid
	 * @return new options
	 */
	public SendOptions withExpires(Duration expiresIn) {
		return new SendOptions(this.taskId, this.queue, this.countdown, this.eta, expiresIn, this.expiresAt,
				this.priority, this.headers, this.serializer, this.compression);
	}

	/**
	 * Do not run the task if it is still waiting at this instant.
	 * @param expiresAt when the task stops being valid
	 * @return new options
	 */
	public SendOptions withExpires(Instant expiresAt) {
		return new SendOptions(this.taskId, this.queue, this.countdown, this.eta, this.expiresIn, expiresAt,
				this.priority, this.headers, this.serializer, this.compression);
	}

	/**
	 * Send with this message priority.
	 * @param priority the priority (0-255)
	 * @return new options
	 */
	public SendOptions withPriority(int priority) {
		return new SendOptions(this.taskId, this.queue, this.countdown, this.eta, this.expiresIn, this.expiresAt,
				priority, this.headers, this.serializer, this.compression);
	}

	/**
	 * Add a message header.
	 * @param name the header name
	 * @param value its value (a string, number, boolean, list or map)
	 * @return new options
	 */
	public SendOptions withHeader(String name, @Nullable Object value) {
		Map<String, @Nullable Object> merged = new LinkedHashMap<>(this.headers);
		merged.put(name, value);
		return new SendOptions(this.taskId, this.queue, this.countdown, this.eta, this.expiresIn, this.expiresAt,
				this.priority, merged, this.serializer, this.compression);
	}

	/**
	 * Serialize the arguments with this serializer.
	 * @param serializer {@code json}, {@code msgpack}, {@code yaml} or a content type
	 * @return new options
	 */
	public SendOptions withSerializer(String serializer) {
		return new SendOptions(this.taskId, this.queue, this.countdown, this.eta, this.expiresIn, this.expiresAt,
				this.priority, this.headers, serializer, this.compression);
	}

	/**
	 * Compress the message body.
	 * @param compression {@code zlib} (also called {@code gzip}), {@code bzip2} or {@code lzma}
	 * @return new options
	 */
	public SendOptions withCompression(String compression) {
		return new SendOptions(this.taskId, this.queue, this.countdown, this.eta, this.expiresIn, this.expiresAt,
				this.priority, this.headers, this.serializer, compression);
	}

	/**
	 * These options, with every option the other sets replacing this one's.
	 * @param other the options that win
	 * @return the merged options
	 */
	public SendOptions mergedWith(SendOptions other) {
		Map<String, @Nullable Object> mergedHeaders = new LinkedHashMap<>(this.headers);
		mergedHeaders.putAll(other.headers);
		return new SendOptions(pick(other.taskId, this.taskId), pick(other.queue, this.queue),
				pick(other.countdown, this.countdown), pick(other.eta, this.eta), pick(other.expiresIn, this.expiresIn),
				pick(other.expiresAt, this.expiresAt), pick(other.priority, this.priority), mergedHeaders,
				pick(other.serializer, this.serializer), pick(other.compression, this.compression));
	}

	/**
	 * The earliest start these options ask for.
	 * @param clock the clock that sends
	 * @return the eta, or {@code null} to run at once
	 */
	public @Nullable Instant resolveEta(Clock clock) {
		if (this.eta != null) {
			return this.eta;
		}
		return (this.countdown != null) ? clock.instant().plus(this.countdown) : null;
	}

	/**
	 * The expiry these options ask for.
	 * @param clock the clock that sends
	 * @return the expiry, or {@code null} for none
	 */
	public @Nullable Instant resolveExpires(Clock clock) {
		if (this.expiresAt != null) {
			return this.expiresAt;
		}
		return (this.expiresIn != null) ? clock.instant().plus(this.expiresIn) : null;
	}

	private static <T> @Nullable T pick(@Nullable T preferred, @Nullable T fallback) {
		return (preferred != null) ? preferred : fallback;
	}

}
