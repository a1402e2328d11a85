package dev.taskqueue.rabbitmq;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.LongString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

import dev.taskqueue.broker.BrokerException;
import dev.taskqueue.broker.Delivery;
import dev.taskqueue.broker.Destination;
import dev.taskqueue.broker.Subscription;
import dev.taskqueue.protocol.Envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The RabbitMQ transport against the local broker, in a virtual host of its own.
 */
class RabbitBrokerIT {

	/** How long to wait for what only rabbitmqctl shows (unacknowledged counts): each call can take seconds. */
	private static final Duration RABBITMQCTL_WAIT = Duration.ofSeconds(60);

	private static RabbitVhost vhost;

	private CachingConnectionFactory connectionFactory;

	private RabbitAdmin admin;

	private RabbitBroker broker;

	private final List<Subscription> subscriptions = new ArrayList<>();

	private final List<RabbitBroker> strictBrokers = new ArrayList<>();

	@BeforeAll
	static void createVhost() {
		vhost = RabbitVhost.create("taskqueue-it-rabbit-broker");
	}

	@AfterAll
	static void deleteVhost() {
		vhost.delete();
	}

	@BeforeEach
	void createBroker() {
		this.connectionFactory = vhost.connectionFactory();
		this.admin = new RabbitAdmin(this.connectionFactory);
		for (String queue : List.of("work", "other", "prio", "taskqueue.dead-letter", "late")) {
			this.admin.deleteQueue(queue);
		}
		this.admin.deleteExchange("late");
		new RabbitTopology(this.admin, List.of(), List.of(new Queue("prio", true, false, false,
				Map.of("x-max-priority", 10))), List.of()).declare(List.of("work", "other"), "taskqueue.dead-letter");
		this.broker = new RabbitBroker(this.connectionFactory, this.admin, RabbitBrokerSettings.defaults(),
				Clock.systemUTC());
	}

	@AfterEach
	void closeBroker() {
		this.subscriptions.forEach(Subscription::cancel);
		this.strictBrokers.forEach(RabbitBroker::close);
		this.broker.close();
		this.connectionFactory.destroy();
	}

	@Test
	void publishesAsCeleryDoes() throws Exception {
		Map<String, Object> headers = new LinkedHashMap<>();
		headers.put("task", "sample.add");
		headers.put("id", "id-1");
		headers.put("shadow", null);
		headers.put("retries", 0L);
		headers.put("big", 1099511627776L);
		headers.put("timelimit", Arrays.asList(30, null));
		headers.put("ignore_result", false);
		this.broker.publish("work", new Envelope("[[2,3],{},{}]".getBytes(StandardCharsets.UTF_8), "application/json",
				"utf-8", headers, "id-1", "client-1", 3, "60000"));
		GetResponse response = new RabbitTemplate(this.connectionFactory)
			.execute((channel) -> channel.basicGet("work", true));
		assertThat(response).isNotNull();
		assertThat(response.getEnvelope().getExchange()).isEmpty();
		assertThat(response.getEnvelope().getRoutingKey()).isEqualTo("work");
		var properties = response.getProps();
		assertThat(properties.getContentType()).isEqualTo("application/json");
		assertThat(properties.getContentEncoding()).isEqualTo("utf-8");
		assertThat(properties.getDeliveryMode()).isEqualTo(2);
		assertThat(properties.getPriority()).isEqualTo(3);
		assertThat(properties.getCorrelationId()).isEqualTo("id-1");
		assertThat(properties.getReplyTo()).isEqualTo("client-1");
		assertThat(properties.getExpiration()).isEqualTo("60000");
		Map<String, Object> received = properties.getHeaders();
		assertThat(received.get("task")).isInstanceOf(LongString.class).hasToString("sample.add");
		assertThat(received).containsKey("shadow");
		assertThat(received.get("shadow")).isNull();
		// an int that fits 32 bits goes as 'I' (Integer), as py-amqp writes it; a bigger one as a long
		assertThat(received.get("retries")).isEqualTo(0);
		assertThat(received.get("big")).isEqualTo(1099511627776L);
		assertThat(received.get("timelimit")).isEqualTo(Arrays.asList(30, null));
		assertThat(received.get("ignore_result")).isEqualTo(false);
		assertThat(new String(response.getBody(), StandardCharsets.UTF_8)).isEqualTo("[[2,3],{},{}]");
	}

