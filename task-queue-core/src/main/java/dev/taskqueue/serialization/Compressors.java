package dev.taskqueue.serialization;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The compressions an application knows, by name ({@code zlib}, {@code gzip}, ...) and by the content type
 * of the {@code compression} header.
 */
public class Compressors {

	private final Map<String, Compressor> byName = new LinkedHashMap<>();

	private final Map<String, Compressor> byContentType = new LinkedHashMap<>();

	/**
	 * Create a registry.
	 * @param compressors the compressors; a later one replaces an earlier one of the same name
	 */
	public Compressors(Collection<? extends Compressor> compressors) {
		for (Compressor compressor : compressors) {
			compressor.names().forEach((name) -> this.byName.put(name, compressor));
			this.byContentType.put(compressor.contentType(), compressor);
		}
	}

	/**
	 * The compressor with this name or content type.
	 * @param nameOrContentType {@code zlib}, {@code gzip} or {@code application/x-gzip}
	 * @return the compressor
	 * @throws SerializationException if there is none
	 */
	public Compressor get(String nameOrContentType) {
		Compressor compressor = this.byName.get(nameOrContentType);
		if (compressor == null) {
			compressor = this.byContentType.get(nameOrContentType);
		}
		if (compressor == null) {
			throw new SerializationException("No compression '" + nameOrContentType + "'; known: " + this.byName.keySet()
					+ " (bzip2 needs org.apache.commons:commons-compress, lzma/xz needs org.tukaani:xz)");
		}
		return compressor;
	}

}
