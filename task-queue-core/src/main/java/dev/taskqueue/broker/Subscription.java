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

}