	@Test
	void consumesAndAcknowledges() {
		BlockingQueue<Delivery> deliveries = subscribe(List.of("work"), 4);
		this.broker.publish("work", envelope("one", 0));
		Delivery delivery = take(deliveries);
		assertThat(delivery.envelope().correlationId()).isEqualTo("one");
		assertThat(delivery.envelope().headers()).containsEntry("task", "test.task");
		assertThat(delivery.queue()).isEqualTo("work");
		assertThat(delivery.redelivered()).isFalse();
		delivery.ack();
		await().atMost(RABBITMQCTL_WAIT).until(() -> messageCount("work") == 0 && unacked() == 0);
	}

	@Test
	void requeuedMessageComesBackRedelivered() {
		BlockingQueue<Delivery> deliveries = subscribe(List.of("work"), 1);
		this.broker.publish("work", envelope("again", 0));
		take(deliveries).requeue();
		Delivery again = take(deliveries);
		assertThat(again.envelope().correlationId()).isEqualTo("again");
		assertThat(again.redelivered()).isTrue();
		again.ack();
	}

	@Test
	void unroutablePublishFailsForTheSender() {
		RabbitBroker strict = strictBroker();
		assertThatExceptionOfType(BrokerException.class)
			.isThrownBy(() -> strict.publish("no-such-queue", envelope("lost", 0)))
			.withMessageContaining("no-such-queue")
			.withMessageContaining("NO_ROUTE");
	}

	@Test
	void manyPublishesInFlightAreEachConfirmedAndOnlyTheUnroutableOneFails() {
		RabbitBroker strict = strictBroker();
		List<CompletableFuture<Void>> sent = new ArrayList<>();
		CompletableFuture<Void> unroutable = null;
		for (int i = 0; i < 500; i++) {
			sent.add(strict.publishAsync(Destination.queue("work"), envelope("m" + i, 0)));
			if (i == 250) {
				unroutable = strict.publishAsync(Destination.queue("no-such-queue"), envelope("m" + i, 0));
			}
		}
		CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
		assertThat(unroutable).failsWithin(Duration.ofSeconds(30))
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOf(BrokerException.class)
			.withMessageContaining("NO_ROUTE");
		assertThat(messageCount("work")).isEqualTo(500);
	}

	@Test
	void theFirstSendToAMissingQueueDeclaresItAsCeleryDoesSoTheMessageWaitsForItsConsumer() {
		this.broker.publish("late", envelope("early-bird", 0));
		assertThat(messageCount("late")).isOne();
		// kombu's Queue('late', Exchange('late'), 'late'): durable, no arguments, bound to a direct exchange
		assertThat(RabbitVhost.rabbitmqctl("list_queues", "-p", vhost.name(), "-q", "--no-table-headers", "name",
				"durable", "auto_delete", "arguments"))
			.containsPattern("(?m)^late\\s+true\\s+false\\s+\\[\\]\\s*$");
		assertThat(RabbitVhost.rabbitmqctl("list_exchanges", "-p", vhost.name(), "-q", "--no-table-headers", "name",
				"type", "durable")).containsPattern("(?m)^late\\s+direct\\s+true\\s*$");
		assertThat(RabbitVhost.rabbitmqctl("list_bindings", "-p", vhost.name(), "-q", "--no-table-headers",
				"source_name", "destination_name", "routing_key")).containsPattern("(?m)^late\\s+late\\s+late\\s*$");
		// a Celery worker's later declaration of the same queue and exchange is equivalent: no PRECONDITION_FAILED
		this.admin.declareQueue(new Queue("late", true, false, false));
		this.admin.declareExchange(new org.springframework.amqp.core.DirectExchange("late", true, false));
		BlockingQueue<Delivery> deliveries = subscribe(List.of("late"), 1);
		Delivery delivery = take(deliveries);
		assertThat(delivery.envelope().correlationId()).isEqualTo("early-bird");
		delivery.ack();
	}

	@Test
	void anAsyncFirstSendToAMissingQueueDeclaresItToo() {
		assertThat(this.broker.publishAsync(Destination.queue("late"), envelope("async", 0)))
			.succeedsWithin(Duration.ofSeconds(30));
		assertThat(messageCount("late")).isOne();
	}

	@Test
	void aQueueThatExistsWithArgumentsIsLeftAsItIs() {
		// declared at start-up with x-max-priority: a declaration without it would be refused
		this.broker.publish("prio", envelope("p", 5));
		assertThat(messageCount("prio")).isOne();
		assertThat(RabbitVhost.rabbitmqctl("list_exchanges", "-p", vhost.name(), "-q", "--no-table-headers", "name"))
			.doesNotContainPattern("(?m)^prio\\s*$");
	}

