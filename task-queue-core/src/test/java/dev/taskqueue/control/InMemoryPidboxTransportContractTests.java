package dev.taskqueue.control;

/**
 * The in-memory transport keeps the remote-control transport contract. All the applications of a test share one
 * transport, as the workers and clients of one JVM share the in-memory broker.
 */
class InMemoryPidboxTransportContractTests extends PidboxTransportContract {

	private final InMemoryPidboxTransport transport = new InMemoryPidboxTransport();

	@Override
	protected PidboxTransport createTransport() {
		return this.transport;
	}

}
