package dev.taskqueue.sqs;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.broker.Delivery;
import dev.taskqueue.broker.Subscription;
import dev.taskqueue.protocol.Envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the SQS broker does beyond the contract, against an ElasticMQ server of its own: kombu's wire format and
 * queue names, FIFO queues, the visibility timeout that a held message's heartbeat extends and a dead worker's
 * lets lapse, and deferred messages parked in SQS rather than in memory.
 */
class SqsBrokerIT {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final JsonMapper mapper = JsonMapper.builder().build();

	private static ElasticMqServer server;

	private static SqsClient client;

	private final List<SqsBroker> brokers = new ArrayList<>();

	private final List<Subscription> subscriptions = new ArrayList<>();

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

	@AfterEach
	void closeBrokers() {
		this.subscriptions.forEach(Subscription::cancel);
		this.brokers.forEach(SqsBroker::close);
	}

	@Test
	void writesKombusBase64MessageToTheQueueKombuNames() {
		SqsBroker broker = broker(SqsBrokerSettings.defaults().withQueueNamePrefix("it-"), Duration.ofSeconds(30));
		String queue = "wire." + UUID.randomUUID() + ":x";
		broker.publish(queue, envelope("w1"));
		String url = client.getQueueUrl((request) -> request.queueName("it-" + queue.replace('.', '-')
			.replace(':', '_'))).queueUrl();
		Message message = client.receiveMessage((request) -> request.queueUrl(url)).messages().get(0);
		JsonNode kombu = mapper.readTree(Base64.getDecoder().decode(message.body()));
		assertThat(kombu.path("content-type").asString()).isEqualTo("application/json");
		assertThat(kombu.path("headers").path("id").asString()).isEqualTo("w1");
		assertThat(kombu.path("properties").path("body_encoding").asString()).isEqualTo("base64");
		assertThat(kombu.path("properties").path("delivery_info").path("routing_key").asString()).isEqualTo(queue);
		assertThat(new String(Base64.getDecoder().decode(kombu.path("body").asString()), StandardCharsets.UTF_8))
			.isEqualTo("[[], {}, {}]");
	}

