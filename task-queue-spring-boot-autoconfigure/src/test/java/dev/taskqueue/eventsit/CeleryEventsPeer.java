package dev.taskqueue.eventsit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Celery 5.2 process of {@code src/test/python/events_celery.py}: a receiver whose printed events are collected,
 * or a worker. Waits fail at once, with the process' output, when the process has died.
 */
public final class CeleryEventsPeer implements AutoCloseable {

	private static final Path PYTHON = Path.of("src/test/python").toAbsolutePath();

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private final Process process;

	private final List<String> output = new CopyOnWriteArrayList<>();

	private final List<JsonNode> events = new CopyOnWriteArrayList<>();

	private CeleryEventsPeer(Process process) {
		this.process = process;
		Thread reader = new Thread(this::read, "celery-events-peer");
		reader.setDaemon(true);
		reader.start();
	}

	/**
	 * Start Celery's event receiver and wait until it consumes.
	 * @param broker the broker URL
	 * @param wait how long to wait
	 * @return the receiver
	 */
	public static CeleryEventsPeer receiver(String broker, Duration wait) {
		CeleryEventsPeer peer = start(broker, "receive");
		peer.await(wait, "the receiver to consume", () -> peer.output.contains("READY"));
		return peer;
	}

	/**
	 * Start a Celery worker with {@code -E} on the queue {@code events-py}.
	 * @param broker the broker URL
	 * @param node its node name
	 * @return the worker
	 */
	public static CeleryEventsPeer worker(String broker, String node) {
		return start(broker, "worker", node);
	}

	private static CeleryEventsPeer start(String broker, String... arguments) {
		List<String> command = new ArrayList<>(List.of("/usr/bin/python3", "-u", "events_celery.py"));
		command.addAll(List.of(arguments));
		ProcessBuilder builder = new ProcessBuilder(command).directory(PYTHON.toFile()).redirectErrorStream(true);
		builder.environment().put("TQ_BROKER", broker);
		try {
			return new CeleryEventsPeer(builder.start());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private void read() {
		try (BufferedReader lines = new BufferedReader(
				new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = lines.readLine()) != null) {
				this.output.add(line);
				if (line.startsWith("{")) {
					try {
						this.events.add(MAPPER.readTree(line));
					}
					catch (JacksonException ex) {
						// a log line that looks like JSON
					}
				}
			}
		}
		catch (IOException ex) {
			// the process ended
		}
	}

	/**
	 * The events received so far.
	 * @return the events, in the order received
	 */
	public List<JsonNode> events() {
		return List.copyOf(this.events);
	}

	/**
	 * Wait until an event matches.
	 * @param wait how long at most
	 * @param what what is waited for, for the message
	 * @param event the condition
	 * @return the first event that matches
	 */
	public JsonNode awaitEvent(Duration wait, String what, Predicate<JsonNode> event) {
		await(wait, what, () -> this.events.stream().anyMatch(event));
		return this.events.stream().filter(event).findFirst().orElseThrow();
	}

	/**
	 * Wait for a condition, failing at once if the process died.
	 * @param wait how long at most
	 * @param what what is waited for, for the message
	 * @param condition the condition
	 */
	public void await(Duration wait, String what, Callable<Boolean> condition) {
		org.awaitility.Awaitility.await(what).atMost(wait).until(() -> {
			assertThat(this.process.isAlive()).as("Celery died while waiting for %s:%n%s", what, output())
				.isTrue();
			return condition.call();
		});
	}

	/**
	 * Stop as an operator would (SIGTERM: Celery's warm shutdown) and wait until the process ended.
	 */
	public void stop() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(20, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * What the process printed.
	 * @return its output
	 */
	public String output() {
		return String.join("\n", this.output);
	}

	@Override
	public void close() {
		if (this.process.isAlive()) {
			this.process.destroyForcibly();
		}
	}

}
