/**
 * What applications use, and all they need to use: {@link dev.taskqueue.Task @Task} declares a task (Celery's
 * {@code @app.task}), {@link dev.taskqueue.TaskClient} sends one (Celery's {@code apply_async} and
 * {@code send_task}) with {@link dev.taskqueue.SendOptions}, {@link dev.taskqueue.AsyncResult} waits for its
 * outcome ({@code AsyncResult} in Celery too), {@link dev.taskqueue.TaskContext} is the running task's request
 * ({@code self.request}); {@link dev.taskqueue.TaskState}, {@link dev.taskqueue.TaskFailure} and the exceptions
 * complete it. This package depends on no other package of the library.
 * <p>
 * {@link dev.taskqueue.TaskContextHolder} is public only because the worker, in another package, makes a task's
 * context current; applications read {@link dev.taskqueue.TaskContext#current()}.
 */
@NullMarked
package dev.taskqueue;

import org.jspecify.annotations.NullMarked;
