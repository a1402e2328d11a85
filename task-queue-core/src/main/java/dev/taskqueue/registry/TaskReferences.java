package dev.taskqueue.registry;

import java.lang.invoke.MethodType;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.taskqueue.TaskReference;

/**
 * Finds the method a {@link TaskReference} names, from the serialized form the compiler gives every
 * serializable method reference. Resolved once per call site and cached. The client and the canvas's typed
 * signatures read it.
 */
public final class TaskReferences {

	private static final int REF_INVOKE_VIRTUAL = 5;

	private static final int REF_INVOKE_INTERFACE = 9;

	private static final Map<Class<?>, Method> cache = new ConcurrentHashMap<>();

	private TaskReferences() {
	}

	/**
	 * The method a reference names.
	 * @param reference a method reference to a {@code @Task} method of a bean type, such as {@code MathTasks::add}
	 * @return the method
	 * @throws IllegalArgumentException if the reference is a lambda or a static method
	 */
	public static Method resolve(TaskReference reference) {
		return cache.computeIfAbsent(reference.getClass(), (type) -> lookup(reference));
	}

	private static Method lookup(TaskReference reference) {
		SerializedLambda lambda = serialized(reference);
		int kind = lambda.getImplMethodKind();
		if ((kind != REF_INVOKE_VIRTUAL && kind != REF_INVOKE_INTERFACE) || lambda.getImplMethodName().startsWith("lambda$")) {
			throw new IllegalArgumentException("Send a task with a method reference to a @Task method of a bean type, "
					+ "such as MathTasks::add; a lambda or a static method does not name a task");
		}
		ClassLoader loader = reference.getClass().getClassLoader();
		try {
			Class<?> type = Class.forName(lambda.getImplClass().replace('/', '.'), false, loader);
			MethodType signature = MethodType.fromMethodDescriptorString(lambda.getImplMethodSignature(), loader);
			for (Class<?> current = type; current != null; current = current.getSuperclass()) {
				for (Method method : current.getDeclaredMethods()) {
					if (method.getName().equals(lambda.getImplMethodName())
							&& MethodType.methodType(method.getReturnType(), method.getParameterTypes()).equals(signature)) {
						return method;
					}
				}
			}
			return type.getMethod(lambda.getImplMethodName(), signature.parameterArray());
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("Cannot find the method " + lambda.getImplClass() + "."
					+ lambda.getImplMethodName() + lambda.getImplMethodSignature(), ex);
		}
	}

	private static SerializedLambda serialized(TaskReference reference) {
		try {
			Method writeReplace = reference.getClass().getDeclaredMethod("writeReplace");
			writeReplace.setAccessible(true);
			return (SerializedLambda) writeReplace.invoke(reference);
		}
		catch (ReflectiveOperationException | ClassCastException ex) {
			throw new IllegalArgumentException("Send a task with a method reference such as MathTasks::add, not "
					+ reference.getClass().getName(), ex);
		}
	}

}
