/**
 * The sample application: a few {@code @Task} beans and an HTTP API that sends them and reads their results,
 * on the in-memory broker by default and on Redis or RabbitMQ by property.
 */
@NullMarked
package dev.taskqueue.sample;

import org.jspecify.annotations.NullMarked;
