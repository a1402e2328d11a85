package dev.taskqueue.rabbitmq;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ShutdownSignalException;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;

import dev.taskqueue.status.ComponentStatus;
import dev.taskqueue.status.StatusCheck;

/**
 * Whether RabbitMQ answers, for the broker's and the rpc result backend's {@code status()}: the connection
 * factory's connection (opened again if the broker closed it, as Spring's factory does on demand) and a round trip
 * on a channel of it (a passive declare of {@code amq.direct}, which every virtual host has), bounded by a
 * {@link StatusCheck}. Details: {@code host}, {@code port}, {@code virtualHost}, and the server's {@code product}
 * and {@code version} from the connection's server properties.
 */
final class RabbitStatus {

	/** An exchange every virtual host has: declaring it passively is a round trip that cannot fail with a 404. */
	private static final String ALWAYS_THERE = "amq.direct";

	private final ConnectionFactory connectionFactory;

	private final Map<String, Object> address;

	private final StatusCheck check;

	private final String server;

	RabbitStatus(ConnectionFactory connectionFactory) {
		this.connectionFactory = connectionFactory;
		this.address = address(connectionFactory);
		this.server = "RabbitMQ at " + connectionFactory.getHost() + ":" + connectionFactory.getPort()
				+ " (virtual host '" + connectionFactory.getVirtualHost() + "')";
		this.check = new StatusCheck(this.server, this.address, this::roundTrip);
	}

	/**
	 * Check now, at most {@link StatusCheck#DEFAULT_TIMEOUT}.
	 * @return up with the server's version, or down with the reason
	 */
	ComponentStatus status() {
		return this.check.status();
	}

	private ComponentStatus roundTrip() {
		Connection connection;
		try {
			connection = this.connectionFactory.createConnection();
			Channel channel = connection.createChannel(false);
			try {
				channel.exchangeDeclarePassive(ALWAYS_THERE);
			}
			finally {
				close(channel);
			}
		}
		catch (IOException | RuntimeException ex) {
			return ComponentStatus.down(this.server + ": " + reason(ex), this.address);
		}
		Map<String, Object> details = new LinkedHashMap<>(this.address);
		Map<String, Object> server = connection.getDelegate().getServerProperties();
		if (server != null) {
			putText(details, "product", server.get("product"));
			putText(details, "version", server.get("version"));
		}
		return ComponentStatus.up(details);
	}

	/**
	 * Why RabbitMQ refused, as it said it ("NOT_ALLOWED - vhost orders not found (530)"), or the client's failure.
	 */
	static String reason(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof ShutdownSignalException signal) {
				if (signal.getReason() instanceof AMQP.Connection.Close close) {
					return close.getReplyText() + " (" + close.getReplyCode() + ")";
				}
				if (signal.getReason() instanceof AMQP.Channel.Close close) {
					return close.getReplyText() + " (" + close.getReplyCode() + ")";
				}
			}
			if (cause.getCause() == null || cause.getCause() == cause) {
				return StatusCheck.reason(cause);
			}
		}
		return StatusCheck.reason(failure);
	}

	private static void putText(Map<String, Object> details, String key, @Nullable Object value) {
		if (value != null) {
			// the AMQP client hands strings of the server properties over as LongString
			details.put(key, value.toString());
		}
	}

	private static void close(Channel channel) {
		try {
			channel.close();
		}
		catch (IOException | TimeoutException | RuntimeException ex) {
			// a channel the check could not close is closed with its connection
		}
	}

	private static Map<String, Object> address(ConnectionFactory connectionFactory) {
		Map<String, Object> address = new LinkedHashMap<>();
		putText(address, "host", connectionFactory.getHost());
		address.put("port", connectionFactory.getPort());
		putText(address, "virtualHost", connectionFactory.getVirtualHost());
		return address;
	}

}
