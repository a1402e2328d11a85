package dev.taskqueue.serialization;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Reads MessagePack into plain values: str as {@code String}, bin as {@code byte[]}, integers as
 * {@code Integer}, {@code Long} or {@code BigInteger} (an unsigned 64-bit value above {@code Long.MAX_VALUE}),
 * floats as {@code Double}. Extension types are refused.
 */
final class MsgpackReader {

	private final byte[] bytes;

	private final int maxDepth;

	private int position;

	MsgpackReader(byte[] bytes, int maxDepth) {
		this.bytes = bytes;
		this.maxDepth = maxDepth;
	}

	@Nullable Object readAll() {
		Object value = read(0);
		if (this.position != this.bytes.length) {
			throw new SerializationException("Not valid msgpack: " + (this.bytes.length - this.position)
					+ " bytes after the value");
		}
		return value;
	}

	private @Nullable Object read(int depth) {
		int tag = u8();
		if (tag <= 0x7f) {
			return tag;
		}
		if (tag >= 0xe0) {
			return (int) (byte) tag;
		}
		if ((tag & 0xe0) == 0xa0) {
			return string(tag & 0x1f);
		}
		if ((tag & 0xf0) == 0x90) {
			return array(tag & 0x0f, depth);
		}
		if ((tag & 0xf0) == 0x80) {
			return map(tag & 0x0f, depth);
		}
		return switch (tag) {
			case 0xc0 -> null;
			case 0xc2 -> false;
			case 0xc3 -> true;
			case 0xc4 -> take(length(1));
			case 0xc5 -> take(length(2));
			case 0xc6 -> take(length(4));
			case 0xca -> (double) Float.intBitsToFloat((int) number(4));
			case 0xcb -> Double.longBitsToDouble(number(8));
			case 0xcc -> (int) number(1);
			case 0xcd -> (int) number(2);
			case 0xce -> narrow(number(4));
			case 0xcf -> unsigned64(number(8));
			case 0xd0 -> (int) (byte) number(1);
			case 0xd1 -> (int) (short) number(2);
			case 0xd2 -> (int) number(4);
			case 0xd3 -> narrow(number(8));
			case 0xd9 -> string(length(1));
			case 0xda -> string(length(2));
			case 0xdb -> string(length(4));
			case 0xdc -> array(length(2), depth);
			case 0xdd -> array(length(4), depth);
			case 0xde -> map(length(2), depth);
			case 0xdf -> map(length(4), depth);
			default -> throw new SerializationException(String.format(
					"Not valid msgpack: type 0x%02x at byte %d is not supported (extension types are refused)", tag,
					this.position - 1));
		};
	}

	private List<Object> array(int size, int depth) {
		checkDepth(depth);
		checkRemaining(size);
		List<Object> items = new ArrayList<>(size);
		for (int i = 0; i < size; i++) {
			items.add(read(depth + 1));
		}
		return items;
	}

	private Map<Object, Object> map(int size, int depth) {
		checkDepth(depth);
		checkRemaining(size);
		Map<Object, Object> entries = new LinkedHashMap<>();
		for (int i = 0; i < size; i++) {
			Object key = read(depth + 1);
			entries.put(key, read(depth + 1));
		}
		return entries;
	}

	private void checkDepth(int depth) {
		if (depth >= this.maxDepth) {
			throw new SerializationException("msgpack nests deeper than " + this.maxDepth + " levels");
		}
	}

	private String string(int length) {
		return new String(take(length), StandardCharsets.UTF_8);
	}

	private byte[] take(int length) {
		checkRemaining(length);
		byte[] slice = Arrays.copyOfRange(this.bytes, this.position, this.position + length);
		this.position += length;
		return slice;
	}

	private int length(int count) {
		long length = number(count);
		if (length > Integer.MAX_VALUE) {
			throw new SerializationException("Not valid msgpack: a length of " + length);
		}
		return (int) length;
	}

	private long number(int count) {
		checkRemaining(count);
		long value = 0;
		for (int i = 0; i < count; i++) {
			value = (value << 8) | (this.bytes[this.position++] & 0xff);
		}
		return value;
	}

	private int u8() {
		checkRemaining(1);
		return this.bytes[this.position++] & 0xff;
	}

	private void checkRemaining(long count) {
		if (count > this.bytes.length - this.position) {
			throw new SerializationException("Not valid msgpack: it ends before byte " + (this.position + count));
		}
	}

	private static Number narrow(long value) {
		return (value == (int) value) ? (Number) (int) value : (Number) value;
	}

	private static Number unsigned64(long value) {
		return (value >= 0) ? narrow(value) : new BigInteger(Long.toUnsignedString(value));
	}

}
