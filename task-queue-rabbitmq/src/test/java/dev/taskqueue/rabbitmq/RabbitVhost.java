package dev.taskqueue.rabbitmq;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

/**
 * A RabbitMQ virtual host of the local broker owned by one test class: created empty (deleted first if a
 * previous run left it), so tests never see leftovers and never disturb other users of the broker.
 * Administered with {@code rabbitmqctl}, since the management plugin is not enabled here.
 */
final class RabbitVhost {

	private final String name;

	private RabbitVhost(String name) {
		this.name = name;
	}

	/**
	 * Create an empty virtual host where guest may do everything.
	 * @param name its name
	 * @return the virtual host
	 */
	static RabbitVhost create(String name) {
		RabbitVhost vhost = new RabbitVhost(name);
		vhost.delete();
		rabbitmqctl("add_vhost", name);
		rabbitmqctl("set_permissions", "-p", name, "guest", ".*", ".*", ".*");
		return vhost;
	}

	String name() {
		return this.name;
	}

	/**
	 * A connection factory for this virtual host.
	 * @return the factory, to destroy after use
	 */
	CachingConnectionFactory connectionFactory() {
		CachingConnectionFactory factory = new CachingConnectionFactory("127.0.0.1", 5672);
		factory.setUsername("guest");
		factory.setPassword("guest");
		factory.setVirtualHost(this.name);
		return factory;
	}

	/**
	 * Close every client connection to this virtual host from the broker side, as a broker restart would.
	 */
	void closeAllConnections() {
		rabbitmqctl("close_all_connections", "-p", this.name, "taskqueue test: closed by the broker");
	}

	/**
	 * Delete the virtual host, with everything in it.
	 */
	void delete() {
		try {
			rabbitmqctl("delete_vhost", this.name);
		}
		catch (IllegalStateException ex) {
			// it did not exist
		}
	}

	static String rabbitmqctl(String... arguments) {
		List<String> command = new java.util.ArrayList<>();
		command.add("rabbitmqctl");
		command.addAll(List.of(arguments));
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
				throw new IllegalStateException("rabbitmqctl " + String.join(" ", arguments) + " failed: " + output);
			}
			return output;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not run rabbitmqctl", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted running rabbitmqctl", ex);
		}
	}

}
