package dev.taskqueue.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.awaitility.Awaitility.await;

/**
 * A {@code redis-server} of a test's own, append-only, on a free port of 127.0.0.1 and in a temporary
 * directory, for the tests that take Redis away (the shared Redis on 6379 is never stopped). Every write is
 * synced to the append-only file before Redis replies ({@code appendfsync always}), so a killed server comes
 * back with every write it acknowledged.
 */
public final class OwnRedisServer implements AutoCloseable {

	private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

	private final int port;

	private final Path directory;

	private @Nullable Process process;

	private OwnRedisServer(int port, Path directory) {
		this.port = port;
		this.directory = directory;
	}

	/**
	 * Start a server on a free port.
	 * @return the running server; close it when done
	 */
	public static OwnRedisServer start() {
		try {
			OwnRedisServer server = new OwnRedisServer(freePort(), Files.createTempDirectory("taskqueue-own-redis"));
			server.startAgain();
			return server;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The server's port.
	 * @return the port
	 */
	public int port() {
		return this.port;
	}

	/**
	 * A started connection factory for this server, database 0, with Spring Boot's defaults otherwise.
	 * @return the factory; stop it when done
	 */
	public LettuceConnectionFactory connectionFactory() {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration("127.0.0.1", this.port));
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	/**
	 * Start the server (again) on its port and directory, and wait until it answers PING.
	 */
	public void startAgain() {
		try {
			this.process = new ProcessBuilder("redis-server", "--port", String.valueOf(this.port), "--bind", "127.0.0.1",
					"--save", "", "--appendonly", "yes", "--appendfsync", "always", "--dir", this.directory.toString())
				.redirectErrorStream(true)
				.redirectOutput(this.directory.resolve("redis.log").toFile())
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(20)).until(this::answers);
	}

	/**
	 * Kill the server with SIGKILL and wait until it is gone.
	 */
	public void kill() {
		Process running = this.process;
		if (running != null) {
			running.destroyForcibly();
			waitFor(running);
			this.process = null;
		}
	}

	/**
	 * Stop the server as an operator would ({@code SHUTDOWN NOSAVE}) and wait until it is gone.
	 */
	public void shutdown() {
		Process running = this.process;
		if (running == null) {
			return;
		}
		try {
			new ProcessBuilder("redis-cli", "-p", String.valueOf(this.port), "shutdown", "nosave").redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start()
				.waitFor(10, TimeUnit.SECONDS);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		waitFor(running);
		this.process = null;
	}

	/**
	 * Whether the server answers PING now.
	 * @return whether it does
	 */
	public boolean answers() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", this.port), 200);
			socket.setSoTimeout(500);
			OutputStream out = socket.getOutputStream();
			out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			byte[] reply = new byte[7];
			int read = in.readNBytes(reply, 0, 7);
			return new String(reply, 0, read, StandardCharsets.US_ASCII).startsWith("+PONG");
		}
		catch (IOException ex) {
			return false;
		}
	}

	@Override
	public void close() {
		kill();
		try (Stream<Path> files = Files.walk(this.directory)) {
			List<Path> paths = files.sorted(Comparator.reverseOrder()).toList();
			for (Path path : paths) {
				Files.deleteIfExists(path);
			}
		}
		catch (IOException ex) {
			// a temporary directory left behind is no reason to fail a test
		}
	}

	private static void waitFor(Process process) {
		try {
			if (!process.waitFor(30, TimeUnit.SECONDS)) {
				process.destroyForcibly();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
