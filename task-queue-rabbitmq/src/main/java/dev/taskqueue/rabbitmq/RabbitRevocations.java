package dev.taskqueue.rabbitmq;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;

import org.jspecify.annotations.Nullable;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;

import dev.taskqueue.broker.BrokerException;
import dev.taskqueue.revoke.InMemoryRevocations;
import dev.taskqueue.revoke.Revocations;

/**
 * {@link Revocations} shared through RabbitMQ. A fanout exchange would reach only the workers running
 * now; a worker started later must also learn the revocations of the window. So revocations are
 * appended to a RabbitMQ <em>stream</em> ({@code taskqueue.revoked}, {@code x-max-age} = the window):
 * every application reads it non-destructively from the start of the window, then follows it live, and
 * keeps what it read in memory. To know that it has caught up before it answers
 * {@link #isRevoked(String)}, an application appends a marker of its own and waits until it reads it
 * back (the stream is ordered). Needs RabbitMQ 3.9 or later.
 */
public class RabbitRevocations implements Revocations, AutoCloseable {

	/** The stream revocations are appended to. */
	public static final String STREAM = "taskqueue.revoked";

	private static final String KIND = "x-taskqueue-revocation";

	private final ConnectionFactory connectionFactory;

	private final Duration window;

	private final Clock clock;

	private final InMemoryRevocations known;

	private @Nullable Connection connection;

	private @Nullable Channel publishing;

	private @Nullable Channel consuming;

	/**
	 * Create revocations; nothing is declared or read until first used.
	 * @param connectionFactory the RabbitMQ connections
	 * @param window how long a revocation is kept ({@code taskqueue.worker.revocation-window})
	 * @param clock the clock the window is measured with
	 */
	public RabbitRevocations(ConnectionFactory connectionFactory, Duration window, Clock clock) {
		this.connectionFactory = connectionFactory;
		this.window = window;
		this.clock = clock;
		this.known = new InMemoryRevocations(window, clock);
	}

	@Override
	public synchronized void revoke(String taskId, boolean terminate) {
		append(terminate ? "terminate" : "revoke", taskId);
	}

	@Override
	public boolean isRevoked(String taskId) {
		following();
		return this.known.isRevoked(taskId);
	}

	/**
	 * The ids this application knows to be revoked: those of the stream's window, read at the first use and
	 * followed since. No round trip once following.
	 * @throws BrokerException if the stream could not be read yet
	 */
	@Override
	public Set<String> revokedIds() {
		following();
		return this.known.revokedIds();
	}

	@Override
	public void onTerminate(Consumer<String> listener) {
		this.known.onTerminate(listener);
		following();
	}

	private synchronized void append(String kind, String value) {
		try {
			Channel channel = publishing();
			AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().deliveryMode(2)
				.timestamp(Date.from(this.clock.instant()))
				.headers(Map.of(KIND, kind))
				.build();
			channel.basicPublish("", STREAM, properties, value.getBytes(StandardCharsets.UTF_8));
			channel.waitForConfirmsOrDie(10_000);
		}
		catch (IOException | TimeoutException | InterruptedException ex) {
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			throw new BrokerException("Could not publish a revocation to RabbitMQ stream '" + STREAM + "'", ex);
		}
	}

	private Channel publishing() throws IOException {
		if (this.publishing == null) {
			Channel channel = connection().createChannel(false);
			declare(channel);
			channel.confirmSelect();
			this.publishing = channel;
		}
		return this.publishing;
	}

	private synchronized Connection connection() {
		if (this.connection == null) {
			this.connection = this.connectionFactory.createConnection();
		}
		return this.connection;
	}

	private void declare(Channel channel) throws IOException {
		channel.queueDeclare(STREAM, true, false, false,
				Map.of("x-queue-type", "stream", "x-max-age", Math.max(1, this.window.toSeconds()) + "s"));
	}

	private synchronized void following() {
		if (this.consuming != null) {
			return;
		}
		String marker = UUID.randomUUID().toString();
		CountDownLatch caughtUp = new CountDownLatch(1);
		try {
			Channel channel = connection().createChannel(false);
			declare(channel);
			channel.basicQos(500);
			Instant from = this.clock.instant().minus(this.window);
			channel.basicConsume(STREAM, false, Map.of("x-stream-offset", Date.from(from)),
					new DefaultConsumer(channel) {
						@Override
						public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties,
								byte[] body) throws IOException {
							read(properties, new String(body, StandardCharsets.UTF_8), marker, caughtUp);
							channel.basicAck(envelope.getDeliveryTag(), false);
						}
					});
			this.consuming = channel;
			append("marker", marker);
			if (!caughtUp.await(30, TimeUnit.SECONDS)) {
				throw new BrokerException("Could not read RabbitMQ stream '" + STREAM + "' up to now");
			}
		}
		catch (IOException ex) {
			throw new BrokerException("Could not follow RabbitMQ stream '" + STREAM + "'", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new BrokerException("Interrupted while reading RabbitMQ stream '" + STREAM + "'", ex);
		}
	}

	private void read(AMQP.BasicProperties properties, String value, String marker, CountDownLatch caughtUp) {
		Object kind = (properties.getHeaders() != null) ? properties.getHeaders().get(KIND) : null;
		String type = (kind != null) ? kind.toString() : "";
		if (type.equals("marker")) {
			if (value.equals(marker)) {
				caughtUp.countDown();
			}
			return;
		}
		Date at = properties.getTimestamp();
		// the stream drops whole segments only, so older entries can still be read: skip them
		if (at != null && at.toInstant().plus(this.window).isBefore(this.clock.instant())) {
			return;
		}
		// the window counts from when it was revoked, not from when this application read it
		this.known.revoke(value, type.equals("terminate"), (at != null) ? at.toInstant() : this.clock.instant());
	}

	@Override
	public synchronized void close() {
		if (this.connection != null) {
			this.connection.close();
			this.connection = null;
		}
	}

}
