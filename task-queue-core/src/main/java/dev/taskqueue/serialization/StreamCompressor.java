package dev.taskqueue.serialization;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * A {@link Compressor} made of a compressing output stream and a decompressing input stream, so that each
 * algorithm is two lines. Decompression stops at the size limit.
 */
abstract class StreamCompressor implements Compressor {

	private final List<String> names;

	private final String contentType;

	/**
	 * Create a compressor.
	 * @param contentType the content type of the {@code compression} header
	 * @param names its names, the main one first
	 */
	protected StreamCompressor(String contentType, String... names) {
		this.contentType = contentType;
		this.names = List.of(names);
	}

	@Override
	public List<String> names() {
		return this.names;
	}

	@Override
	public String contentType() {
		return this.contentType;
	}

	@Override
	public byte[] compress(byte[] body) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, body.length / 2));
		try (OutputStream compressing = compressing(out)) {
			compressing.write(body);
		}
		catch (IOException ex) {
			throw new SerializationException("Cannot compress with " + this.names.get(0) + ": " + ex.getMessage(), ex);
		}
		return out.toByteArray();
	}

	@Override
	public byte[] decompress(byte[] compressed, int maxBytes) {
		try (InputStream in = decompressing(new ByteArrayInputStream(compressed))) {
			byte[] body = in.readNBytes(maxBytes);
			if (in.read() != -1) {
				throw new SerializationException("The " + this.names.get(0) + " body expands beyond the maximum message "
						+ "size of " + maxBytes + " bytes");
			}
			return body;
		}
		catch (IOException ex) {
			throw new SerializationException("Not valid " + this.names.get(0) + " data: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Wrap an output stream in this compression.
	 * @param out the stream receiving compressed bytes
	 * @return the compressing stream
	 * @throws IOException if the stream cannot be created
	 */
	protected abstract OutputStream compressing(OutputStream out) throws IOException;

	/**
	 * Wrap an input stream of compressed bytes.
	 * @param in the compressed bytes
	 * @return the decompressing stream
	 * @throws IOException if the data's header is not valid
	 */
	protected abstract InputStream decompressing(InputStream in) throws IOException;

}
