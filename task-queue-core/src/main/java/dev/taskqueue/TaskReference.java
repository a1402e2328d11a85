package dev.taskqueue;

import java.io.Serializable;

/**
 * A reference to a {@link Task @Task} method, written as a method reference ({@code MathTasks::add}), so
 * that a task can be sent without its name as a string and with its argument and result types checked by
 * the compiler. The nested interfaces are the shapes {@link TaskClient} accepts; users never implement
 * them by hand.
 */
public interface TaskReference extends Serializable {

	/**
	 * A task method with 0 arguments and a result.
	 * @param <T> the bean type declaring the task
	 * @param <R> the result type
	 */
	@FunctionalInterface
	interface Returning0<T, R> extends TaskReference {

		/**
		 * Run the task method (never called by the client: it only names the method).
		 * @param task an argument
		 * @return the result
		 */
		R run(T task);

	}

	/**
	 * A task method with 0 arguments and no result.
	 * @param <T> the bean type declaring the task
	 */
	@FunctionalInterface
	interface Void0<T> extends TaskReference {

		/**
		 * Run the task method (never called by the client: it only names the method).
		 * @param task an argument
		 */
		void run(T task);

	}

	/**
	 * A task method with 1 argument and a result.
	 * @param <T> the bean type declaring the task
	 * @param <A> argument 1's type
	 * @param <R> the result type
	 */
	@FunctionalInterface
	interface Returning1<T, A, R> extends TaskReference {

		/**
		 * Run the task method (never called by the client: it only names the method).
		 * @param task an argument
		 * @param a an argument
		 * @return the result
		 */
		R run(T task, A a);

	}

	/**
	 * A task method with 1 argument and no result.
	 * @param <T> the bean type declaring the task
	 * @param <A> argument 1's type
	 */
	@FunctionalInterface
	interface Void1<T, A> extends TaskReference {

		/**
		 * Run the task method (never called by the client: it only names the method).
		 * @param task an argument
		 * @param a an argument
		 */
		void run(T task, A a);

	}

	/**
	 * A task method with 2 arguments and a result.
	 * @param <T> the bean type declaring the task
	 * @param <A> argument 1's type
	 * @param <B> argument 2's type
	 * @param <R> the result type
	 */
	@FunctionalInterface
	interface Returning2<T, A, B, R> extends TaskReference {

		/**
		 * Run the task method (never called by the client: it only names the method).
		 * @param task an argument
		 * @param a an argument
		 * @param b an argument
		 * @return the result
		 */
		R run(T task, A a, B b);

	}

	/**
	 * A task method with 2 arguments and no result.
	 * @param <T> the bean type declaring the task
	 * @param <A> argument 1's type
	 * @param <B> argument 2's type
	 */
	@FunctionalInterface
	interface Void2<T, A, B> extends TaskReference {

		/**
		 * Run the task method (never called by the client: it only names the method).
		 * @param task an argument
		 * @param a an argument
		 * @param b an argument
		 */
		void run(T task, A a, B b);

	}

	/**
	 * A task method with 3 arguments and a result.
	 * @param <T> the bean type declaring the task
	 * @param <A> argument 1's type
	 * @param <B> argument 2's type
	 * @param <C> argument 3's type
	 * @param <R> the result type
	 */
	@FunctionalInterface
	interface Returning3<T, A, B, C, R> extends TaskReference {

		/**
		 * Run the task method (never called by the client: it only names the method).
		 * @param task an argument
		 * @param a an argument
		 * @param b an argument
		 * @param c an argument
		 * @return the result
		 */
		R run(T task, A a, B b, C c);

	}

	/**
	 * A task method with 3 arguments and no result.
	 * @param <T> the bean type declaring the task
	 * @param <A> argument 1's type
	 * @param <B> argument 2's type
	 * @param <C> argument 3's type
	 */
	@FunctionalInterface
	interface Void3<T, A, B, C> extends TaskReference {

		/**
		 * Run the task method (never called by the client: it only names the method).
		 * @param task an argument
		 * @param a an argument
		 * @param b an argument
		 * @param c an argument
		 */
		void run(T task, A a, B b, C c);

	}

	/**
	 * A task method with 4 arguments and a result.
	 * @param <T> the bean type declaring the task
	 * @param <A> argument 1's type
	 * @param <B> argument 2's type
	 * @param <C> argument 3's type
	 * @param <D> argument 4's type
	 * @param <R> the result type
	 */
	@FunctionalInterface
	interface Returning4<T, A, B, C, D, R> extends TaskReference {

		/**
		 * Run the task method (never called by the client: it only names the method).
		 * @param task an argument
		 * @param a an argument
		 * @param b an argument
		 * @param c an argument
		 * @param d an argument
		 * @return the result
		 */
		R run(T task, A a, B b, C c, D d);

	}

	/**
	 * A task method with 4 arguments and no result.
	 * @param <T> the bean type declaring the task
	 * @param <A> argument 1's type
	 * @param <B> argument 2's type
	 * @param <C> argument 3's type
	 * @param <D> argument 4's type
	 */
	@FunctionalInterface
	interface Void4<T, A, B, C, D> extends TaskReference {

		/**
		 * Run the task method (never called by the client: it only names the method).
		 * @param task an argument
		 * @param a an argument
		 * @param b an argument
		 * @param c an argument
		 * @param d an argument
		 */
		void run(T task, A a, B b, C c, D d);

	}

	/**
	 * A task method with 5 arguments and a result.
	 * @param <T> the bean type declaring the task
	 * @param <A> argument 1's type
	 * @param <B> argument 2's type
	 * @param <C> argument 3's type
	 * @param <D> argument 4's type
	 * @param <E> argument 5's type
	 * @param <R> the result type
	 */
	@FunctionalInterface
	interface Returning5<T, A, B, C, D, E, R> extends TaskReference {

		/**
		 * Run the task method (never called by the client: it only names the method).
		 * @param task an argument
		 * @param a an argument
		 * @param b an argument
		 * @param c an argument
		 * @param d an argument
		 * @param e an argument
		 * @return the result
		 */
		R run(T task, A a, B b, C c, D d, E e);

	}

	/**
	 * A task method with 5 arguments and no result.
	 * @param <T> the bean type declaring the task
	 * @param <A> argument 1's type
	 * @param <B> argument 2's type
	 * @param <C> argument 3's type
	 * @param <D> argument 4's type
	 * @param <E> argument 5's type
	 */
	@FunctionalInterface
	interface Void5<T, A, B, C, D, E> extends TaskReference {

		/**
		 * Run the task method (never called by the client: it only names the method).
		 * @param task an argument
		 * @param a an argument
		 * @param b an argument
		 * @param c an argument
		 * @param d an argument
		 * @param e an argument
		 */
		void run(T task, A a, B b, C c, D d, E e);

	}

}
