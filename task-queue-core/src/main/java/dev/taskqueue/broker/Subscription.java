package dev.taskqueue.broker;

/**
 * A running consumer of one or more queues.
 */
public interface Subscription {

	/**
	 * Stop taking messages. When this returns no new delivery is handed out; deliveries already handed out
	 * can still be settled.
	 */
	void cancel();

	/**
	 * Whether a consumer of the queue is attached now: its channel is open (RabbitMQ), its connection answers
	 * (Redis). False once cancelled.
	 * @param queue one of the queues subscribed to
	 * @return whether it is consumed
	 */
	default boolean isConsuming(String queue) {
		return true;
	}

}
