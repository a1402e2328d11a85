package dev.taskqueue.rabbitmq;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.ShutdownSignalException;
import com.rabbitmq.client.impl.AMQImpl;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.AmqpIOException;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * Argument typing and the translation of refused declarations.
 */
class RabbitTopologyTests {

	@Test
	void argumentsWrittenAsTextGetTheirTypes() {
		Map<String, String> arguments = new LinkedHashMap<>();
		arguments.put("x-max-length", "100");
		arguments.put("x-big", "10000000000");
		arguments.put("x-single-active-consumer", "true");
		arguments.put("x-overflow", "reject-publish");
		assertThat(RabbitTopology.typed(arguments)).containsEntry("x-max-length", 100)
			.containsEntry("x-big", 10000000000L)
			.containsEntry("x-single-active-consumer", true)
			.containsEntry("x-overflow", "reject-publish");
	}

	@Test
	void aClashIsReportedWithTheQueueAndTheArgument() {
		AmqpAdmin admin = mock(AmqpAdmin.class);
		String text = "PRECONDITION_FAILED - inequivalent arg 'x-max-priority' for queue 'q' in vhost '/'";
		AMQP.Channel.Close close = new AMQImpl.Channel.Close(AMQP.PRECONDITION_FAILED, text, 50, 10);
		ShutdownSignalException signal = new ShutdownSignalException(false, false, close, null);
		given(admin.declareQueue(any(Queue.class)))
			.willThrow(new AmqpIOException(new java.io.IOException(signal)));
		RabbitTopology topology = new RabbitTopology(admin, List.of(), List.of(new Queue("q")), List.of());
		assertThatExceptionOfType(TopologyException.class).isThrownBy(() -> topology.declare(List.of(), null))
			.withMessageContaining("queue 'q'")
			.withMessageContaining("x-max-priority");
	}

}
