package dev.taskqueue.control.panel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.control.ControlCommand;
import dev.taskqueue.protocol.LamportClock;
import dev.taskqueue.registry.TaskRegistry;
import dev.taskqueue.revoke.Revocations;
import dev.taskqueue.worker.Workers;

/**
 * The commands a worker answers out of the box, Celery's {@code Panel} ({@code celery/worker/control.py}), with
 * Celery's arguments and reply formats:
 * <ul>
 * <li>reading the worker ({@code inspect}): {@code ping}, {@code clock}, {@code hello}, {@code stats},
 * {@code active}, {@code reserved}, {@code scheduled} (always empty: a message whose eta is not due waits in the
 * broker, not in a worker), {@code query_task}, {@code registered}, {@code revoked}, {@code active_queues},
 * {@code conf}, {@code report};</li>
 * <li>changing it ({@code control}): {@code revoke}, {@code terminate}, {@code rate_limit}, {@code time_limit},
 * {@code add_consumer}, {@code cancel_consumer}, {@code pool_grow}, {@code pool_shrink}, {@code shutdown}.</li>
 * </ul>
 * <pre>{@code
 * List<ControlCommand> commands = Panel.builder("worker@host", workers, registry, revocations, clock)
 *     .conf(Map.of("task_default_queue", "celery"))
 *     .build();
 * }</pre>
 */
public final class Panel {

	private Panel() {
	}

	/**
	 * Start building the commands of a worker.
	 * @param hostname the worker's name, Celery's node name
	 * @param workers the workers the commands read and change
	 * @param registry the tasks they run, whose limits {@code rate_limit} and {@code time_limit} change
	 * @param revocations where the revocations received are recorded (not broadcast back)
	 * @param clock the application's logical clock
	 * @return a builder
	 */
	public static Builder builder(String hostname, Workers workers, TaskRegistry registry, Revocations revocations,
			LamportClock clock) {
		return new Builder(hostname, workers, registry, revocations, clock);
	}

	/**
	 * Builds the built-in commands.
	 */
	public static final class Builder {

		private final String hostname;

		private final Workers workers;

		private final TaskRegistry registry;

		private final Revocations revocations;

		private final LamportClock clock;

		private Map<String, @Nullable Object> conf = Map.of();

		private Map<String, @Nullable Object> broker = Map.of();

		private @Nullable Runnable exit;

		private Builder(String hostname, Workers workers, TaskRegistry registry, Revocations revocations,
				LamportClock clock) {
			this.hostname = hostname;
			this.workers = workers;
			this.registry = registry;
			this.revocations = revocations;
			this.clock = clock;
		}

		/**
		 * The settings {@code conf} answers and {@code report} lists, under Celery's names
		 * ({@code broker_url}, {@code task_default_queue}...); by default none.
		 * @param conf the settings, in order
		 * @return this builder
		 */
		public Builder conf(Map<String, ? extends @Nullable Object> conf) {
			this.conf = new LinkedHashMap<>(conf);
			return this;
		}

		/**
		 * The broker connection {@code stats} describes, under kombu's names ({@code transport},
		 * {@code hostname}, {@code port}, {@code userid}, {@code virtual_host}...), never a password; by default
		 * none.
		 * @param broker the description, in order
		 * @return this builder
		 */
		public Builder broker(Map<String, ? extends @Nullable Object> broker) {
			this.broker = new LinkedHashMap<>(broker);
			return this;
		}

		/**
		 * What {@code shutdown} runs to end the application (closing its context stops the workers warmly); by
		 * default it stops the workers only.
		 * @param exit what ends the application
		 * @return this builder
		 */
		public Builder shutdownExits(Runnable exit) {
			this.exit = exit;
			return this;
		}

		/**
		 * Build the commands.
		 * @return the commands, by name in Celery's order of {@code control.py}
		 */
		public List<ControlCommand> build() {
			long pid = ProcessHandle.current().pid();
			List<ControlCommand> commands = new ArrayList<>();
			NodeInfo info = new NodeInfo(this.clock, this.conf, this.broker);
			commands.addAll(info.commands());
			commands.addAll(new RevokeCommands(this.revocations, this.workers, this.hostname, this.clock).commands());
			commands.addAll(new TaskLimits(this.registry).commands());
			commands.add(new NodeStats(this.workers, this.clock, this.broker, pid).command());
			commands.addAll(new TaskInspection(this.workers, this.hostname, pid).commands());
			commands.addAll(new PoolSize(this.workers).commands());
			commands.add(new WorkerShutdown(this.workers, this.exit).command());
			commands.addAll(new Consumers(this.workers).commands());
			return commands;
		}

	}

}
