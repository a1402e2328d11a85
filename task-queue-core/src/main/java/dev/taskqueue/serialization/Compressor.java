package dev.taskqueue.serialization;

import java.util.List;

/**
 * A compression of message bodies, named as kombu names it and announced in the {@code compression}
 * header by its content type. A bean of this type is added to the built-in ones.
 */
public interface Compressor {

	/**
	 * The names configuration and Celery use for it, first the main one ({@code zlib}, {@code gzip}).
	 * @return the names
	 */
	List<String> names();

	/**
	 * The content type written in the {@code compression} header ({@code application/x-gzip}).
	 * @return the content type
	 */
	String contentType();

	/**
	 * Compress a body.
	 * @param body the serialized body
	 * @return the compressed bytes
	 */
	byte[] compress(byte[] body);

	/**
	 * Decompress a body, refusing to produce more than {@code maxBytes} (a small message must not expand
	 * into a huge one).
	 * @param compressed the compressed bytes
	 * @param maxBytes the largest result allowed
	 * @return the body
	 * @throws SerializationException if the bytes are not valid or expand beyond {@code maxBytes}
	 */
	byte[] decompress(byte[] compressed, int maxBytes);

}
