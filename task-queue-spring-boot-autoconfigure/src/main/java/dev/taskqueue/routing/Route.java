package dev.taskqueue.routing;

/**
 * Where and how a task is sent.
 *
 * @param queue the queue
 * @param priority the message priority, or {@code null} for none
 */
public record Route(String queue, Integer priority) {
}
