package dev.taskqueue.broker.memory;

import java.util.List;

import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.BrokerContract;

/**
 * The in-memory broker keeps the broker contract, with no hook overridden: it makes queues as they are used,
 * serves priorities on every queue, keeps its dead letters as a {@link dev.taskqueue.broker.DeadLetterQueue}
 * and parks deferred messages until they are due exactly.
 */
class InMemoryBrokerContractTests extends BrokerContract {

	@Override
	protected Broker createBroker() {
		return new InMemoryBroker();
	}

	@Override
	protected List<Integer> prioritiesMostUrgentFirst() {
		return List.of(9, 5, 0);
	}

	@Override
	protected void close(Broker broker) {
		((InMemoryBroker) broker).close();
	}

}
