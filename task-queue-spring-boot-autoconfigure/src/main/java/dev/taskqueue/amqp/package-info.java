/**
 * AMQP channel plumbing shared by the RabbitMQ broker and the rpc result backend: publishing with confirms
 * and mandatory returns, and a push consumer that recovers from lost connections. Neither of its users
 * depends on the other.
 */
package dev.taskqueue.amqp;
