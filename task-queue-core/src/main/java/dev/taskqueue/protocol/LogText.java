package dev.taskqueue.protocol;

import org.jspecify.annotations.Nullable;

/**
 * Received values made safe to log: a task name, id, queue, reason or exception message from a message is
 * written by whoever sent it, and a line break in it would write forged lines into the log. Every log
 * statement of the engine and the transports that logs a received value passes it through {@link #escape}.
 */
public final class LogText {

	private LogText() {
	}

	/**
	 * The value's text on one line: line breaks, tabs and the other control characters (C0, DEL, C1, and
	 * Unicode's line and paragraph separators) escaped as {@code \n}, {@code \r}, {@code \t} or
	 * {@code \}{@code uXXXX}; anything else as it is.
	 * @param value the value, or {@code null}
	 * @return its text, escaped; {@code "null"} for {@code null}; the text itself when nothing needs escaping
	 */
	public static String escape(@Nullable Object value) {
		String text = String.valueOf(value);
		int first = 0;
		while (first < text.length() && !isControl(text.charAt(first))) {
			first++;
		}
		if (first == text.length()) {
			// the usual case: no copy
			return text;
		}
		StringBuilder escaped = new StringBuilder(text.length() + 16).append(text, 0, first);
		for (int i = first; i < text.length(); i++) {
			char c = text.charAt(i);
			if (!isControl(c)) {
				escaped.append(c);
			}
			else if (c == '\n') {
				escaped.append("\\n");
			}
			else if (c == '\r') {
				escaped.append("\\r");
			}
			else if (c == '\t') {
				escaped.append("\\t");
			}
			else {
				escaped.append(String.format("\\u%04x", (int) c));
			}
		}
		return escaped.toString();
	}

	private static boolean isControl(char c) {
		return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
	}

}
