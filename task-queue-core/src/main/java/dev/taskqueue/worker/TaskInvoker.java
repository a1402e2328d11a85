package dev.taskqueue.worker;

import java.lang.reflect.InvocationTargetException;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.TaskContext;
import dev.taskqueue.TaskContextHolder;
import dev.taskqueue.protocol.TaskMessage;
import dev.taskqueue.registry.TaskDefinition;

/**
 * Runs a task method: binds the message's arguments, makes the context current, invokes the bean.
 */
class TaskInvoker {

	private final ArgumentBinder binder;

	/**
	 * Create an invoker.
	 * @param binder binds arguments to parameters
	 */
	TaskInvoker(ArgumentBinder binder) {
		this.binder = binder;
	}

	/**
	 * Run a task.
	 * @param task the task
	 * @param message its message
	 * @param context its context
	 * @return what the method returned
	 * @throws ArgumentBindingException if the arguments do not fit the method
	 * @throws TaskExecutionException if the method threw
	 */
	@Nullable Object invoke(TaskDefinition task, TaskMessage message, TaskContext context) {
		if (task.bean() instanceof CeleryBuiltins.Builtin builtin) {
			return invokeBuiltin(builtin, message, (WorkerTaskContext) context);
		}
		Object[] arguments = this.binder.bind(task.method(), message.args(), message.kwargs(), context);
		TaskContextHolder.set(context);
		try {
			return task.method().invoke(task.bean(), arguments);
		}
		catch (InvocationTargetException ex) {
			throw new TaskExecutionException(ex.getCause());
		}
		catch (IllegalAccessException ex) {
			throw new TaskExecutionException(ex);
		}
		finally {
			TaskContextHolder.set(null);
		}
	}

	private @Nullable Object invokeBuiltin(CeleryBuiltins.Builtin builtin, TaskMessage message,
			WorkerTaskContext context) {
		TaskContext outer = TaskContextHolder.get();
		TaskContextHolder.set(context);
		try {
			return builtin.run(message, context);
		}
		catch (TaskExecutionException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			throw new TaskExecutionException(ex);
		}
		finally {
			TaskContextHolder.set(outer);
		}
	}

}
