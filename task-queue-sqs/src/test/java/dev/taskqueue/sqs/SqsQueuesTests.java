package dev.taskqueue.sqs;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Queue names as kombu's SQS transport makes them ({@code entity_name} with {@code CHARS_REPLACE_TABLE}).
 */
class SqsQueuesTests {

	@Test
	void dotsBecomeDashesAndOtherPunctuationUnderscores() {
		assertThat(SqsQueues.entityName("celery")).isEqualTo("celery");
		assertThat(SqsQueues.entityName("my.app.emails")).isEqualTo("my-app-emails");
		assertThat(SqsQueues.entityName("a:b@c/d-e_f")).isEqualTo("a_b_c_d-e_f");
		assertThat(SqsQueues.entityName("celery.pidbox")).isEqualTo("celery-pidbox");
	}

	@Test
	void aFifoSuffixKeepsItsDot() {
		assertThat(SqsQueues.entityName("orders.eu.fifo")).isEqualTo("orders-eu.fifo");
		assertThat(SqsQueues.isFifo("orders.fifo")).isTrue();
		assertThat(SqsQueues.isFifo("orders-fifo")).isFalse();
	}

}
