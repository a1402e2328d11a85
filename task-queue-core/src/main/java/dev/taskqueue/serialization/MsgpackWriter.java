package dev.taskqueue.serialization;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Writes plain values in the MessagePack format, choosing the smallest encoding as Python's msgpack does.
 */
final class MsgpackWriter {

	private static final BigInteger MAX_UINT64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

	private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

	byte[] write(@Nullable Object value) {
		writeValue(value);
		return this.out.toByteArray();
	}

	private void writeValue(@Nullable Object value) {
		if (value == null) {
			this.out.write(0xc0);
		}
		else if (value instanceof Boolean bool) {
			this.out.write(bool ? 0xc3 : 0xc2);
		}
		else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
			writeLong(((Number) value).longValue());
		}
		else if (value instanceof BigInteger big) {
			writeBigInteger(big);
		}
		else if (value instanceof Double || value instanceof Float) {
			this.out.write(0xcb);
			writeBytes(Double.doubleToLongBits(((Number) value).doubleValue()), 8);
		}
		else if (value instanceof Number number) {
			throw new SerializationException("msgpack cannot write a " + number.getClass().getSimpleName() + " ("
					+ number + "); send it as a string");
		}
		else if (value instanceof String text) {
			writeString(text);
		}
		else if (value instanceof byte[] bytes) {
			writeHeader(bytes.length, -1, 0xc4, 0xc5, 0xc6);
			this.out.writeBytes(bytes);
		}
		else if (value instanceof Collection<?> items) {
			writeHeader(items.size(), 0x90, -1, 0xdc, 0xdd);
			items.forEach(this::writeValue);
		}
		else if (value instanceof Map<?, ?> map) {
			writeHeader(map.size(), 0x80, -1, 0xde, 0xdf);
			map.forEach((key, item) -> {
				writeValue(key);
				writeValue(item);
			});
		}
		else {
			throw new SerializationException("msgpack cannot write a " + value.getClass().getName());
		}
	}

	private void writeLong(long value) {
		if (value >= 0) {
			if (value < 128) {
				this.out.write((int) value);
			}
			else if (value <= 0xffL) {
				this.out.write(0xcc);
				writeBytes(value, 1);
			}
			else if (value <= 0xffffL) {
				this.out.write(0xcd);
				writeBytes(value, 2);
			}
			else if (value <= 0xffffffffL) {
				this.out.write(0xce);
				writeBytes(value, 4);
			}
			else {
				this.out.write(0xcf);
				writeBytes(value, 8);
			}
		}
		else if (value >= -32) {
			this.out.write((int) (value & 0xff));
		}
		else if (value >= Byte.MIN_VALUE) {
			this.out.write(0xd0);
			writeBytes(value, 1);
		}
		else if (value >= Short.MIN_VALUE) {
			this.out.write(0xd1);
			writeBytes(value, 2);
		}
		else if (value >= Integer.MIN_VALUE) {
			this.out.write(0xd2);
			writeBytes(value, 4);
		}
		else {
			this.out.write(0xd3);
			writeBytes(value, 8);
		}
	}

	private void writeBigInteger(BigInteger value) {
		if (value.bitLength() < 64) {
			writeLong(value.longValue());
		}
		else if (value.signum() > 0 && value.compareTo(MAX_UINT64) <= 0) {
			this.out.write(0xcf);
			writeBytes(value.longValue(), 8);
		}
		else {
			throw new SerializationException("msgpack cannot write the integer " + value + ": it needs more than 64 bits");
		}
	}

	private void writeString(String text) {
		byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
		if (utf8.length < 32) {
			this.out.write(0xa0 | utf8.length);
		}
		else {
			writeHeader(utf8.length, -1, 0xd9, 0xda, 0xdb);
		}
		this.out.writeBytes(utf8);
	}

	/**
	 * A length header: the fix form when it fits (below 16, for arrays and maps), else 8, 16 or 32 bits.
	 */
	private void writeHeader(int length, int fix, int tag8, int tag16, int tag32) {
		if (fix >= 0 && length < 16) {
			this.out.write(fix | length);
		}
		else if (tag8 >= 0 && length <= 0xff) {
			this.out.write(tag8);
			writeBytes(length, 1);
		}
		else if (length <= 0xffff) {
			this.out.write(tag16);
			writeBytes(length, 2);
		}
		else {
			this.out.write(tag32);
			writeBytes(length, 4);
		}
	}

	private void writeBytes(long value, int count) {
		for (int shift = (count - 1) * 8; shift >= 0; shift -= 8) {
			this.out.write((int) (value >>> shift) & 0xff);
		}
	}

}
