/**
 * Where a task goes (Celery's {@code task_routes} and routers): the
 * {@link dev.taskqueue.routing.TaskRouter} (made with {@link dev.taskqueue.routing.TaskRouter#builder}) decides
 * by precedence, the call's options first, then the {@link dev.taskqueue.routing.Router}s, among them the
 * {@link dev.taskqueue.routing.RouteTable} of {@link dev.taskqueue.routing.TaskNamePattern glob or regex
 * patterns}, then the task's own settings and the defaults; a {@link dev.taskqueue.routing.Route} is the answer.
 */
@NullMarked
package dev.taskqueue.routing;

import org.jspecify.annotations.NullMarked;
