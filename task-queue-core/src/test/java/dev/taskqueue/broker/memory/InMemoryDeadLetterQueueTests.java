package dev.taskqueue.broker.memory;

import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.DeadLetterQueueContract;

/**
 * The in-memory broker lists, redrives and purges its dead letters as every broker does.
 */
class InMemoryDeadLetterQueueTests extends DeadLetterQueueContract {

	@Override
	protected Broker createBroker() {
		return new InMemoryBroker();
	}

	@Override
	protected void close(Broker broker) {
		((InMemoryBroker) broker).close();
	}

}
