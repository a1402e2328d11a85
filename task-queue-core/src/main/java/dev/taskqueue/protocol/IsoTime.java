package dev.taskqueue.protocol;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * Times as Celery writes them in headers and result documents: Python's {@code isoformat()}.
 */
public final class IsoTime {

	private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

	private static final DateTimeFormatter MICROS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS");

	private IsoTime() {
	}

	/**
	 * An instant as Python's {@code datetime.isoformat()} writes an aware UTC datetime, as in the
	 * {@code eta} and {@code expires} headers: {@code 2026-11-23T23:02:27.438854+00:00}.
	 * @param instant the instant
	 * @return the text
	 */
	public static String format(Instant instant) {
		return naive(instant) + "+00:00";
	}

	/**
	 * An instant as a naive UTC {@code isoformat()}, as in a result's {@code date_done}.
	 * @param instant the instant
	 * @return the text, with microseconds only when they are not zero (as Python)
	 */
	public static String naive(Instant instant) {
		LocalDateTime time = LocalDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
		return (time.getNano() == 0) ? SECONDS.format(time) : MICROS.format(time);
	}

	/**
	 * Read an ISO 8601 time as Celery peers write it: with an offset, with {@code Z}, or naive (taken as UTC,
	 * which is what Celery assumes when {@code enable_utc} is on, its default).
	 * @param text the text
	 * @return the instant
	 * @throws ProtocolException if the text is not a time
	 */
	public static Instant parse(String text) {
		try {
			return OffsetDateTime.parse(text).toInstant();
		}
		catch (DateTimeParseException withoutOffset) {
			try {
				return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
			}
			catch (DateTimeParseException ex) {
				throw new ProtocolException("'" + text + "' is not an ISO 8601 time");
			}
		}
	}

}
