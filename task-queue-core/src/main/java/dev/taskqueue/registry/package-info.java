/**
 * The tasks an application declares: the {@link dev.taskqueue.registry.TaskRegistry} by name (Celery's
 * {@code app.tasks}), each a {@link dev.taskqueue.registry.TaskDefinition} (bean, method, options) with its
 * {@link dev.taskqueue.registry.TaskOptions} (Celery's task attributes: the {@code @Task} annotation overridden
 * by {@code taskqueue.tasks.*}), {@link dev.taskqueue.registry.RetryPolicy} and
 * {@link dev.taskqueue.registry.RateLimit}; {@link dev.taskqueue.registry.TaskAnnotationBeanPostProcessor}
 * registers the {@code @Task} methods of beans; {@link dev.taskqueue.registry.TaskReferences} finds the method a
 * method reference names. Public because auto-configuration builds these from properties
 * and both the client and the worker read them.
 */
@NullMarked
package dev.taskqueue.registry;

import org.jspecify.annotations.NullMarked;
