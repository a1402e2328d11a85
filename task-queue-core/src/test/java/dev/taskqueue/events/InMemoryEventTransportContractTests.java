package dev.taskqueue.events;

/**
 * The in-memory transport keeps the event transport contract: the applications of a test are one application
 * here, sharing the one transport, as they share the in-memory broker.
 */
class InMemoryEventTransportContractTests extends EventTransportContract {

	private final InMemoryEventTransport transport = new InMemoryEventTransport();

	@Override
	protected EventTransport createTransport() {
		return this.transport;
	}

}
