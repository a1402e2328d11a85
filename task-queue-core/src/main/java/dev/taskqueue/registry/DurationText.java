package dev.taskqueue.registry;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the durations of {@code @Task} attributes as Spring Boot reads {@code Duration} properties, so that an
 * annotation and {@code application.yml} take the same text: {@code 500ms}, {@code 10s}, {@code 5m}, {@code 2h},
 * {@code 1d}, a bare number of milliseconds, or ISO-8601 ({@code PT10S}). Core keeps it rather than depend on
 * Spring Boot for one parser; public for the beat's {@code @Periodic(every = "30s")}.
 */
public final class DurationText {

	private static final Pattern SIMPLE = Pattern.compile("^([+-]?\\d+)([a-zA-Z]{0,2})$");

	private DurationText() {
	}

	/**
	 * Read a duration.
	 * @param text the duration as written ({@code 30s}, {@code PT30S})
	 * @return the duration
	 * @throws IllegalArgumentException if it is not one
	 */
	public static Duration parse(String text) {
		String trimmed = text.trim();
		Matcher simple = SIMPLE.matcher(trimmed);
		if (simple.matches()) {
			return Duration.of(Long.parseLong(simple.group(1)), unit(simple.group(2), text));
		}
		try {
			return Duration.parse(trimmed);
		}
		catch (DateTimeParseException ex) {
			throw new IllegalArgumentException("'" + text + "' is not a duration: write 500ms, 10s, 5m, 2h, 1d or PT10S",
					ex);
		}
	}

	private static ChronoUnit unit(String suffix, String text) {
		return switch (suffix.toLowerCase(Locale.ROOT)) {
			case "", "ms" -> ChronoUnit.MILLIS;
			case "ns" -> ChronoUnit.NANOS;
			case "us" -> ChronoUnit.MICROS;
			case "s" -> ChronoUnit.SECONDS;
			case "m" -> ChronoUnit.MINUTES;
			case "h" -> ChronoUnit.HOURS;
			case "d" -> ChronoUnit.DAYS;
			default -> throw new IllegalArgumentException("'" + text + "' has an unknown unit '" + suffix
					+ "': write ns, us, ms, s, m, h or d");
		};
	}

}
