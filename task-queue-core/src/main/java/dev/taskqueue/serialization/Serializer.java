package dev.taskqueue.serialization;

import org.jspecify.annotations.Nullable;

/**
 * Turns plain values (lists, maps, strings, numbers, booleans, null, and whatever Java objects the
 * serializer can write) into bytes and back, for one content type. Decoding yields plain values only; the
 * worker converts them to a task's parameter types.
 * <p>
 * A bean of this type is picked up by the content type it names, and replaces the built-in serializer
 * of that content type.
 */
public interface Serializer {

	/**
	 * The short name used in configuration and by Celery ({@code json}, {@code msgpack}, {@code yaml}).
	 * @return the name
	 */
	String name();

	/**
	 * The content type, matched exactly as Celery matches it ({@code application/json}).
	 * @return the content type
	 */
	String contentType();

	/**
	 * The content encoding ({@code utf-8} for text formats, {@code binary} otherwise).
	 * @return the encoding
	 */
	String contentEncoding();

	/**
	 * Serialize a value.
	 * @param value the value
	 * @return its bytes
	 * @throws SerializationException if the value cannot be written
	 */
	byte[] serialize(@Nullable Object value);

	/**
	 * Deserialize bytes into plain values.
	 * @param bytes the bytes
	 * @return the value
	 * @throws SerializationException if the bytes are not valid for this content type
	 */
	@Nullable Object deserialize(byte[] bytes);

}
