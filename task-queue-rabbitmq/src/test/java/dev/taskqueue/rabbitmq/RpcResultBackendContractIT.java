package dev.taskqueue.rabbitmq;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

import dev.taskqueue.broker.BrokerException;

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

	@Test
	void aClientWaitingForAResultReceivesItAfterTheBrokerClosedItsConnection() throws Exception {
		try (RpcResultBackend client = (RpcResultBackend) createBackend();
				RpcResultBackend worker = (RpcResultBackend) createBackend()) {
			String id = UUID.randomUUID().toString();
			CompletableFuture<TaskResult> waiting = client.whenReady(id);
			String before = awaitConsumer(client.replyTo(), null);
			vhost.closeAllConnections();
			// the reply consumer reconnects and declares its (auto-delete) queue again, on a new channel; a result
			// sent before that would be lost, as in Celery, so the worker answers once the queue is back
			awaitConsumer(client.replyTo(), before);
			assertThat(waiting).isNotDone();
			// the worker's publisher lost its connection too: its next send opens a new one
			await().atMost(Duration.ofSeconds(30)).ignoreException(BrokerException.class).until(() -> {
				worker.store(TaskResult.success(id, "after the outage", Instant.now()), client.replyTo());
				return true;
			});
			assertThat(waiting).succeedsWithin(Duration.ofSeconds(30)).satisfies((result) -> {
				assertThat(result.state()).isEqualTo(TaskState.SUCCESS);
				assertThat(result.result()).isEqualTo("after the outage");
			});
			assertThat(client.fetch(id)).isNotNull();
		}
	}

	/**
	 * Wait until a queue has a consumer on another channel than {@code previous}.
	 * @return the consumer's channel
	 */
	private static String awaitConsumer(String queue, @Nullable String previous) {
		return await().atMost(Duration.ofSeconds(60)).until(() -> {
			for (String line : RabbitVhost.rabbitmqctl("list_consumers", "-p", vhost.name(), "-q",
					"--no-table-headers", "queue_name", "channel_pid").split("\n")) {
				String[] fields = line.trim().split("\\s+");
				if (fields.length == 2 && fields[0].equals(queue) && !fields[1].equals(previous)) {
					return fields[1];
				}
			}
			return null;
		}, java.util.Objects::nonNull);
	}

	/**
	 * As Celery's {@code rpc}: results reach only the sender, so a group saved for others to restore would reach
	 * nobody.
	 */
	@Override
	protected boolean savesGroups() {
		return false;
	}

	/**
	 * As Celery's {@code rpc}: a result message carries task_id, status, result, traceback and children only.
	 */
	@Override
	protected boolean keepsWorkflowIds() {
		return false;
	}

}
