package dev.taskqueue;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.core.annotation.AliasFor;

/**
 * Registers a method of a Spring bean as a task that workers can run and clients can send.
 * <p>
 * The annotation is the home of a task's own options; every attribute has a "not set" default so that
 * the application's configuration decides. For example:
 * <pre>{@code
 * @Component
 * class MathTasks {
 *     @Task("sample.add")
 *     int add(int x, int y) { return x + y; }
 *
 *     @Task(name = "reports.render", queue = "reports", acks = Task.Acks.EARLY, trackStarted = true)
 *     Report render(UUID id) { ... }
 * }
 * }</pre>
 * A task without a name is called {@code <fully qualified class name>.<method name>}. Two tasks with
 * the same name fail the application's start-up.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Task {

	/**
	 * The task's name, as Celery peers know it (for example {@code "sample.add"}). Alias for {@link #name()}.
	 * @return the name, or empty to derive it from the class and method
	 */
	@AliasFor("name")
	String value() default "";

	/**
	 * The task's name. Alias for {@link #value()}.
	 * @return the name, or empty to derive it from the class and method
	 */
	@AliasFor("value")
	String name() default "";

	/**
	 * The queue the task is sent to when neither the call nor a route says otherwise.
	 * @return the queue, or empty for {@code taskqueue.default-queue}
	 */
	String queue() default "";

	/**
	 * The priority the task is sent with when the call does not give one.
	 * @return the priority (0-255), or -1 for none
	 */
	int priority() default -1;

	/**
	 * When the worker acknowledges the message.
	 * @return the acknowledgement mode
	 */
	Acks acks() default Acks.DEFAULT;

	/**
	 * Whether the worker stores no result for this task (Celery's {@code ignore_result}).
	 * @return {@code true} to store no result
	 */
	boolean ignoreResult() default false;

	/**
	 * Whether the worker stores the STARTED state when the task begins (Celery's {@code track_started}).
	 * @return {@code true} to store STARTED
	 */
	boolean trackStarted() default false;

	/**
	 * The serializer of the task's messages when the call does not choose one.
	 * @return {@code json}, {@code msgpack}, {@code yaml}, or empty for {@code taskqueue.serializer}
	 */
	String serializer() default "";

	/**
	 * The compression of the task's messages when the call does not choose one.
	 * @return {@code zlib} (or {@code gzip}), {@code bzip2}, {@code lzma}, or empty for none
	 */
	String compression() default "";

	/**
	 * How long after sending the task expires when the call does not say: a task still waiting then is not
	 * run but REVOKED. A duration as in configuration files ({@code 30s}, {@code 10m}, {@code PT1H}).
	 * @return the duration, or empty for none
	 */
	String expires() default "";

	/**
	 * Exceptions that retry the task instead of failing it (Celery's {@code autoretry_for}); subclasses count.
	 * @return the exception types
	 */
	Class<? extends Throwable>[] autoretryFor() default {};

	/**
	 * How many times the task is retried before it fails with its last exception.
	 * @return the limit, or -1 for the default (3, as Celery)
	 */
	int maxRetries() default -1;

	/**
	 * The countdown of a retry when neither backoff nor the retry itself gives one (Celery's
	 * {@code default_retry_delay}), as a duration ({@code 30s}).
	 * @return the delay, or empty for the default (3 minutes, as Celery)
	 */
	String retryDelay() default "";

	/**
	 * Exponential backoff of automatic retries: the first retry waits this long, each next one twice as long
	 * (Celery's {@code retry_backoff}), as a duration ({@code 1s}).
	 * @return the first backoff, or empty for a fixed {@link #retryDelay()}
	 */
	String retryBackoff() default "";

	/**
	 * The longest backoff (Celery's {@code retry_backoff_max}).
	 * @return the maximum, or empty for the default (10 minutes, as Celery)
	 */
	String retryBackoffMax() default "";

	/**
	 * Whether a backoff is drawn at random between zero and its value, so that retries of many tasks spread
	 * out (Celery's {@code retry_jitter}, on by default).
	 * @return {@code false} for exact backoffs
	 */
	boolean retryJitter() default true;

	/**
	 * What becomes of the message once the task's retries are used up: FAILURE is stored either way, and with
	 * {@link RetriesExhausted#DEAD_LETTER} the message goes to the broker's dead letters with the reason
	 * ({@code retries exhausted (3 of 3): <exception>}), to be redriven once the cause is fixed, instead of
	 * being acknowledged.
	 * @return what to do, or {@link RetriesExhausted#DEFAULT} for {@code taskqueue.worker.on-retries-exhausted}
	 */
	RetriesExhausted onRetriesExhausted() default RetriesExhausted.DEFAULT;

	/**
	 * The hard time limit (Celery's {@code time_limit}): past it the task is abandoned, it fails with
	 * {@code TimeLimitExceeded}, and the worker replaces the thread it holds. A message's {@code timelimit}
	 * header wins over it.
	 * @return the limit as a duration ({@code 5m}), or empty for none
	 */
	String timeLimit() default "";

	/**
	 * The soft time limit (Celery's {@code soft_time_limit}): past it the task's thread is interrupted, so
	 * that it can clean up; an exception it then throws fails it with {@code SoftTimeLimitExceeded}.
	 * @return the limit as a duration ({@code 4m}), or empty for none
	 */
	String softTimeLimit() default "";

	/**
	 * How often each worker may start this task (Celery's {@code rate_limit}): {@code 10/s}, {@code 100/m},
	 * {@code 1000/h}. Tasks over the rate wait in the worker, holding their prefetch slot, not a thread.
	 * @return the rate, or empty for none
	 */
	String rateLimit() default "";

	/**
	 * When a worker acknowledges a task's message.
	 */
	enum Acks {

		/** As {@code taskqueue.worker.acks} says (late, unless configured otherwise). */
		DEFAULT,

		/**
		 * After the task has finished and its result is stored: a worker that dies mid-task leaves the
		 * message to be delivered again (at least once).
		 */
		LATE,

		/** Before the task runs: a worker that dies mid-task loses it (at most once). */
		EARLY

	}

	/**
	 * What becomes of a task's message once its retries are used up (FAILURE is stored either way).
	 */
	enum RetriesExhausted {

		/** As {@code taskqueue.worker.on-retries-exhausted} says (fail, unless configured otherwise). */
		DEFAULT,

		/** The message is acknowledged, as Celery does. */
		FAIL,

		/**
		 * The message is rejected to the broker's dead letters with the reason. A message acknowledged early
		 * ({@link Acks#EARLY}) is gone already and is not dead-lettered.
		 */
		DEAD_LETTER

	}

}
