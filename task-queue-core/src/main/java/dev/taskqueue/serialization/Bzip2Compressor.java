package dev.taskqueue.serialization;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;

/**
 * kombu's {@code bzip2} compression ({@code application/x-bz2}). Needs Apache Commons Compress on the class
 * path, which the JDK lacks for bzip2.
 */
public class Bzip2Compressor extends StreamCompressor {

	/**
	 * Create the compressor.
	 */
	public Bzip2Compressor() {
		super("application/x-bz2", "bzip2", "bzip");
	}

	@Override
	protected OutputStream compressing(OutputStream out) throws IOException {
		return new BZip2CompressorOutputStream(out);
	}

	@Override
	protected InputStream decompressing(InputStream in) throws IOException {
		return new BZip2CompressorInputStream(in);
	}

}
