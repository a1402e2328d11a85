package dev.taskqueue.registry;

import dev.taskqueue.TaskQueueException;

/**
 * Two methods declare a task with the same name.
 */
public class DuplicateTaskException extends TaskQueueException {

	/**
	 * Create an exception.
	 * @param name the name both declare
	 * @param first the method registered first
	 * @param second the method that clashes with it
	 */
	public DuplicateTaskException(String name, String first, String second) {
		super("Task name '" + name + "' is declared by two methods: " + first + " and " + second
				+ ". Give one of them another name with @Task(\"...\").");
	}

}
