package dev.taskqueue.events;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * What software a worker runs, as its worker events say (Celery's {@code SOFTWARE_INFO}: {@code sw_ident},
 * {@code sw_ver}, {@code sw_sys}). A Celery worker says {@code py-celery}, its version and Python's
 * {@code platform.system()}; a worker of this library says {@value #IDENT}, the library's version and the same
 * system names ({@code Linux}, {@code Darwin}, {@code Windows}). Celery's monitors only display these fields
 * ({@code celery.events.state.Worker}, Flower): nothing branches on {@code py-celery}.
 *
 * @param ident the implementation ({@code sw_ident})
 * @param version its version ({@code sw_ver})
 * @param system the operating system ({@code sw_sys})
 */
public record SoftwareInfo(String ident, String version, String system) {

	/** This library's {@code sw_ident}: the language, then the product, as Celery's {@code py-celery}. */
	public static final String IDENT = "java-taskqueue";

	private static final SoftwareInfo CURRENT = new SoftwareInfo(IDENT, libraryVersion(),
			system(System.getProperty("os.name", "")));

	/**
	 * This worker's software.
	 * @return the library's identity, version and the operating system
	 */
	public static SoftwareInfo current() {
		return CURRENT;
	}

	/**
	 * The fields, as events carry them.
	 * @return {@code sw_ident}, {@code sw_ver}, {@code sw_sys}
	 */
	public Map<String, Object> fields() {
		Map<String, Object> fields = new LinkedHashMap<>();
		fields.put("sw_ident", this.ident);
		fields.put("sw_ver", this.version);
		fields.put("sw_sys", this.system);
		return fields;
	}

	/**
	 * Python's {@code platform.system()} for Java's {@code os.name}.
	 */
	static String system(String osName) {
		String name = osName.toLowerCase(Locale.ROOT);
		if (name.startsWith("linux")) {
			return "Linux";
		}
		if (name.startsWith("mac") || name.startsWith("darwin")) {
			return "Darwin";
		}
		if (name.startsWith("windows")) {
			return "Windows";
		}
		return osName.isEmpty() ? "unknown" : osName;
	}

	private static String libraryVersion() {
		try (InputStream in = SoftwareInfo.class.getResourceAsStream("software.properties")) {
			if (in != null) {
				Properties properties = new Properties();
				properties.load(in);
				String version = properties.getProperty("version", "");
				if (!version.isEmpty() && !version.startsWith("${")) {
					return version;
				}
			}
		}
		catch (IOException ex) {
			// unknown, below
		}
		return "unknown";
	}

}
