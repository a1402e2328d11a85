package dev.taskqueue.rabbitmq;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

import dev.taskqueue.TaskState;
import dev.taskqueue.result.ResultBackend;
import dev.taskqueue.result.ResultBackendContract;
import dev.taskqueue.result.TaskResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The RPC result backend (Celery's {@code rpc://}) keeps the result backend contract, against the local
 * RabbitMQ, in a virtual host of its own. Its hooks differ by design, as in Celery: results are messages to the
 * reply queue of the client that sent the task, so only that client sees them, once they arrive; and those
 * messages carry no {@code date_done}.
 */
class RpcResultBackendContractIT extends ResultBackendContract {

	private static @Nullable RabbitVhost vhost;

	private static @Nullable CachingConnectionFactory connectionFactory;

	@BeforeAll
	static void createVhost() {
		vhost = RabbitVhost.create("taskqueue-it-rpc-result-contract");
		connectionFactory = vhost.connectionFactory();
	}

	@AfterAll
	static void deleteVhost() {
		if (connectionFactory != null) {
			connectionFactory.destroy();
		}
		if (vhost != null) {
			vhost.delete();
		}
	}

	@Override
	protected ResultBackend createBackend() {
		return new RpcResultBackend(connectionFactory, JsonMapper.builder().build(),
				RpcResultBackendSettings.defaults(), Clock.systemUTC());
	}

	@Override
	protected boolean deliversResultsToTheSenderOnly() {
		return true;
	}

	@Override
	protected boolean keepsDateDone() {
		return false;
	}

	@Test
	void aResultIsSeenOnlyByTheClientThatSentTheTask() throws Exception {
		// the worker is another application: its own backend sends to the client's reply_to
		try (RpcResultBackend client = (RpcResultBackend) createBackend();
				RpcResultBackend worker = (RpcResultBackend) createBackend()) {
			String id = UUID.randomUUID().toString();
			worker.store(TaskResult.success(id, "for the client", Instant.now()), client.replyTo());
			await().atMost(Duration.ofSeconds(10)).until(() -> client.fetch(id) != null);
			assertThat(client.fetch(id).state()).isEqualTo(TaskState.SUCCESS);
			assertThat(client.fetch(id).result()).isEqualTo("for the client");
			assertThat(client.whenReady(id)).isCompleted();
			assertThat(worker.fetch(id)).isNull();
			assertThat(worker.replyTo()).isNotEqualTo(client.replyTo());
		}
	}

}
