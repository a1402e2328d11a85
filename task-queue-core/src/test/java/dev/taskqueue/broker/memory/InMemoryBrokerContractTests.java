package dev.taskqueue.broker.memory;

import java.util.List;

import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.BrokerContract;
import dev.taskqueue.broker.DeadLetter;

/**
 * The in-memory broker keeps the broker contract.
 */
class InMemoryBrokerContractTests extends BrokerContract {

	@Override
	protected Broker createBroker() {
		return new InMemoryBroker();
	}

	@Override
	protected List<DeadLetter> deadLetters(Broker broker, String queue) {
		return ((InMemoryBroker) broker).deadLetters().stream().filter((letter) -> letter.queue().equals(queue)).toList();
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
