package dev.taskqueue.it;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real Celery 5.2.6 of the canvas interop tests: {@code src/test/python/canvas/canvas_celery.py} run as a
 * worker on queue {@code canvas-py}, or as a client scenario whose last printed line is a JSON document. Each
 * process logs to {@code target/worker-processes/}.
 */
public final class CeleryCanvasPeer implements AutoCloseable {

	private static final File PYTHON_DIR = new File("src/test/python/canvas");

	private final String name;

	private final Map<String, String> environment;

	private final Duration timeout;

	private final List<Process> processes = new ArrayList<>();

	private Process worker;

	/**
	 * A peer.
	 * @param name what its log files are named after
	 * @param broker the broker URL Celery uses
	 * @param backend the result backend URL Celery uses
	 * @param traces the Redis URL its errbacks leave traces in
	 * @param timeout how long a client scenario may take
	 */
	public CeleryCanvasPeer(String name, String broker, String backend, String traces, Duration timeout) {
		this.name = name;
		this.environment = Map.of("CANVAS_BROKER", broker, "CANVAS_BACKEND", backend, "CANVAS_REDIS", traces);
		this.timeout = timeout;
	}

	/**
	 * Start the Celery worker.
	 * @return this peer
	 */
	public CeleryCanvasPeer startWorker() {
		this.worker = start("worker", "worker", "py@" + this.name);
		return this;
	}

	/**
	 * Whether the Celery worker still runs: a test waiting for it fails fast when it does not.
	 * @return whether it is alive
	 */
	public boolean workerAlive() {
		return this.worker != null && this.worker.isAlive();
	}

	/**
	 * The worker's log, for messages.
	 * @return the file
	 */
	public File workerLog() {
		return logFile("worker");
	}

	/**
	 * Run a client scenario to its end and read the JSON document it printed last.
	 * @param scenario the scenario
	 * @param arguments its arguments
	 * @return the document
	 * @throws Exception if it could not be run or read
	 */
	public JsonNode run(String scenario, String... arguments) throws Exception {
		List<String> command = new ArrayList<>(List.of(scenario));
		command.addAll(List.of(arguments));
		Process process = start(scenario, command.toArray(String[]::new));
		assertThat(process.waitFor(this.timeout.toSeconds() + 30, TimeUnit.SECONDS)).as("%s ended", scenario).isTrue();
		String output = Files.readString(logFile(scenario).toPath());
		assertThat(process.exitValue()).as(output).isZero();
		String json = output.lines().filter((line) -> line.startsWith("{")).reduce((first, last) -> last).orElseThrow();
		return JsonMapper.builder().build().readTree(json);
	}

	private Process start(String label, String... arguments) {
		List<String> command = new ArrayList<>(List.of("/usr/bin/python3", "canvas_celery.py"));
		command.addAll(List.of(arguments));
		ProcessBuilder builder = new ProcessBuilder(command).directory(PYTHON_DIR)
			.redirectErrorStream(true)
			.redirectOutput(logFile(label));
		builder.environment().putAll(this.environment);
		try {
			Process process = builder.start();
			this.processes.add(process);
			return process;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private File logFile(String label) {
		File directory = new File("target/worker-processes");
		directory.mkdirs();
		return new File(directory, "canvas-" + this.name + "-" + label + ".log");
	}

	@Override
	public void close() throws InterruptedException {
		for (Process process : this.processes) {
			process.destroy();
			if (!process.waitFor(20, TimeUnit.SECONDS)) {
				process.destroyForcibly();
			}
		}
	}

}
