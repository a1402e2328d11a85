package dev.taskqueue.registry;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tasks this application can run, by name (Celery's {@code app.tasks}).
 */
public class TaskRegistry {

	private final Map<String, TaskDefinition> tasks = new ConcurrentHashMap<>();

	/**
	 * Register a task.
	 * @param task the task
	 * @throws DuplicateTaskException if another method already has the name
	 */
	public void register(TaskDefinition task) {
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
	public TaskDefinition find(String name) {
		return this.tasks.get(name);
	}

	/**
	 * The settings of the task with this name, if this application declares it.
	 * @param name the name
	 * @return its settings, or {@link TaskOptions#DEFAULTS}
	 */
	public TaskOptions optionsOf(String name) {
		TaskDefinition task = this.tasks.get(name);
		return (task != null) ? task.options() : TaskOptions.DEFAULTS;
	}

	/**
	 * Every registered task.
	 * @return the tasks
	 */
	public Collection<TaskDefinition> all() {
		return Collections.unmodifiableCollection(this.tasks.values());
	}

}
