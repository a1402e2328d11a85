package dev.taskqueue.rabbitmq;

import java.io.IOException;
import java.net.ConnectException;

import com.rabbitmq.client.ShutdownSignalException;
import com.rabbitmq.client.impl.AMQImpl;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.AmqpConnectException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A RabbitMQ that refuses is reported in its own words, not in the client's wrappers of them.
 */
class RabbitStatusTests {

	@Test
	void aConnectionRabbitMqClosedIsReportedWithItsReplyTextAndCode() {
		ShutdownSignalException closed = new ShutdownSignalException(true, false,
				new AMQImpl.Connection.Close(530, "NOT_ALLOWED - vhost orders not found", 10, 40), null);
		AmqpConnectException failure = new AmqpConnectException(new IOException(closed));
		assertThat(RabbitStatus.reason(failure)).isEqualTo("NOT_ALLOWED - vhost orders not found (530)");
	}

	@Test
	void aConnectionRefusedIsReportedAsTheSocketSaidIt() {
		AmqpConnectException failure = new AmqpConnectException(new ConnectException("Connection refused"));
		assertThat(RabbitStatus.reason(failure)).isEqualTo("Connection refused");
	}

}
