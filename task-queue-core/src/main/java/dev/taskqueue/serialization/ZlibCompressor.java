package dev.taskqueue.serialization;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

/**
 * kombu's {@code zlib} compression, also called {@code gzip}: zlib data under the content type
 * {@code application/x-gzip}, as Celery writes it. A real gzip stream under that content type is read too.
 */
public class ZlibCompressor extends StreamCompressor {

	/**
	 * Create the compressor.
	 */
	public ZlibCompressor() {
		super("application/x-gzip", "zlib", "gzip");
	}

	@Override
	protected OutputStream compressing(OutputStream out) {
		return new DeflaterOutputStream(out);
	}

	@Override
	protected InputStream decompressing(InputStream in) throws IOException {
		BufferedInputStream buffered = new BufferedInputStream(in);
		buffered.mark(2);
		boolean gzip = buffered.read() == 0x1f && buffered.read() == 0x8b;
		buffered.reset();
		return gzip ? new GZIPInputStream(buffered) : new InflaterInputStream(buffered);
	}

}
