package dev.taskqueue.process;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Applications run as real processes, for the tests that kill them: each one a JVM on the tests' class path,
 * its properties on its command line, its output in a log file of its own named after the test class and the
 * process ({@code target/worker-processes/WorkerKillIT-first.log}).
 */
public final class JvmProcesses {

	private final File directory;

	private final String owner;

	private final List<Process> started = new ArrayList<>();

	/**
	 * Processes whose logs go to a directory.
	 * @param directory the directory, such as {@code target/worker-processes}
	 * @param owner the test class, whose simple name starts the logs' names
	 */
	public JvmProcesses(String directory, Class<?> owner) {
		this.directory = new File(directory);
		this.owner = owner.getSimpleName();
	}

	/**
	 * Start an application.
	 * @param name the process's name, in its log's name
	 * @param application the class whose main method runs
	 * @param properties the application's properties, as {@code key=value}
	 * @return the process
	 * @throws IOException if it could not be started
	 */
	public Process start(String name, Class<?> application, List<String> properties) throws IOException {
		return start(name, application, properties, Map.of());
	}

	/**
	 * Start an application in a JVM of its own, with variables added to its environment.
	 * @param name the process's name, for its log file
	 * @param application the {@code @SpringBootApplication} class, whose {@code main} runs
	 * @param properties the application's properties, as {@code key=value}
	 * @param environment variables added to the environment this JVM passes on (the AWS SDK's credentials, say)
	 * @return the process
	 * @throws IOException if it could not be started
	 */
	public Process start(String name, Class<?> application, List<String> properties, Map<String, String> environment)
			throws IOException {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.add("-Xmx256m");
		command.add("-XX:TieredStopAtLevel=1");
		command.add("-cp");
		command.add(System.getProperty("java.class.path"));
		command.add(application.getName());
		for (String property : properties) {
			command.add("--" + property);
		}
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log(name));
		builder.environment().putAll(environment);
		Process process = builder.start();
		this.started.add(process);
		return process;
	}

	/**
	 * What a process wrote so far.
	 * @param name the process's name
	 * @return its output
	 * @throws IOException if its log cannot be read
	 */
	public String output(String name) throws IOException {
		return Files.readString(log(name).toPath());
	}

	/**
	 * Kill a process with SIGKILL, as the OOM killer or {@code kill -9} would, and wait until it is gone.
	 * @param process the process
	 * @throws InterruptedException if interrupted while waiting
	 */
	public static void kill(Process process) throws InterruptedException {
		process.destroyForcibly();
		assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
		// 128 + SIGKILL: killed, not shut down
		assertThat(process.exitValue()).isEqualTo(137);
	}

	/**
	 * Kill every process started, for the end of a test.
	 */
	public void killAll() {
		this.started.forEach(Process::destroyForcibly);
	}

	private File log(String name) {
		this.directory.mkdirs();
		return new File(this.directory, this.owner + "-" + name + ".log");
	}

}
