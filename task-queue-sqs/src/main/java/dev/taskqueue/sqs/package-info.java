/**
 * The Amazon SQS transport, wire-compatible with kombu's SQS transport (Celery's {@code broker_url='sqs://'}):
 * {@link dev.taskqueue.sqs.SqsBroker} publishes the kombu JSON message in base64 to queues named as kombu names
 * them, acknowledges by deleting (batched), requeues and keeps running tasks through the visibility timeout,
 * parks deferred messages with SQS's delay (re-published until due past its 15 minutes), and keeps dead letters
 * in a queue of its own. SQS has no fanout, so events and remote control do not travel over it (nor do they in
 * Celery); nor does the rpc result backend.
 */
@NullMarked
package dev.taskqueue.sqs;

import org.jspecify.annotations.NullMarked;
