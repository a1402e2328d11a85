package dev.taskqueue.rabbitmq;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The choice of delay bucket: never longer than the time left, except the shortest for under a second.
 */
class DelayQueuesTests {

	@Test
	void underASecondGoesToTheShortestBucket() {
		assertThat(DelayQueues.bucketFor(Duration.ZERO)).isEqualTo(1000);
		assertThat(DelayQueues.bucketFor(Duration.ofMillis(10))).isEqualTo(1000);
		assertThat(DelayQueues.bucketFor(Duration.ofMillis(-5))).isEqualTo(1000);
	}

	@Test
	void theLongestBucketNotLongerThanTheTimeLeft() {
		assertThat(DelayQueues.bucketFor(Duration.ofMillis(1999))).isEqualTo(1000);
		assertThat(DelayQueues.bucketFor(Duration.ofSeconds(2))).isEqualTo(2000);
		assertThat(DelayQueues.bucketFor(Duration.ofSeconds(10))).isEqualTo(8000);
		assertThat(DelayQueues.bucketFor(Duration.ofHours(1))).isEqualTo(2048000);
	}

	@Test
	void veryLongDelaysHopThroughTheLongestBucket() {
		assertThat(DelayQueues.bucketFor(Duration.ofDays(365))).isEqualTo(1000L << 23);
	}

}
