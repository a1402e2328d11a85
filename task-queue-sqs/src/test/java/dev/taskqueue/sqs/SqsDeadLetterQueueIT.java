package dev.taskqueue.sqs;

import java.time.Clock;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.services.sqs.SqsClient;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.DeadLetterQueueContract;
import dev.taskqueue.broker.DeadLetterRetention;

/**
 * The SQS broker's dead letters keep the dead-letter contract, against an ElasticMQ server of its own: they are
 * aged by the broker's clock and counted per queue, when a walk of the dead-letter queue reads them.
 */
class SqsDeadLetterQueueIT extends DeadLetterQueueContract {

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
		return createBroker(DeadLetterRetention.defaults(), Clock.systemUTC());
	}

	@Override
	protected Broker createBroker(DeadLetterRetention retention, Clock clock) {
		return new SqsBroker(client, JsonMapper.builder().build(),
				SqsBrokerSettings.defaults().withWaitTime(Duration.ofSeconds(1)), clock, retention);
	}

	@Override
	protected void close(Broker broker) {
		((SqsBroker) broker).close();
	}

}
