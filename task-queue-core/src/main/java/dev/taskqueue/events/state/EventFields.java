package dev.taskqueue.events.state;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.events.CeleryEvent;

/**
 * Reads an event's fields leniently: a field that is missing or of the wrong type reads as {@code null} (Celery's
 * state never rejects an event for its content, and neither do we).
 */
final class EventFields {

	private EventFields() {
	}

	/**
	 * A field as text: a string as it is, any other value rendered ({@code String.valueOf}), as Celery's
	 * {@code args}/{@code kwargs} reprs arrive as strings but another sender may send the values themselves.
	 */
	static @Nullable String text(CeleryEvent event, String name) {
		Object value = event.get(name);
		return (value != null) ? String.valueOf(value) : null;
	}

	/** A field as text only if it is a non-empty string. */
	static @Nullable String string(CeleryEvent event, String name) {
		return (event.get(name) instanceof String text && !text.isEmpty()) ? text : null;
	}

	static @Nullable Double number(CeleryEvent event, String name) {
		Object value = event.get(name);
		if (value instanceof Number number) {
			double result = number.doubleValue();
			return (Double.isFinite(result)) ? result : null;
		}
		return null;
	}

	static @Nullable Long integer(CeleryEvent event, String name) {
		Double number = number(event, name);
		return (number != null) ? number.longValue() : null;
	}

	static @Nullable Boolean bool(CeleryEvent event, String name) {
		return (event.get(name) instanceof Boolean value) ? value : null;
	}

	static @Nullable List<Double> numbers(CeleryEvent event, String name) {
		if (!(event.get(name) instanceof List<?> list)) {
			return null;
		}
		List<Double> numbers = new ArrayList<>(list.size());
		for (Object item : list) {
			if (item instanceof Number number && Double.isFinite(number.doubleValue())) {
				numbers.add(number.doubleValue());
			}
		}
		return numbers;
	}

	/**
	 * When the event says it happened ({@code timestamp}, seconds), or {@code fallback} if it does not say.
	 */
	static Instant timestamp(CeleryEvent event, Instant fallback) {
		Double seconds = number(event, "timestamp");
		if (seconds == null || seconds <= 0 || seconds > 1e11) {
			return fallback;
		}
		return Instant.ofEpochMilli(Math.round(seconds * 1000));
	}

}
