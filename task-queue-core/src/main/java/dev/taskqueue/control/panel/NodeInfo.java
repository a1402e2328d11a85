package dev.taskqueue.control.panel;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.protocol.LamportClock;
import dev.taskqueue.protocol.PythonRepr;

/**
 * What a worker says of itself, as Celery's {@code ping}, {@code clock}, {@code conf} and {@code report} answer.
 */
final class NodeInfo {

	private final LamportClock clock;

	private final Map<String, @Nullable Object> conf;

	private final Map<String, @Nullable Object> broker;

	NodeInfo(LamportClock clock, Map<String, @Nullable Object> conf, Map<String, @Nullable Object> broker) {
		this.clock = clock;
		this.conf = conf;
		this.broker = broker;
	}

	List<Command> commands() {
		return List.of(Command.inspect("ping", (arguments) -> Reply.ok("pong")),
				Command.inspect("clock", (arguments) -> Map.of("clock", this.clock.value())),
				Command.inspect("conf", (arguments) -> this.conf),
				Command.inspect("report", (arguments) -> Reply.ok(report())));
	}

	/**
	 * Celery's bug report ({@code app.bugreport()}): the software, the platform, the transport and the settings.
	 */
	String report() {
		StringBuilder report = new StringBuilder("\n");
		report.append("software -> taskqueue:").append(version()).append(" java:")
			.append(System.getProperty("java.version")).append('\n');
		report.append("platform -> system:").append(System.getProperty("os.name")).append(" arch:")
			.append(System.getProperty("os.arch")).append('\n');
		report.append("            kernel version:").append(System.getProperty("os.version")).append(" imp:")
			.append(System.getProperty("java.vm.name")).append('\n');
		report.append("settings -> transport:").append(this.broker.getOrDefault("transport", "unknown"))
			.append(" results:").append(this.conf.getOrDefault("result_backend", "disabled")).append("\n\n");
		this.conf.forEach((key, value) -> report.append(key).append(": ").append(PythonRepr.of(value)).append('\n'));
		return report.toString();
	}

	/**
	 * This library's version, from its jar's manifest.
	 */
	static String version() {
		String version = NodeInfo.class.getPackage().getImplementationVersion();
		return (version != null) ? version : "unknown";
	}

}
