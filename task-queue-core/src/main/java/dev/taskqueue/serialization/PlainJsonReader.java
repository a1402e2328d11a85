package dev.taskqueue.serialization;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A reader for the JSON a task message body nearly always is: arrays, objects, ASCII strings without
 * escapes, integers, {@code true}, {@code false} and {@code null}, read into the same values Jackson's
 * untyped reading gives ({@code ArrayList}, {@code LinkedHashMap}, {@code String}, {@code Integer} or
 * {@code Long}, {@code Boolean}). Anything else (a fraction, an escape, a non-ASCII character, a duplicate
 * key, deep nesting, malformed input) is not read here but reported as {@link #NOT_PLAIN}, for Jackson to
 * read (or refuse) as before. kombu 5.3's typed objects ({@code {"__type__": "datetime", ...}}) are read into
 * their values ({@link KombuTypes}), and an unknown one is refused with a {@link SerializationException}. It
 * skips Jackson's per-call set-up, which cost more than the parsing itself.
 */
final class PlainJsonReader {

	/** What {@link #read(byte[])} returns for a document it leaves to Jackson. */
	static final Object NOT_PLAIN = new Object();

	private static final int MAX_DEPTH = 64;

	/** The longest integer read here: 18 digits always fit in a {@code long}. */
	private static final int MAX_DIGITS = 18;

	private static final NotPlain NOT_PLAIN_INPUT = new NotPlain();

	/** The keys of protocol v2's embed, in Celery's order. */
	private static final String[] KNOWN_KEYS = { "callbacks", "errbacks", "chain", "chord" };

	private final byte[] bytes;

	private int position;

	private PlainJsonReader(byte[] bytes) {
		this.bytes = bytes;
	}

	/**
	 * Read a document.
	 * @param bytes the JSON
	 * @return its value, or {@link #NOT_PLAIN} if it is not one this reader takes
	 */
	static @Nullable Object read(byte[] bytes) {
		PlainJsonReader reader = new PlainJsonReader(bytes);
		try {
			Object value = reader.value(0);
			reader.skipWhitespace();
			return (reader.position == bytes.length) ? value : NOT_PLAIN;
		}
		catch (NotPlain ex) {
			return NOT_PLAIN;
		}
	}

	private @Nullable Object value(int depth) {
		if (depth > MAX_DEPTH) {
			throw NOT_PLAIN_INPUT;
		}
		skipWhitespace();
		byte next = peek();
		switch (next) {
			case '[':
				return array(depth);
			case '{':
				return object(depth);
			case '"':
				return string();
			case 't':
				return literal("true", Boolean.TRUE);
			case 'f':
				return literal("false", Boolean.FALSE);
			case 'n':
				return literal("null", null);
			default:
				return number();
		}
	}

	private List<Object> array(int depth) {
		this.position++;
		List<Object> list = new ArrayList<>();
		skipWhitespace();
		if (peek() == ']') {
			this.position++;
			return list;
		}
		while (true) {
			list.add(value(depth + 1));
			skipWhitespace();
			byte next = take();
			if (next == ']') {
				return list;
			}
			if (next != ',') {
				throw NOT_PLAIN_INPUT;
			}
		}
	}

	private Object object(int depth) {
		this.position++;
		Map<String, Object> map = new LinkedHashMap<>();
		skipWhitespace();
		if (peek() == '}') {
			this.position++;
			return map;
		}
		while (true) {
			skipWhitespace();
			if (peek() != '"') {
				throw NOT_PLAIN_INPUT;
			}
			String key = key();
			skipWhitespace();
			if (take() != ':') {
				throw NOT_PLAIN_INPUT;
			}
			int size = map.size();
			map.put(key, value(depth + 1));
			// Jackson decides what a repeated key means
			if (map.size() == size) {
				throw NOT_PLAIN_INPUT;
			}
			skipWhitespace();
			byte next = take();
			if (next == '}') {
				// kombu 5.3's typed values become values here, where a two-key object costs two lookups more
				return (size == 1 && KombuTypes.isTyped(map)) ? KombuTypes.valueOf(map) : map;
			}
			if (next != ',') {
				throw NOT_PLAIN_INPUT;
			}
		}
	}

	/**
	 * A key: the keys every message's embed has are the same {@code String} instances each time, their
	 * hash codes computed once (building the embed's map was most of the body's decoding).
	 */
	private String key() {
		int start = this.position + 1;
		for (String known : KNOWN_KEYS) {
			int length = known.length();
			int end = start + length;
			if (end < this.bytes.length && this.bytes[end] == '"' && matches(known, start)) {
				this.position = end + 1;
				return known;
			}
		}
		return string();
	}

	private boolean matches(String known, int start) {
		for (int i = 0; i < known.length(); i++) {
			if (this.bytes[start + i] != known.charAt(i)) {
				return false;
			}
		}
		return true;
	}

	private String string() {
		int start = ++this.position;
		while (true) {
			byte next = take();
			if (next == '"') {
				// ASCII only, so Latin-1 decodes it as UTF-8 would, with a plain copy
				return new String(this.bytes, start, this.position - 1 - start, StandardCharsets.ISO_8859_1);
			}
			// escapes, control characters and anything beyond ASCII are Jackson's
			if (next == '\\' || next < 0x20 || next > 0x7e) {
				throw NOT_PLAIN_INPUT;
			}
		}
	}

	private @Nullable Object literal(String text, @Nullable Object value) {
		for (int i = 0; i < text.length(); i++) {
			if (take() != text.charAt(i)) {
				throw NOT_PLAIN_INPUT;
			}
		}
		endOfToken();
		return value;
	}

	private Object number() {
		boolean negative = peek() == '-';
		if (negative) {
			this.position++;
		}
		int start = this.position;
		long value = 0;
		while (this.position < this.bytes.length && this.bytes[this.position] >= '0'
				&& this.bytes[this.position] <= '9') {
			value = value * 10 + (this.bytes[this.position] - '0');
			this.position++;
		}
		int digits = this.position - start;
		// no digits, too many, a leading zero or -0: Jackson's to read or refuse
		if (digits == 0 || digits > MAX_DIGITS || (digits > 1 && this.bytes[start] == '0')
				|| (negative && value == 0)) {
			throw NOT_PLAIN_INPUT;
		}
		// a fraction or an exponent
		endOfToken();
		value = negative ? -value : value;
		if (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) {
			return (int) value;
		}
		return value;
	}

	private void endOfToken() {
		if (this.position < this.bytes.length) {
			byte next = this.bytes[this.position];
			if (next != ',' && next != ']' && next != '}' && !isWhitespace(next)) {
				throw NOT_PLAIN_INPUT;
			}
		}
	}

	private void skipWhitespace() {
		while (this.position < this.bytes.length && isWhitespace(this.bytes[this.position])) {
			this.position++;
		}
	}

	private static boolean isWhitespace(byte b) {
		return b == ' ' || b == '\n' || b == '\r' || b == '\t';
	}

	private byte peek() {
		if (this.position >= this.bytes.length) {
			throw NOT_PLAIN_INPUT;
		}
		return this.bytes[this.position];
	}

	private byte take() {
		byte next = peek();
		this.position++;
		return next;
	}

	/** Thrown inside the reader to give up on a document; never leaves it. */
	private static final class NotPlain extends RuntimeException {

		NotPlain() {
			super(null, null, false, false);
		}

	}

}
