/**
 * The worker (Celery's worker): {@link dev.taskqueue.worker.Workers} runs the worker groups of an
 * application as one lifecycle (made with {@link dev.taskqueue.worker.Workers#builder} from
 * {@link dev.taskqueue.worker.WorkerSettings}), and {@link dev.taskqueue.worker.TaskProcessor} does what
 * happens to a delivery, top to bottom (made with {@link dev.taskqueue.worker.TaskProcessor#builder});
 * {@link dev.taskqueue.worker.RateLimiter} is the SPI of rate limits (Celery's {@code rate_limit}), kept in this
 * JVM by {@link dev.taskqueue.worker.LocalRateLimiter}. What Celery's remote control reads and changes is public
 * on {@code Workers}: {@link dev.taskqueue.worker.WorkerSnapshot}s, the held
 * {@link dev.taskqueue.worker.TaskRequest}s, the tasks counted, consumers added and cancelled, the pool resized.
 * {@link dev.taskqueue.worker.QueueOverview} reads the queues an application knows (its workers', its tasks', the
 * default) with their depth and dead letters, for the Actuator endpoint and the dashboard alike.
 * <p>
 * Everything else is package-private: a worker's pool, the invoker and argument binder, the result values, the
 * retrier, the time limiter, the revocation gate, the rate limits, the workflow a message carries (Celery's
 * canvas, continued through a {@link dev.taskqueue.canvas.CanvasClient}) and Celery's built-in canvas tasks are
 * made by the two builders, so the worker needs no internal package.
 */
@NullMarked
package dev.taskqueue.worker;

import org.jspecify.annotations.NullMarked;
