package dev.taskqueue.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * What a worker accepts of Celery's remote control ({@code celery inspect}, {@code celery control}, Flower,
 * {@code TaskControl}), under {@code taskqueue.control}. Anyone who can publish to the broker can send these
 * commands; the ones that change a worker can be switched off:
 * <pre>{@code
 * taskqueue:
 *   control:
 *     allowed: [inspect, rate_limit]   # read-only commands, and rate_limit
 *     denied: [shutdown]
 * }</pre>
 * Whether the application takes part in Celery's remote control at all is {@code taskqueue.celery-control}.
 */
@ConfigurationProperties("taskqueue.control")
public class TaskQueueControlProperties {

	/**
	 * The remote-control commands the worker runs: command names (ping, stats, rate_limit, shutdown...), "inspect"
	 * for every command that only reads the worker, "control" for every one that changes it, or "*" for all. A
	 * command not allowed is answered with an error and not run.
	 */
	private List<String> allowed = new ArrayList<>(List.of("*"));

	/**
	 * The remote-control commands the worker refuses even if allowed: names, "inspect", "control" or "*". For
	 * example "shutdown,pool_grow,pool_shrink".
	 */
	private List<String> denied = new ArrayList<>();

	/**
	 * Whether Celery's shutdown command ends the application (its context is closed, which stops the workers
	 * warmly, and the JVM exits), as a Celery worker's process exits. By default only the workers stop, warmly,
	 * and the application goes on.
	 */
	private boolean shutdownExitsJvm;

	public List<String> getAllowed() {
		return this.allowed;
	}

	public void setAllowed(List<String> allowed) {
		this.allowed = allowed;
	}

	public List<String> getDenied() {
		return this.denied;
	}

	public void setDenied(List<String> denied) {
		this.denied = denied;
	}

	public boolean isShutdownExitsJvm() {
		return this.shutdownExitsJvm;
	}

	public void setShutdownExitsJvm(boolean shutdownExitsJvm) {
		this.shutdownExitsJvm = shutdownExitsJvm;
	}

}
