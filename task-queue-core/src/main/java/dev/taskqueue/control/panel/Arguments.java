package dev.taskqueue.control.panel;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Reads a command's arguments as Celery's handlers take their keyword arguments: a text may come as a number, a
 * number as a text (the {@code celery} command line sends what it is given), a list as a single value.
 */
final class Arguments {

	private Arguments() {
	}

	/**
	 * A text argument.
	 * @return the text, or {@code null} if absent or {@code null}
	 */
	static @Nullable String text(JsonNode arguments, String name) {
		JsonNode value = arguments.path(name);
		if (value.isNull() || value.isMissingNode() || value.isContainer()) {
			return null;
		}
		return value.isString() ? value.asString() : value.toString();
	}

	/**
	 * A text argument the command cannot do without.
	 * @throws IllegalArgumentException if it is absent, as Python's {@code TypeError} for a missing argument
	 */
	static String required(JsonNode arguments, String name, String command) {
		String text = text(arguments, name);
		if (text == null) {
			throw new IllegalArgumentException(command + "() missing required argument: '" + name + "'");
		}
		return text;
	}

	/**
	 * A number argument.
	 * @return the number, or {@code null} if absent or {@code null}
	 * @throws IllegalArgumentException if it is not a number
	 */
	static @Nullable Double number(JsonNode arguments, String name) {
		JsonNode value = arguments.path(name);
		if (value.isNumber()) {
			return value.asDouble();
		}
		String text = text(arguments, name);
		if (text == null || text.isBlank()) {
			return null;
		}
		try {
			return Double.parseDouble(text.trim());
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("could not convert string to float: '" + text + "'", ex);
		}
	}

	/**
	 * A whole-number argument.
	 * @return the number, or {@code fallback} if absent
	 */
	static int integer(JsonNode arguments, String name, int fallback) {
		Double number = number(arguments, name);
		return (number != null) ? number.intValue() : fallback;
	}

	/**
	 * A yes-or-no argument: a boolean, or a text as Python's {@code strtobool} reads it.
	 * @return the value, or {@code fallback} if absent
	 */
	static boolean bool(JsonNode arguments, String name, boolean fallback) {
		JsonNode value = arguments.path(name);
		if (value.isBoolean()) {
			return value.asBoolean();
		}
		String text = text(arguments, name);
		if (text == null) {
			return fallback;
		}
		return switch (text.trim().toLowerCase(Locale.ROOT)) {
			case "y", "yes", "t", "true", "on", "1" -> true;
			case "n", "no", "f", "false", "off", "0" -> false;
			default -> throw new IllegalArgumentException("invalid truth value '" + text + "'");
		};
	}

	/**
	 * A list of texts, given as a list or as one value (Celery's {@code maybe_list}).
	 * @return the texts; empty if absent
	 */
	static List<String> texts(JsonNode arguments, String name) {
		JsonNode value = arguments.path(name);
		List<String> texts = new ArrayList<>();
		if (value.isArray()) {
			value.forEach((item) -> {
				if (!item.isNull()) {
					texts.add(item.isString() ? item.asString() : item.toString());
				}
			});
		}
		else {
			String text = text(arguments, name);
			if (text != null) {
				texts.add(text);
			}
		}
		return texts;
	}

}
