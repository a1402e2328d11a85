package dev.taskqueue.registry;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.stream.Collectors;

import org.springframework.core.annotation.AnnotatedElementUtils;

import dev.taskqueue.Task;

/**
 * Task names: the one a {@link Task @Task} gives, or one derived from its class and method.
 */
public final class TaskNames {

	private TaskNames() {
	}

	/**
	 * The name of the task a method declares.
	 * @param method a method annotated with {@link Task @Task}
	 * @return its explicit name, or {@code <fully qualified class name>.<method name>}
	 * @throws IllegalArgumentException if the method is not a task
	 */
	public static String of(Method method) {
		Task task = AnnotatedElementUtils.findMergedAnnotation(method, Task.class);
		if (task == null) {
			throw new IllegalArgumentException(describe(method) + " is not annotated with @Task");
		}
		return of(task, method);
	}

	/**
	 * The name of the task an annotation declares on a method.
	 * @param task the annotation
	 * @param method the method
	 * @return the name
	 */
	public static String of(Task task, Method method) {
		return task.name().isEmpty() ? method.getDeclaringClass().getName() + "." + method.getName() : task.name();
	}

	/**
	 * A method as messages show it: {@code com.example.MathTasks.add(int, int)}.
	 * @param method the method
	 * @return the description
	 */
	public static String describe(Method method) {
		return method.getDeclaringClass().getName() + "." + method.getName() + Arrays.stream(method.getParameterTypes())
			.map(Class::getSimpleName)
			.collect(Collectors.joining(", ", "(", ")"));
	}

}
