package dev.taskqueue.registry;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;

/**
 * The tasks this application can run, by name (Celery's {@code app.tasks}).
 */
public class TaskRegistry {

	private final Map<String, TaskDefinition> tasks = new ConcurrentHashMap<>();

	private final Map<String, TaskOptions> configured;

	/**
	 * Create a registry with no configured settings.
	 */
	public TaskRegistry() {
		this(Map.of());
	}

	/**
	 * Create a registry.
	 * @param configured settings by task name from configuration ({@code taskqueue.tasks}), overriding the
	 * annotations; they also apply to tasks this application only sends
	 */
	public TaskRegistry(Map<String, TaskOptions> configured) {
		this.configured = Map.copyOf(configured);
	}

	/**
	 * Register a task.
	 * @param task the task
	 * @throws DuplicateTaskException if another method already has the name
	 */
	public void register(TaskDefinition task) {
		TaskOptions override = this.configured.get(task.name());
		if (override != null) {
			task = new TaskDefinition(task.name(), task.bean(), task.method(), task.options().overriddenBy(override));
		}
		TaskDefinition existing = this.tasks.putIfAbsent(task.name(), task);
		if (existing != null) {
			throw new DuplicateTaskException(task.name(), existing.describeMethod(), task.describeMethod());
		}
	}

	/**
	 * The task with this name.
	 * @param name the name
	 * @return the task, or {@code null} if none is registered
	 */
	public @Nullable TaskDefinition find(String name) {
		return this.tasks.get(name);
	}

	/**
	 * Whether the application knows a task of this name: it runs it, or configures it
	 * ({@code taskqueue.tasks.<name>}) as one it sends to other applications. Metrics tag a name it does not
	 * know as {@code unknown}, so that names read from messages cannot grow their tags without bound.
	 * @param name the name
	 * @return whether it is registered or configured
	 */
	public boolean knows(String name) {
		return this.tasks.containsKey(name) || this.configured.containsKey(name);
	}

	/**
	 * The settings of the task with this name: its annotation's, overridden by configuration.
	 * @param name the name
	 * @return its settings; for a task this application does not declare, the configured ones or
	 * {@link TaskOptions#DEFAULTS}
	 */
	public TaskOptions optionsOf(String name) {
		TaskDefinition task = this.tasks.get(name);
		if (task != null) {
			return task.options();
		}
		return this.configured.getOrDefault(name, TaskOptions.DEFAULTS);
	}

	/**
	 * Change the settings of a registered task while the application runs, as Celery's {@code rate_limit} and
	 * {@code time_limit} remote-control commands change {@code app.tasks[name]}: the worker reads a task's
	 * settings for each message it receives, so the change applies to the messages received afterwards.
	 * @param name the task's name
	 * @param change what to change
	 * @return whether a task of this name is registered (nothing changes otherwise)
	 */
	public boolean update(String name, UnaryOperator<TaskOptions> change) {
		return this.tasks.computeIfPresent(name, (key, task) -> new TaskDefinition(task.name(), task.bean(),
				task.method(), change.apply(task.options()))) != null;
	}

	/**
	 * Every registered task.
	 * @return the tasks
	 */
	public Collection<TaskDefinition> all() {
		return Collections.unmodifiableCollection(this.tasks.values());
	}

}
