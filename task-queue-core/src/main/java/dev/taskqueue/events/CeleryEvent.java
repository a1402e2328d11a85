package dev.taskqueue.events;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * One of Celery's events: a flat JSON object with a {@code type} ({@code task-succeeded}, {@code worker-heartbeat}
 * ...) and the fields every event has ({@code hostname}, {@code utcoffset}, {@code pid}, {@code clock},
 * {@code timestamp}), plus the type's own ({@code uuid}, {@code result}, {@code runtime}, {@code active}...). In
 * Celery an event is simply a dict ({@code celery.events.Event}); this is the same, read-only, with accessors for
 * the common fields.
 */
public final class CeleryEvent {

	private final String type;

	private final Map<String, @Nullable Object> fields;

	private CeleryEvent(String type, Map<String, @Nullable Object> fields) {
		this.type = type;
		this.fields = Collections.unmodifiableMap(fields);
	}

	/**
	 * An event from its fields, as received or about to be sent.
	 * @param fields the fields, {@code type} among them
	 * @return the event, holding a copy of the fields
	 * @throws IllegalArgumentException if there is no {@code type}, or it is not text
	 */
	public static CeleryEvent of(Map<String, ? extends @Nullable Object> fields) {
		if (!(fields.get("type") instanceof String type) || type.isEmpty()) {
			throw new IllegalArgumentException("an event needs a 'type', had " + fields.get("type"));
		}
		return new CeleryEvent(type, new LinkedHashMap<>(fields));
	}

	/**
	 * An event of fields that nobody else holds: the receiver's, just decoded. No copy.
	 * @param type the event's type, its {@code type} field
	 * @param fields the fields, which the event keeps
	 * @return the event
	 */
	static CeleryEvent adopt(String type, Map<String, @Nullable Object> fields) {
		return new CeleryEvent(type, fields);
	}

	/**
	 * The event's type, Celery's names: {@code task-sent}, {@code task-received}, {@code task-started},
	 * {@code task-succeeded}, {@code task-failed}, {@code task-retried}, {@code task-revoked},
	 * {@code task-rejected}, {@code worker-online}, {@code worker-heartbeat}, {@code worker-offline}, or an
	 * application's own.
	 * @return the type
	 */
	public String type() {
		return this.type;
	}

	/**
	 * The group of the type: what comes before its first {@code -} ({@code task}, {@code worker}), Celery's
	 * {@code group_from}.
	 * @return the group
	 */
	public String group() {
		return groupOf(this.type);
	}

	/**
	 * Every field, {@code type} among them, in the order they were written.
	 * @return the fields, read-only
	 */
	public Map<String, @Nullable Object> fields() {
		return this.fields;
	}

	/**
	 * One field.
	 * @param name its name
	 * @return its value as JSON read it (a string, number, boolean, list, map), or {@code null}
	 */
	public @Nullable Object get(String name) {
		return this.fields.get(name);
	}

	/**
	 * The node that sent it: a worker's {@code name@host}, or a client's {@code gen<pid>@<host>}.
	 * @return the hostname, or {@code null} if the event has none
	 */
	public @Nullable String hostname() {
		return text("hostname");
	}

	/**
	 * The task the event is about ({@code uuid}), for task events.
	 * @return the task id, or {@code null}
	 */
	public @Nullable String uuid() {
		return text("uuid");
	}

	/**
	 * When it was sent, in seconds since the epoch; a receiver moves it into its own time zone as Celery's does.
	 * @return the timestamp, or {@code 0} if the event has none
	 */
	public double timestamp() {
		return number("timestamp");
	}

	/**
	 * The sender's Lamport clock when it sent the event ({@code clock}).
	 * @return the clock, or {@code 0} if the event has none
	 */
	public long clock() {
		return (long) number("clock");
	}

	/**
	 * The sender's process id ({@code pid}).
	 * @return the pid, or {@code 0} if the event has none
	 */
	public long pid() {
		return (long) number("pid");
	}

	/**
	 * The sender's offset from UTC in hours, as Python's {@code time.timezone // 3600}: positive west of
	 * Greenwich ({@code utcoffset}).
	 * @return the offset, or {@code 0} if the event has none
	 */
	public int utcoffset() {
		return (int) number("utcoffset");
	}

	private @Nullable String text(String name) {
		Object value = this.fields.get(name);
		return (value != null) ? value.toString() : null;
	}

	private double number(String name) {
		return (this.fields.get(name) instanceof Number number) ? number.doubleValue() : 0;
	}

	static String groupOf(String type) {
		int dash = type.indexOf('-');
		return (dash >= 0) ? type.substring(0, dash) : type;
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return this == other || (other instanceof CeleryEvent event && this.fields.equals(event.fields));
	}

	@Override
	public int hashCode() {
		return this.fields.hashCode();
	}

	@Override
	public String toString() {
		return this.type + this.fields;
	}

}
