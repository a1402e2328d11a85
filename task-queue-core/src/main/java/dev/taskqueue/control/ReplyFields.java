package dev.taskqueue.control;

import java.time.Instant;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import dev.taskqueue.protocol.IsoTime;

/**
 * Reads the fields of a worker's reply leniently: Celery writes some numbers as strings ({@code stats}'
 * {@code clock}), and a field a worker leaves out, or writes as {@code null}, is {@code null} here.
 */
final class ReplyFields {

	private ReplyFields() {
	}

	static @Nullable String string(JsonNode node, String field) {
		JsonNode value = node.path(field);
		return (value.isNull() || value.isMissingNode()) ? null : value.asString();
	}

	static String required(JsonNode node, String field) {
		String value = string(node, field);
		if (value == null) {
			throw new IllegalArgumentException("no '" + field + "'");
		}
		return value;
	}

	static @Nullable Long integer(JsonNode node, String field) {
		JsonNode value = node.path(field);
		if (value.isNumber()) {
			return value.longValue();
		}
		if (value.isString()) {
			try {
				return Long.parseLong(value.asString().trim());
			}
			catch (NumberFormatException ex) {
				return null;
			}
		}
		return null;
	}

	static @Nullable Double decimal(JsonNode node, String field) {
		JsonNode value = node.path(field);
		if (value.isNumber()) {
			return value.doubleValue();
		}
		if (value.isString()) {
			try {
				return Double.parseDouble(value.asString().trim());
			}
			catch (NumberFormatException ex) {
				return null;
			}
		}
		return null;
	}

	static @Nullable Boolean bool(JsonNode node, String field) {
		JsonNode value = node.path(field);
		return value.isBoolean() ? value.booleanValue() : null;
	}

	/**
	 * An instant Celery writes as seconds since the epoch ({@code time_start}).
	 */
	static @Nullable Instant epochSeconds(JsonNode node, String field) {
		Double seconds = decimal(node, field);
		return (seconds != null) ? Instant.ofEpochSecond(0, Math.round(seconds * 1e9)) : null;
	}

	/**
	 * An instant Celery writes in ISO 8601 ({@code eta}); {@code null} if it is not one.
	 */
	static @Nullable Instant isoTime(JsonNode node, String field) {
		String text = string(node, field);
		if (text == null) {
			return null;
		}
		try {
			return IsoTime.parse(text);
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

}
