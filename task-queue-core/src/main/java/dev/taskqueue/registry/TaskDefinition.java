package dev.taskqueue.registry;

import java.lang.reflect.Method;

/**
 * A registered task: its name, the bean and method that run it, and its settings.
 *
 * @param name the task's name
 * @param bean the bean to invoke the method on (possibly a proxy)
 * @param method the method to invoke, callable on {@code bean}
 * @param options the task's settings
 */
public record TaskDefinition(String name, Object bean, Method method, TaskOptions options) {

	/**
	 * The method, for messages: {@code MathTasks.add(int, int)}.
	 * @return a readable description
	 */
	public String describeMethod() {
		return TaskNames.describe(this.method);
	}

}
