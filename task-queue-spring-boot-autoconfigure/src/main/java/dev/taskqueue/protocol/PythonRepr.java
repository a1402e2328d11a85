package dev.taskqueue.protocol;

import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Python's {@code repr} of plain values, for the {@code argsrepr} and {@code kwargsrepr} headers that
 * Celery's tools (Flower, {@code celery inspect}, events) display.
 */
public final class PythonRepr {

	/** Celery truncates the reprs at this many characters. */
	public static final int MAX_LENGTH = 1024;

	private PythonRepr() {
	}

	/**
	 * The repr of positional arguments, written as a tuple, as Celery's client writes it: {@code (2, 3)}.
	 * @param args the arguments
	 * @return the repr, truncated at {@link #MAX_LENGTH}
	 */
	public static String ofArgs(List<?> args) {
		StringBuilder out = new StringBuilder("(");
		appendItems(out, args);
		if (args.size() == 1) {
			out.append(',');
		}
		return truncate(out.append(')'));
	}

	/**
	 * The repr of keyword arguments: {@code {'y': 3}}.
	 * @param kwargs the arguments
	 * @return the repr, truncated at {@link #MAX_LENGTH}
	 */
	public static String ofKwargs(Map<String, ?> kwargs) {
		StringBuilder out = new StringBuilder();
		append(out, kwargs);
		return truncate(out);
	}

	/**
	 * The repr of one value.
	 * @param value the value
	 * @return its repr
	 */
	public static String of(Object value) {
		StringBuilder out = new StringBuilder();
		append(out, value);
		return out.toString();
	}

	private static void append(StringBuilder out, Object value) {
		if (value == null) {
			out.append("None");
		}
		else if (value instanceof Boolean bool) {
			out.append(bool ? "True" : "False");
		}
		else if (value instanceof CharSequence text) {
			appendString(out, text);
		}
		else if (value instanceof Map<?, ?> map) {
			out.append('{');
			Iterator<? extends Map.Entry<?, ?>> entries = map.entrySet().iterator();
			while (entries.hasNext()) {
				Map.Entry<?, ?> entry = entries.next();
				append(out, entry.getKey());
				out.append(": ");
				append(out, entry.getValue());
				if (entries.hasNext()) {
					out.append(", ");
				}
			}
			out.append('}');
		}
		else if (value instanceof Collection<?> items) {
			out.append('[');
			appendItems(out, items);
			out.append(']');
		}
		else {
			out.append(value);
		}
	}

	private static void appendItems(StringBuilder out, Collection<?> items) {
		Iterator<?> it = items.iterator();
		while (it.hasNext()) {
			append(out, it.next());
			if (it.hasNext()) {
				out.append(", ");
			}
			if (out.length() > MAX_LENGTH) {
				return;
			}
		}
	}

	private static void appendString(StringBuilder out, CharSequence text) {
		out.append('\'');
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			switch (c) {
				case '\'' -> out.append("\\'");
				case '\\' -> out.append("\\\\");
				case '\n' -> out.append("\\n");
				case '\r' -> out.append("\\r");
				case '\t' -> out.append("\\t");
				default -> {
					if (c < 0x20 || c == 0x7f) {
						out.append(String.format("\\x%02x", (int) c));
					}
					else {
						out.append(c);
					}
				}
			}
		}
		out.append('\'');
	}

	private static String truncate(StringBuilder repr) {
		return (repr.length() <= MAX_LENGTH) ? repr.toString() : repr.substring(0, MAX_LENGTH - 3) + "...";
	}

}
