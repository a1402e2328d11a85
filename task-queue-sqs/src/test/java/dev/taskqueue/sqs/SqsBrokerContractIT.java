package dev.taskqueue.sqs;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.services.sqs.SqsClient;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.BrokerContract;

/**
 * The SQS broker keeps the broker contract, against an ElasticMQ server of its own. Its hooks differ by design:
 * SQS has no priorities, so messages of every priority arrive in the order they were published
 * ({@link #prioritiesMostUrgentFirst()} is empty). Consumers long-poll for a second, so that a cancel is quick.
 */
class SqsBrokerContractIT extends BrokerContract {

	private static ElasticMqServer server;

	private static SqsClient client;

	@BeforeAll
	static void startServer() {
		server = ElasticMqServer.start();
		client = server.client();
	}

	@AfterAll
	static void stopServer() {
		client.close();
		server.close();
	}

	@Override
	protected Broker createBroker() {
		return new SqsBroker(client, JsonMapper.builder().build(),
				SqsBrokerSettings.defaults().withWaitTime(Duration.ofSeconds(1)), Clock.systemUTC());
	}

	@Override
	protected void close(Broker broker) {
		((SqsBroker) broker).close();
	}

	@Override
	protected List<Integer> prioritiesMostUrgentFirst() {
		// SQS has no message priorities (nor has kombu's SQS transport)
		return List.of();
	}

}
