package dev.taskqueue.broker;

/**
 * Receives the deliveries of a {@link Broker#subscribe subscription}.
 */
@FunctionalInterface
public interface DeliveryHandler {

	/**
	 * Handle a delivery. Called on the broker's consumer thread: hand long work to another thread.
	 * @param delivery the delivery, to settle once
	 */
	void onDelivery(Delivery delivery);

}
