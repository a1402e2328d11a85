package dev.taskqueue.protocol;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link IsoTime} reads the times Celery peers write and writes them as Python's {@code isoformat()}.
 */
class IsoTimeTests {

	@Test
	void parsesAnAwareTimeWithPythonsUtcOffset() {
		assertThat(IsoTime.parse("2026-11-23T23:02:27.438854+00:00"))
			.isEqualTo(Instant.parse("2026-11-23T23:02:27.438854Z"));
	}

	@Test
	void parsesZ() {
		assertThat(IsoTime.parse("2030-01-02T03:04:05Z")).isEqualTo(Instant.parse("2030-01-02T03:04:05Z"));
	}

	@Test
	void parsesAnotherOffset() {
		assertThat(IsoTime.parse("2030-01-02T03:04:05+02:00")).isEqualTo(Instant.parse("2030-01-02T01:04:05Z"));
		assertThat(IsoTime.parse("2030-01-02T03:04:05.5-05:30")).isEqualTo(Instant.parse("2030-01-02T08:34:05.5Z"));
	}

	@Test
	void parsesANaiveTimeAsUtc() {
		assertThat(IsoTime.parse("2030-01-02T03:04:05")).isEqualTo(Instant.parse("2030-01-02T03:04:05Z"));
		assertThat(IsoTime.parse("2030-01-02T03:04:05.600000")).isEqualTo(Instant.parse("2030-01-02T03:04:05.6Z"));
	}

	@Test
	void parsesMicroseconds() {
		assertThat(IsoTime.parse("2030-01-02T03:04:05.000001+00:00").getNano()).isEqualTo(1000);
	}

	@Test
	void refusesWhatIsNotATime() {
		for (String text : new String[] { "tomorrow", "2030-01-02", "03:04:05", "", "2030-13-02T03:04:05" }) {
			assertThatExceptionOfType(ProtocolException.class).isThrownBy(() -> IsoTime.parse(text))
				.withMessageContaining("'" + text + "'")
				.withMessageContaining("ISO 8601");
		}
	}

	@Test
	void formatsAsPythonsAwareIsoformat() {
		assertThat(IsoTime.format(Instant.parse("2026-11-23T23:02:27.438854Z")))
			.isEqualTo("2026-11-23T23:02:27.438854+00:00");
	}

	@Test
	void formatsSixDigitsOfFraction() {
		assertThat(IsoTime.format(Instant.parse("2030-01-02T03:04:05.6Z"))).isEqualTo("2030-01-02T03:04:05.600000+00:00");
		assertThat(IsoTime.format(Instant.parse("2030-01-02T03:04:05.000001Z")))
			.isEqualTo("2030-01-02T03:04:05.000001+00:00");
	}

	@Test
	void formatsWithoutFractionWhenMicrosecondsAreZero() {
		assertThat(IsoTime.format(Instant.parse("2030-01-02T03:04:05Z"))).isEqualTo("2030-01-02T03:04:05+00:00");
		// nanoseconds below a microsecond are dropped, as Python has none
		assertThat(IsoTime.format(Instant.parse("2030-01-02T03:04:05.000000999Z"))).isEqualTo("2030-01-02T03:04:05+00:00");
		assertThat(IsoTime.format(Instant.parse("2030-01-02T03:04:05.123456789Z")))
			.isEqualTo("2030-01-02T03:04:05.123456+00:00");
	}

	@Test
	void formatsNaiveUtcForResultDocuments() {
		assertThat(IsoTime.naive(Instant.parse("2026-11-23T23:02:54.862621Z"))).isEqualTo("2026-11-23T23:02:54.862621");
		assertThat(IsoTime.naive(Instant.parse("2026-11-23T23:02:54Z"))).isEqualTo("2026-11-23T23:02:54");
	}

	@Test
	void whatItFormatsItParses() {
		Instant instant = Instant.parse("1999-12-31T23:59:59.999999Z");
		assertThat(IsoTime.parse(IsoTime.format(instant))).isEqualTo(instant);
		assertThat(IsoTime.parse(IsoTime.naive(instant))).isEqualTo(instant);
	}

	@Test
	void formatsYearsBeforeTenThousandAsPythonDoes() {
		assertThat(IsoTime.format(Instant.parse("0999-01-02T03:04:05Z"))).isEqualTo("0999-01-02T03:04:05+00:00");
	}

}
