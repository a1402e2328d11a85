package dev.taskqueue.sqs;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The SQS broker's settings: kombu's defaults, and SQS's bounds checked when they are made.
 */
class SqsBrokerSettingsTests {

	@Test
	void theDefaultsAreKombus() {
		SqsBrokerSettings defaults = SqsBrokerSettings.defaults();
		assertThat(defaults.queueNamePrefix()).isEmpty();
		assertThat(defaults.waitTime()).isEqualTo(Duration.ofSeconds(10));
		assertThat(defaults.visibilityTimeout()).isEqualTo(Duration.ofMinutes(30));
	}

	@Test
	void aWaitLongerThanSqsAllowsIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SqsBrokerSettings.defaults().withWaitTime(Duration.ofSeconds(21)))
			.withMessageContaining("0 to 20 seconds");
		assertThat(SqsBrokerSettings.defaults().withWaitTime(Duration.ZERO).waitTime()).isZero();
	}

	@Test
	void aVisibilityTimeoutOutsideSqsBoundsIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SqsBrokerSettings.defaults().withVisibilityTimeout(Duration.ofMillis(500)));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SqsBrokerSettings.defaults().withVisibilityTimeout(Duration.ofHours(13)));
	}

}
