package dev.taskqueue.protocol;

import java.math.BigDecimal;
import java.time.temporal.TemporalAccessor;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

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
	public static String of(@Nullable Object value) {
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
		else if (value instanceof Double || value instanceof Float) {
			appendFloat(out, ((Number) value).doubleValue());
		}
		else if (value instanceof Enum<?> constant) {
			// what the receiver gets: JSON writes these as strings
			appendString(out, constant.name());
		}
		else if (value instanceof UUID || value instanceof TemporalAccessor) {
			appendString(out, value.toString());
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
		// as Python: single quotes, unless the text has a single quote and no double one
		char quote = (contains(text, '\'') && !contains(text, '"')) ? '"' : '\'';
		out.append(quote);
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			switch (c) {
				case '\\' -> out.append("\\\\");
				case '\n' -> out.append("\\n");
				case '\r' -> out.append("\\r");
				case '\t' -> out.append("\\t");
				default -> {
					if (c == quote) {
						out.append('\\').append(c);
					}
					else if (c < 0x20 || (c >= 0x7f && c <= 0xa0) || c == 0xad) {
						out.append(String.format("\\x%02x", (int) c));
					}
					else {
						out.append(c);
					}
				}
			}
		}
		out.append(quote);
	}

	private static boolean contains(CharSequence text, char c) {
		for (int i = 0; i < text.length(); i++) {
			if (text.charAt(i) == c) {
				return true;
			}
		}
		return false;
	}

	// Python's repr(float): the shortest digits, positional from 1e-4 up to 1e16, else 1.5e+16 / 1e-05
	private static void appendFloat(StringBuilder out, double value) {
		if (Double.isNaN(value)) {
			out.append("nan");
			return;
		}
		if (Double.isInfinite(value)) {
			out.append((value > 0) ? "inf" : "-inf");
			return;
		}
		if (value == 0) {
			out.append((1 / value < 0) ? "-0.0" : "0.0");
			return;
		}
		BigDecimal decimal = new BigDecimal(Double.toString(value)).stripTrailingZeros();
		int exponent = decimal.precision() - decimal.scale() - 1;
		if (exponent >= -4 && exponent < 16) {
			String plain = decimal.toPlainString();
			out.append(plain).append(plain.contains(".") ? "" : ".0");
			return;
		}
		String digits = decimal.unscaledValue().abs().toString();
		out.append((value < 0) ? "-" : "").append(digits.charAt(0));
		if (digits.length() > 1) {
			out.append('.').append(digits, 1, digits.length());
		}
		out.append('e').append((exponent < 0) ? '-' : '+').append(String.format("%02d", Math.abs(exponent)));
	}

	private static String truncate(StringBuilder repr) {
		return (repr.length() <= MAX_LENGTH) ? repr.toString() : repr.substring(0, MAX_LENGTH - 3) + "...";
	}

}
