package dev.taskqueue.serialization;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZInputStream;
import org.tukaani.xz.XZOutputStream;

/**
 * kombu's {@code lzma} compression, also called {@code xz} ({@code application/x-lzma}): the .xz format
 * Python's {@code lzma.compress} writes by default. Needs the XZ for Java library on the class path.
 */
public class XzCompressor extends StreamCompressor {

	/**
	 * Create the compressor.
	 */
	public XzCompressor() {
		super("application/x-lzma", "lzma", "xz");
	}

	@Override
	protected OutputStream compressing(OutputStream out) throws IOException {
		return new XZOutputStream(out, new LZMA2Options());
	}

	@Override
	protected InputStream decompressing(InputStream in) throws IOException {
		return new XZInputStream(in);
	}

}
