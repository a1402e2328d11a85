package dev.taskqueue.protocol;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Received values are logged on one line, their control characters escaped.
 */
class LogTextTests {

	@Test
	void textWithoutControlCharactersIsTheSameString() {
		String text = "tasks.add[6a3c…] é ✓";
		assertThat(LogText.escape(text)).isSameAs(text);
	}

	@Test
	void lineBreaksTabsAndOtherControlCharactersAreEscaped() {
		assertThat(LogText.escape("evil\n12:00:00.000 ERROR forged\r\tbell\u0007 del\u007f c1\u0085 ls\u2028 ps\u2029"))
			.isEqualTo("evil\\n12:00:00.000 ERROR forged\\r\\tbell\\u0007 del\\u007f c1\\u0085 ls\\u2028 ps\\u2029");
	}

	@Test
	void nullIsWrittenAsNullAndOtherValuesByTheirText() {
		assertThat(LogText.escape(null)).isEqualTo("null");
		assertThat(LogText.escape(java.util.List.of("a\nb"))).isEqualTo("[a\\nb]");
	}

}
