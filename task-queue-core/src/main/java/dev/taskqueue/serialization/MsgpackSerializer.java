package dev.taskqueue.serialization;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * Celery's {@code msgpack} serializer ({@code application/x-msgpack}, {@code binary}): strings as str,
 * {@code byte[]} as bin, as Python's {@code msgpack.packb(use_bin_type=True)} writes them. Other Java
 * values are first made {@link PlainValues plain}; integers beyond 64 bits are refused, as by Python.
 */
public class MsgpackSerializer implements Serializer {

	private final JsonMapper mapper;

	private final int maxDepth;

	/**
	 * Create a serializer.
	 * @param mapper a Celery-compatible mapper for values that are not plain
	 * @param maxDepth the deepest nesting read
	 */
	public MsgpackSerializer(JsonMapper mapper, int maxDepth) {
		this.mapper = mapper;
		this.maxDepth = maxDepth;
	}

	@Override
	public String name() {
		return "msgpack";
	}

	@Override
	public String contentType() {
		return "application/x-msgpack";
	}

	@Override
	public String contentEncoding() {
		return "binary";
	}

	@Override
	public byte[] serialize(@Nullable Object value) {
		return new MsgpackWriter().write(PlainValues.of(value, this.mapper));
	}

	@Override
	public @Nullable Object deserialize(byte[] bytes) {
		return new MsgpackReader(bytes, this.maxDepth).readAll();
	}

}
