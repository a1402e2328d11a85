package dev.taskqueue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Sends tasks to workers, by name (what a Celery peer's tasks need) or type-safely through a method
 * reference to a {@link Task @Task} method:
 * <pre>{@code
 * AsyncResult<Object> byName = client.send("sample.add", 2, 3);
 * AsyncResult<Integer> typed = client.send(MathTasks::add, 2, 3);
 * AsyncResult<Object> delayed = client.withOptions(SendOptions.defaults().withCountdown(Duration.ofMinutes(5)))
 *         .send("sample.greet", List.of("Ada"), Map.of("greeting", "Hello"));
 * }</pre>
 * Sending returns as soon as the broker has taken the message; a broker that cannot take it raises a
 * {@link TaskQueueException} to the caller, and nothing is silently dropped.
 */
public interface TaskClient {

	/**
	 * Send a task by name.
	 * @param name the task's name
	 * @param args its positional arguments
	 * @param kwargs its keyword arguments, bound to parameters by name
	 * @return a handle on the task's result
	 */
	AsyncResult<Object> send(String name, List<?> args, Map<String, ?> kwargs);

	/**
	 * Send a task by name without waiting for the broker, for a producer that sends many tasks: sends are
	 * pipelined where the broker allows it (Redis), so that one thread is not held to one round trip per task.
	 * The future completes with the task's handle once the broker has taken the message, or fails with a
	 * {@link TaskQueueException} if it did not. With other brokers the send is synchronous and the future
	 * complete on return.
	 * <pre>{@code
	 * List<CompletableFuture<AsyncResult<Object>>> sent = ids.stream()
	 *         .map((id) -> client.sendAsync("reports.render", List.of(id), Map.of())).toList();
	 * CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
	 * }</pre>
	 * @param name the task's name
	 * @param args its positional arguments
	 * @param kwargs its keyword arguments, bound to parameters by name
	 * @return a future of the handle on the task's result
	 */
	default CompletableFuture<AsyncResult<Object>> sendAsync(String name, List<?> args, Map<String, ?> kwargs) {
		try {
			return CompletableFuture.completedFuture(send(name, args, kwargs));
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	/**
	 * Send a task by name with positional arguments.
	 * @param name the task's name
	 * @param args its positional arguments
	 * @return a handle on the task's result
	 */
	default AsyncResult<Object> send(String name, Object... args) {
		return send(name, Arrays.asList(args), Map.of());
	}

	/**
	 * Send the task a method reference names, with positional arguments.
	 * @param <R> the task's result type
	 * @param task the task method
	 * @param args its arguments
	 * @return a handle on the task's result
	 */
	<R> AsyncResult<R> send(TaskReference task, List<?> args);

	/**
	 * A client that sends with these options (merged over this client's own).
	 * @param options the options
	 * @return a client for one or more sends with these options
	 */
	TaskClient withOptions(SendOptions options);

	/**
	 * A handle on a task sent earlier, by its id.
	 * @param taskId the task's id
	 * @return the handle
	 */
	AsyncResult<Object> result(String taskId);

	/**
	 * Send the task this method reference names.
	 * @param <T> the bean type declaring the task
	 * @param <R> the result type
	 * @param task the task method, as {@code Bean::method}
	 * @return a handle on the task's result
	 */
	default <T, R> AsyncResult<R> send(TaskReference.Returning0<T, R> task) {
		return send((TaskReference) task, List.of());
	}

	/**
	 * Send the task this method reference names (a task with no result).
	 * @param <T> the bean type declaring the task
	 * @param task the task method, as {@code Bean::method}
	 * @return a handle on the task's completion
	 */
	default <T> AsyncResult<Void> send(TaskReference.Void0<T> task) {
		return send((TaskReference) task, List.of());
	}

	/**
	 * Send the task this method reference names.
	 * @param <T> the bean type declaring the task
	 * @param <A> argument 1's type
	 * @param <R> the result type
	 * @param task the task method, as {@code Bean::method}
	 * @param a argument 1
	 * @return a handle on the task's result
	 */
	default <T, A, R> AsyncResult<R> send(TaskReference.Returning1<T, A, R> task, A a) {
		return send((TaskReference) task, Arrays.asList(new Object[] { a }));
	}

	/**
	 * Send the task this method reference names (a task with no result).
	 * @param <T> the bean type declaring the task
	 * @param <A> argument 1's type
	 * @param task the task method, as {@code Bean::method}
	 * @param a argument 1
	 * @return a handle on the task's completion
	 */
	default <T, A> AsyncResult<Void> send(TaskReference.Void1<T, A> task, A a) {
		return send((TaskReference) task, Arrays.asList(new Object[] { a }));
	}

	/**
	 * Send the task this method reference names.
	 * @param <T> the bean type declaring the task
	 * @param <A> argument 1's type
	 * @param <B> argument 2's type
	 * @param <R> the result type
	 * @param task the task method, as {@code Bean::method}
	 * @param a argument 1
	 * @param b argument 2
	 * @return a handle on the task's result
	 */
	default <T, A, B, R> AsyncResult<R> send(TaskReference.Returning2<T, A, B, R> task, A a, B b) {
		return send((TaskReference) task, Arrays.asList(new Object[] { a, b }));
	}

	/**
	 * Send the task this method reference names (a task with no result).
	 * @param <T> the bean type declaring the task
	 * @param <A> argument 1's type
	 * @param <B> argument 2's type
	 * @param task the task method, as {@code Bean::method}
	 * @param a argument 1
	 * @param b argument 2
	 * @return a handle on the task's completion
	 */
	default <T, A, B> AsyncResult<Void> send(TaskReference.Void2<T, A, B> task, A a, B b) {
		return send((TaskReference) task, Arrays.asList(new Object[] { a, b }));
	}

	/**
	 * Send the task this method reference names.
	 * @param <T> the bean type declaring the task
	 * @param <A> argument 1's type
	 * @param <B> argument 2's type
	 * @param <C> argument 3's type
	 * @param <R> the result type
	 * @param task the task method, as {@code Bean::method}
	 * @param a argument 1
	 * @param b argument 2
	 * @param c argument 3
	 * @return a handle on the task's result
	 */
	default <T, A, B, C, R> AsyncResult<R> send(TaskReference.Returning3<T, A, B, C, R> task, A a, B b, C c) {
		return send((TaskReference) task, Arrays.asList(new Object[] { a, b, c }));
	}

	/**
	 * Send the task this method reference names (a task with no result).
	 * @param <T> the bean type declaring the task
	 * @param <A> argument 1's type
	 * @param <B> argument 2's type
	 * @param <C> argument 3's type
	 * @param task the task method, as {@code Bean::method}
	 * @param a argument 1
	 * @param b argument 2
	 * @param c argument 3
	 * @return a handle on the task's completion
	 */
	default <T, A, B, C> AsyncResult<Void> send(TaskReference.Void3<T, A, B, C> task, A a, B b, C c) {
		return send((TaskReference) task, Arrays.asList(new Object[] { a, b, c }));
	}

	/**
	 * Send the task this method reference names.
	 * @param <T> the bean type declaring the task
	 * @param <A> argument 1's type
	 * @param <B> argument 2's type
	 * @param <C> argument 3's type
	 * @param <D> argument 4's type
	 * @param <R> the result type
	 * @param task the task method, as {@code Bean::method}
	 * @param a argument 1
	 * @param b argument 2
	 * @param c argument 3
	 * @param d argument 4
	 * @return a handle on the task's result
	 */
	default <T, A, B, C, D, R> AsyncResult<R> send(TaskReference.Returning4<T, A, B, C, D, R> task, A a, B b, C c, D d) {
		return send((TaskReference) task, Arrays.asList(new Object[] { a, b, c, d }));
	}

	/**
	 * Send the task this method reference names (a task with no result).
	 * @param <T> the bean type declaring the task
	 * @param <A> argument 1's type
	 * @param <B> argument 2's type
	 * @param <C> argument 3's type
	 * @param <D> argument 4's type
	 * @param task the task method, as {@code Bean::method}
	 * @param a argument 1
	 * @param b argument 2
	 * @param c argument 3
	 * @param d argument 4
	 * @return a handle on the task's completion
	 */
	default <T, A, B, C, D> AsyncResult<Void> send(TaskReference.Void4<T, A, B, C, D> task, A a, B b, C c, D d) {
		return send((TaskReference) task, Arrays.asList(new Object[] { a, b, c, d }));
	}

	/**
	 * Send the task this method reference names.
	 * @param <T> the bean type declaring the task
	 * @param <A> argument 1's type
	 * @param <B> argument 2's type
	 * @param <C> argument 3's type
	 * @param <D> argument 4's type
	 * @param <E> argument 5's type
	 * @param <R> the result type
	 * @param task the task method, as {@code Bean::method}
	 * @param a argument 1
	 * @param b argument 2
	 * @param c argument 3
	 * @param d argument 4
	 * @param e argument 5
	 * @return a handle on the task's result
	 */
	default <T, A, B, C, D, E, R> AsyncResult<R> send(TaskReference.Returning5<T, A, B, C, D, E, R> task, A a, B b, C c, D d, E e) {
		return send((TaskReference) task, Arrays.asList(new Object[] { a, b, c, d, e }));
	}

	/**
	 * Send the task this method reference names (a task with no result).
	 * @param <T> the bean type declaring the task
	 * @param <A> argument 1's type
	 * @param <B> argument 2's type
	 * @param <C> argument 3's type
	 * @param <D> argument 4's type
	 * @param <E> argument 5's type
	 * @param task the task method, as {@code Bean::method}
	 * @param a argument 1
	 * @param b argument 2
	 * @param c argument 3
	 * @param d argument 4
	 * @param e argument 5
	 * @return a handle on the task's completion
	 */
	default <T, A, B, C, D, E> AsyncResult<Void> send(TaskReference.Void5<T, A, B, C, D, E> task, A a, B b, C c, D d, E e) {
		return send((TaskReference) task, Arrays.asList(new Object[] { a, b, c, d, e }));
	}

}