	@Test
	void aFifoQueueDeliversInOrder() {
		SqsBroker broker = broker(SqsBrokerSettings.defaults(), Duration.ofSeconds(30));
		String queue = "fifo-" + UUID.randomUUID() + ".fifo";
		for (int i = 0; i < 5; i++) {
			broker.publish(queue, envelope("f" + i));
		}
		BlockingQueue<Delivery> deliveries = subscribe(broker, queue, 5);
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			Delivery delivery = take(deliveries);
			ids.add(delivery.envelope().correlationId());
			delivery.ack();
		}
		assertThat(ids).containsExactly("f0", "f1", "f2", "f3", "f4");
		assertThat(client.getQueueUrl((request) -> request.queueName(queue)).queueUrl()).endsWith(".fifo");
	}

	@Test
	void aHeldMessageStaysInvisibleLongerThanTheVisibilityTimeout() {
		Duration visibility = Duration.ofSeconds(2);
		SqsBroker worker = broker(SqsBrokerSettings.defaults(), visibility);
		SqsBroker other = broker(SqsBrokerSettings.defaults(), visibility);
		String queue = "held-" + UUID.randomUUID();
		worker.publish(queue, envelope("h1"));
		Delivery running = take(subscribe(worker, queue, 1));
		BlockingQueue<Delivery> elsewhere = subscribe(other, queue, 1);
		// three visibility timeouts: the heartbeat extends it, no other consumer gets the message meanwhile
		await().during(visibility.multipliedBy(3)).atMost(visibility.multipliedBy(3).plus(WAIT))
			.until(elsewhere::isEmpty);
		running.ack();
		await().during(visibility.multipliedBy(2)).atMost(visibility.multipliedBy(2).plus(WAIT))
			.until(elsewhere::isEmpty);
	}

	@Test
	void aDeadWorkersMessageReappearsAfterTheVisibilityTimeout() {
		Duration visibility = Duration.ofSeconds(2);
		SqsBroker dying = new SqsBroker(client, mapper, settings(SqsBrokerSettings.defaults(), visibility),
				Clock.systemUTC());
		String queue = "dead-worker-" + UUID.randomUUID();
		dying.publish(queue, envelope("d1"));
		BlockingQueue<Delivery> held = new LinkedBlockingQueue<>();
		Subscription subscription = dying.subscribe(List.of(queue), 1, held::add);
		Delivery lost = take(held);
		// the worker dies: its consumer and heartbeat stop, the message is never settled
		subscription.cancel();
		dying.close();
		Instant died = Instant.now();
		Delivery again = take(subscribe(broker(SqsBrokerSettings.defaults(), visibility), queue, 1));
		assertThat(again.envelope().correlationId()).isEqualTo("d1");
		assertThat(again.redelivered()).isTrue();
		assertThat(lost.isSettled()).isFalse();
		assertThat(Duration.between(died, Instant.now())).isLessThan(visibility.plus(WAIT));
		again.ack();
	}

	@Test
	void aMessageReceivedBeforeItIsDueIsParkedAgainNotHandedOut() {
		// as a message parked for longer than SQS's 15-minute delay comes back before it is due
		SqsBroker broker = broker(SqsBrokerSettings.defaults(), Duration.ofSeconds(30));
		String queue = "due-" + UUID.randomUUID();
		Instant due = Instant.now().plusSeconds(3);
		broker.send(queue, new KombuSqsCodec(mapper).write(queue, envelope("later")), Duration.ZERO, due);
		Delivery delivery = take(subscribe(broker, queue, 1));
		assertThat(Instant.now()).isAfterOrEqualTo(due);
		assertThat(delivery.envelope().correlationId()).isEqualTo("later");
		delivery.ack();
	}

	@Test
	void aRequeuedMessageIsReceivedAgainAsRedelivered() {
		SqsBroker broker = broker(SqsBrokerSettings.defaults(), Duration.ofSeconds(30));
		String queue = "requeue-" + UUID.randomUUID();
		broker.publish(queue, envelope("r1"));
		BlockingQueue<Delivery> deliveries = subscribe(broker, queue, 1);
		take(deliveries).requeue();
		String url = client.getQueueUrl((request) -> request.queueName(queue)).queueUrl();
		Delivery again = take(deliveries);
		assertThat(again.redelivered()).isTrue();
		again.ack();
		await().atMost(WAIT).until(() -> client.receiveMessage((request) -> request.queueUrl(url)
			.messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages().isEmpty());
	}

	@Test
	void aQueueDeletedBehindTheBrokersBackIsCreatedAgainByTheNextSend() {
		SqsBroker broker = broker(SqsBrokerSettings.defaults(), Duration.ofSeconds(30));
		String queue = "deleted-" + UUID.randomUUID();
		broker.publish(queue, envelope("lost"));
		String url = client.getQueueUrl((request) -> request.queueName(queue)).queueUrl();
		client.deleteQueue((request) -> request.queueUrl(url));
		// the broker still knows the queue's URL: the send finds the queue gone, forgets it and creates it again
		broker.publish(queue, envelope("again"));
		Delivery delivery = take(subscribe(broker, queue, 1));
		assertThat(delivery.envelope().correlationId()).isEqualTo("again");
		delivery.ack();
	}

	private SqsBroker broker(SqsBrokerSettings settings, Duration visibility) {
		SqsBroker broker = new SqsBroker(client, mapper, settings(settings, visibility), Clock.systemUTC());
		this.brokers.add(broker);
		return broker;
	}

	private static SqsBrokerSettings settings(SqsBrokerSettings settings, Duration visibility) {
		return settings.withWaitTime(Duration.ofSeconds(1)).withVisibilityTimeout(visibility);
	}

	private BlockingQueue<Delivery> subscribe(SqsBroker broker, String queue, int prefetch) {
		BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
		this.subscriptions.add(broker.subscribe(List.of(queue), prefetch, deliveries::add));
		return deliveries;
	}

	private static Delivery take(BlockingQueue<Delivery> deliveries) {
		try {
			Delivery delivery = deliveries.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
			assertThat(delivery).as("a delivery within %s", WAIT).isNotNull();
			return delivery;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static Envelope envelope(String id) {
		Map<String, Object> headers = new LinkedHashMap<>();
		headers.put("task", "sqs.task");
		headers.put("id", id);
		return new Envelope("[[], {}, {}]".getBytes(StandardCharsets.UTF_8), "application/json", "utf-8", headers, id,
				null, 0, null);
	}

}