	@Test
	void aQueueIsLookedAtOnceAndDeclaredAgainAfterASendToItFailed() {
		this.broker.publish("late", envelope("first", 0));
		this.admin.deleteQueue("late");
		// known to exist: not looked at again, so this send finds no queue
		assertThatExceptionOfType(BrokerException.class)
			.isThrownBy(() -> this.broker.publish("late", envelope("lost", 0)))
			.withMessageContaining("NO_ROUTE");
		// the failure made it forget: the next send declares the queue again
		this.broker.publish("late", envelope("second", 0));
		assertThat(messageCount("late")).isOne();
	}

	@Test
	void withMissingQueuesNotCreatedASendToAMissingQueueStillFailsWithNoRoute() {
		RabbitBroker strict = strictBroker();
		assertThatExceptionOfType(BrokerException.class)
			.isThrownBy(() -> strict.publish("late", envelope("lost", 0)))
			.withMessageContaining("NO_ROUTE");
		assertThat(this.admin.getQueueProperties("late")).isNull();
	}

	@Test
	void deliveriesSettledOutOfOrderAreAllAcknowledged() {
		for (int i = 0; i < 10; i++) {
			this.broker.publish("work", envelope("m" + i, 0));
		}
		BlockingQueue<Delivery> deliveries = subscribe(List.of("work"), 10);
		List<Delivery> received = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			received.add(take(deliveries));
		}
		// the last first, and one in the middle back to the queue: acks up to it cannot cover it
		Collections.reverse(received);
		received.forEach((delivery) -> {
			if (delivery.envelope().correlationId().equals("m5")) {
				delivery.requeue();
			}
			else {
				delivery.ack();
			}
		});
		Delivery again = take(deliveries);
		assertThat(again.envelope().correlationId()).isEqualTo("m5");
		again.ack();
		await().atMost(RABBITMQCTL_WAIT).until(() -> messageCount("work") == 0 && unacked() == 0);
	}

	@Test
	void refusedPublishFailsForTheSender() {
		this.admin.deleteQueue("full");
		this.admin.declareQueue(new Queue("full", false, false, true,
				Map.of("x-max-length", 1, "x-overflow", "reject-publish")));
		this.broker.publish("full", envelope("first", 0));
		assertThatExceptionOfType(BrokerException.class)
			.isThrownBy(() -> this.broker.publish("full", envelope("second", 0)))
			.withMessageContaining("nacked");
	}

	@Test
	void rejectedMessageIsDeadLetteredWithItsReason() throws Exception {
		BlockingQueue<Delivery> deliveries = subscribe(List.of("work"), 1);
		this.broker.publish("work", envelope("poison", 0));
		take(deliveries).reject("undecodable message: test");
		await().until(() -> messageCount("taskqueue.dead-letter") == 1);
		GetResponse dead = new RabbitTemplate(this.connectionFactory)
			.execute((channel) -> channel.basicGet("taskqueue.dead-letter", true));
		Map<String, Object> headers = dead.getProps().getHeaders();
		assertThat(headers.get(RabbitBroker.REASON_HEADER)).hasToString("undecodable message: test");
		assertThat(headers.get(RabbitBroker.QUEUE_HEADER)).hasToString("work");
		assertThat(headers.get("task")).hasToString("test.task");
		assertThat(dead.getProps().getCorrelationId()).isEqualTo("poison");
		assertThat(new String(dead.getBody(), StandardCharsets.UTF_8)).isEqualTo("[[],{},{}]");
		assertThat(messageCount("work")).isZero();
		await().atMost(RABBITMQCTL_WAIT).until(() -> unacked() == 0);
	}

	@Test
	void deferredMessageIsParkedOutOfItsQueueThenComesBack() {
		BlockingQueue<Delivery> deliveries = subscribe(List.of("work"), 1);
		this.broker.publish("work", envelope("later", 0));
		Instant deferredAt = Instant.now();
		// 9 s parks it in the 8 s bucket, so that a loaded machine has time to look before it comes back
		take(deliveries).deferUntil(deferredAt.plusSeconds(9));
		// parked in a delay queue once deferUntil returns (its publish was confirmed): looked at over AMQP,
		// which answers at once, not with rabbitmqctl, which can take seconds when the machine is busy
		assertThat(messageCount("taskqueue.delay.8000")).isOne();
		assertThat(messageCount("work")).isZero();
		// and out of every prefetch: with a prefetch of 1, the consumer gets the next message only once the
		// parked one was acknowledged
		this.broker.publish("work", envelope("next", 0));
		Delivery next = take(deliveries);
		assertThat(next.envelope().correlationId()).isEqualTo("next");
		next.ack();
		Delivery back = take(deliveries);
		assertThat(back.envelope().correlationId()).isEqualTo("later");
		assertThat(back.queue()).isEqualTo("work");
		assertThat(back.envelope().headers()).containsEntry("task", "test.task");
		// the bucket (8 s) is never longer than the time left: the worker parks it again for the rest
		assertThat(Instant.now()).isAfterOrEqualTo(deferredAt.plusSeconds(8));
		back.ack();
	}

	@Test
	void higherPriorityIsServedFirstOnAPriorityQueue() {
		for (int priority : new int[] { 1, 9, 5, 0, 7 }) {
			this.broker.publish("prio", envelope("p" + priority, priority));
		}
		BlockingQueue<Delivery> deliveries = subscribe(List.of("prio"), 1);
		List<String> order = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			Delivery delivery = take(deliveries);
			order.add(delivery.envelope().correlationId());
			delivery.ack();
		}
		assertThat(order).containsExactly("p9", "p7", "p5", "p1", "p0");
	}

	@Test
	void prefetchBoundsUnacknowledgedDeliveries() {
		for (int i = 0; i < 10; i++) {
			this.broker.publish("work", envelope("m" + i, 0));
		}
		BlockingQueue<Delivery> deliveries = subscribe(List.of("work"), 3);
		await().until(() -> deliveries.size() == 3);
		await().during(Duration.ofMillis(300)).until(() -> deliveries.size() == 3);
		deliveries.forEach(Delivery::ack);
	}

	@Test
	void connectionClosedByTheBrokerMidStreamLosesNothing() throws Exception {
		Set<String> processed = ConcurrentHashMap.newKeySet();
		Subscription subscription = this.broker.subscribe(List.of("work"), 10, (delivery) -> {
			processed.add(delivery.envelope().correlationId());
			delivery.ack();
		});
		this.subscriptions.add(subscription);
		List<String> sent = Collections.synchronizedList(new ArrayList<>());
		for (int i = 0; i < 300; i++) {
			String id = "msg-" + i;
			if (i == 100) {
				vhost.closeAllConnections();
			}
			// a publish that fails while the connection is down is reported: the sender sends again
			await().ignoreException(BrokerException.class).until(() -> {
				this.broker.publish("work", envelope(id, 0));
				return true;
			});
			sent.add(id);
		}
		await().atMost(Duration.ofSeconds(60)).until(() -> processed.containsAll(sent));
		assertThat(sent).hasSize(300);
	}

	@Test
	void consumesSeveralQueues() {
		BlockingQueue<Delivery> deliveries = subscribe(List.of("work", "other"), 4);
		this.broker.publish("work", envelope("a", 0));
		this.broker.publish("other", envelope("b", 0));
		Delivery first = take(deliveries);
		Delivery second = take(deliveries);
		assertThat(List.of(first.queue(), second.queue())).containsExactlyInAnyOrder("work", "other");
		first.ack();
		second.ack();
	}

	/** A broker that does not create missing queues, closed with the test's. */
	private RabbitBroker strictBroker() {
		RabbitBroker strict = new RabbitBroker(this.connectionFactory, this.admin,
				RabbitBrokerSettings.defaults().withCreateMissingQueues(false), Clock.systemUTC());
		this.strictBrokers.add(strict);
		return strict;
	}

	private BlockingQueue<Delivery> subscribe(List<String> queues, int prefetch) {
		BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
		this.subscriptions.add(this.broker.subscribe(queues, prefetch, deliveries::add));
		return deliveries;
	}

	private static Delivery take(BlockingQueue<Delivery> deliveries) {
		try {
			Delivery delivery = deliveries.poll(30, TimeUnit.SECONDS);
			assertThat(delivery).as("a delivery within 30 s").isNotNull();
			return delivery;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private long messageCount(String queue) {
		return this.admin.getQueueInfo(queue).getMessageCount();
	}

	private int unacked() {
		String output = RabbitVhost.rabbitmqctl("list_queues", "-p", vhost.name(), "-q", "--no-table-headers", "name",
				"messages_unacknowledged");
		int total = 0;
		for (String line : output.split("\n")) {
			String[] fields = line.trim().split("\\s+");
			if (fields.length == 2 && fields[0].equals("work")) {
				total += Integer.parseInt(fields[1]);
			}
		}
		return total;
	}

	private static Envelope envelope(String id, int priority) {
		Map<String, Object> headers = new LinkedHashMap<>();
		headers.put("task", "test.task");
		headers.put("id", id);
		return new Envelope("[[],{},{}]".getBytes(StandardCharsets.UTF_8), "application/json", "utf-8", headers, id,
				null, priority, null);
	}

}
