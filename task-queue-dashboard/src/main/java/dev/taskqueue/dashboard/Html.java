package dev.taskqueue.dashboard;

import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * A small HTML writer that escapes whatever it is given: text and attribute values always, so that a task's name,
 * arguments or traceback (which anyone who can send a task chooses) can never become markup. Tag and attribute
 * names are the code's own constants. Not thread-safe: one per page.
 */
final class Html {

	private static final Set<String> BOOLEAN_ATTRIBUTES = Set.of("checked", "selected", "required", "defer",
			"disabled");

	private final StringBuilder out = new StringBuilder(4096);

	/**
	 * Start a document.
	 * @return this writer
	 */
	Html doctype() {
		this.out.append("<!DOCTYPE html>");
		return this;
	}

	/**
	 * Open an element.
	 * @param tag the tag's name
	 * @param attributes names and values, in pairs; a pair whose value is {@code null} is left out, a boolean
	 * attribute ({@code checked}, {@code selected}, {@code required}, {@code defer}, {@code disabled}) whose value
	 * is its name is written bare
	 * @return this writer
	 */
	Html open(String tag, @Nullable String... attributes) {
		this.out.append('<').append(tag);
		for (int i = 0; i + 1 < attributes.length; i += 2) {
			String name = attributes[i];
			String value = attributes[i + 1];
			if (name == null || value == null) {
				continue;
			}
			this.out.append(' ').append(name);
			if (!(BOOLEAN_ATTRIBUTES.contains(name) && value.equals(name))) {
				this.out.append("=\"").append(escape(value)).append('"');
			}
		}
		this.out.append('>');
		return this;
	}

	/**
	 * Close an element.
	 * @param tag the tag's name
	 * @return this writer
	 */
	Html close(String tag) {
		this.out.append("</").append(tag).append('>');
		return this;
	}

	/**
	 * Write text, escaped.
	 * @param text the text; {@code null} writes nothing
	 * @return this writer
	 */
	Html text(@Nullable Object text) {
		if (text != null) {
			this.out.append(escape(text.toString()));
		}
		return this;
	}

	/**
	 * Write an element holding text: {@code <tag attributes>text</tag>}.
	 * @param tag the tag's name
	 * @param text its text, escaped; {@code null} for none
	 * @param attributes names and values, as {@link #open}
	 * @return this writer
	 */
	Html element(String tag, @Nullable Object text, @Nullable String... attributes) {
		return open(tag, attributes).text(text).close(tag);
	}

	/**
	 * Write markup this writer made: a fragment rendered apart (the throughput chart).
	 * @param fragment the other writer
	 * @return this writer
	 */
	Html append(Html fragment) {
		this.out.append(fragment.out);
		return this;
	}

	@Override
	public String toString() {
		return this.out.toString();
	}

	/**
	 * Escape text for an element's content or a quoted attribute value.
	 * @param text the text
	 * @return the text with {@code & < > " '} escaped
	 */
	static String escape(String text) {
		StringBuilder escaped = null;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			String replacement = switch (c) {
				case '&' -> "&amp;";
				case '<' -> "&lt;";
				case '>' -> "&gt;";
				case '"' -> "&quot;";
				case '\'' -> "&#39;";
				default -> null;
			};
			if (replacement != null && escaped == null) {
				escaped = new StringBuilder(text.length() + 16).append(text, 0, i);
			}
			if (escaped != null) {
				if (replacement != null) {
					escaped.append(replacement);
				}
				else {
					escaped.append(c);
				}
			}
		}
		return (escaped != null) ? escaped.toString() : text;
	}

}
