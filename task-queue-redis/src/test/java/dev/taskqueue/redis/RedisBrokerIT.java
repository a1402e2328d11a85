package dev.taskqueue.redis;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.taskqueue.broker.AbstractDelivery;
import dev.taskqueue.broker.BrokerException;
import dev.taskqueue.broker.Delivery;
import dev.taskqueue.broker.Destination;
import dev.taskqueue.broker.Subscription;
import dev.taskqueue.protocol.CelerySamples;
import dev.taskqueue.protocol.Envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * What is particular to the Redis broker: kombu's layout, claims that outlive their visibility timeout while
 * their worker lives and are restored when it is gone, and reconnection.
 */
class RedisBrokerIT {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private static final Duration WAIT = Duration.ofSeconds(15);

	private final List<RedisBroker> brokers = new ArrayList<>();

	private final List<Subscription> subscriptions = new ArrayList<>();

	private LettuceConnectionFactory connectionFactory;

	private StringRedisTemplate redis;

	@BeforeEach
	void connect() {
		this.connectionFactory = LocalRedis.flushed(LocalRedis.BROKER_DB);
		this.redis = new StringRedisTemplate(this.connectionFactory);
	}

	@AfterEach
	void disconnect() {
		this.subscriptions.forEach(Subscription::cancel);
		this.brokers.forEach(RedisBroker::close);
		this.connectionFactory.destroy();
	}

	@Test
	void publishesAsKombuDoes() throws Exception {
		RedisBroker broker = broker("", Duration.ofSeconds(30));
		broker.publish("layout", envelope("id-1", 0));
		broker.publish("layout", envelope("id-2", 7));
		assertThat(this.redis.opsForSet().members("_kombu.binding.layout")).containsExactly("layout\u0006\u0016\u0006\u0016layout");
		List<String> plain = this.redis.opsForList().range("layout", 0, -1);
		assertThat(plain).hasSize(1);
		JsonNode message = MAPPER.readTree(plain.get(0));
		assertThat(message.path("body").asString()).isEqualTo("W10=");
		assertThat(message.path("content-type").asString()).isEqualTo("application/json");
		assertThat(message.path("headers").path("task").asString()).isEqualTo("redis.task");
		JsonNode properties = message.path("properties");
		assertThat(properties.path("correlation_id").asString()).isEqualTo("id-1");
		assertThat(properties.path("body_encoding").asString()).isEqualTo("base64");
		assertThat(properties.path("delivery_info").path("routing_key").asString()).isEqualTo("layout");
		assertThat(properties.path("delivery_info").path("exchange").asString()).isEmpty();
		assertThat(properties.path("priority").asInt()).isZero();
		assertThat(properties.path("delivery_tag").asString()).hasSize(36);
		assertThat(this.redis.opsForList().range("layout\u0006\u00166", 0, -1)).hasSize(1);
	}

	@Test
	void publishesManyWithoutWaitingForEachInOrder() throws Exception {
		RedisBroker broker = broker("", Duration.ofSeconds(30));
		List<CompletableFuture<Void>> sent = new ArrayList<>();
		for (int i = 0; i < 200; i++) {
			sent.add(broker.publishAsync(Destination.queue("pipelined"), envelope("p" + i, 0)));
		}
		CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
		assertThat(broker.size("pipelined")).isEqualTo(200);
		assertThat(this.redis.opsForSet().members("_kombu.binding.pipelined")).hasSize(1);
		List<AbstractDelivery> first = broker.poll(List.of("pipelined"), 3, WAIT);
		assertThat(first).extracting((delivery) -> delivery.envelope().correlationId()).containsExactly("p0", "p1", "p2");
	}

	@Test
	void keepsKombusUnackedBookkeepingUntilTheAck() throws Exception {
		RedisBroker broker = broker("", Duration.ofSeconds(30));
		broker.publish("bookkeeping", envelope("id-1", 0));
		Delivery delivery = broker.poll(List.of("bookkeeping"), WAIT);
		String tag = MAPPER.readTree(this.redis.opsForHash().values("unacked").get(0).toString()).get(0)
			.path("properties").path("delivery_tag").asString();
		JsonNode entry = MAPPER.readTree((String) this.redis.opsForHash().get("unacked", tag));
		assertThat(entry.get(0).path("properties").path("correlation_id").asString()).isEqualTo("id-1");
		assertThat(entry.get(1).asString()).isEmpty();
		assertThat(entry.get(2).asString()).isEqualTo("bookkeeping");
		assertThat(this.redis.opsForZSet().score("unacked_index", tag)).isCloseTo(Instant.now().getEpochSecond(),
				org.assertj.core.data.Offset.offset(5.0));
		delivery.ack();
		assertThat(this.redis.opsForHash().size("unacked")).isZero();
		assertThat(this.redis.opsForZSet().size("unacked_index")).isZero();
		assertThat(this.redis.opsForZSet().size("taskqueue.claims")).isZero();
	}

	@Test
	void claimsABatchInOneScript() throws Exception {
		RedisBroker broker = broker("", Duration.ofSeconds(30));
		for (int i = 0; i < 5; i++) {
			broker.publish("batch", envelope("b" + i, 0));
		}
		List<dev.taskqueue.broker.AbstractDelivery> batch = broker.poll(List.of("batch"), 3, WAIT);
		assertThat(batch).extracting((delivery) -> delivery.envelope().correlationId()).containsExactly("b0", "b1", "b2");
		assertThat(this.redis.opsForHash().size("unacked")).isEqualTo(3);
		assertThat(this.redis.opsForZSet().size("taskqueue.claims")).isEqualTo(3);
		assertThat(broker.size("batch")).isEqualTo(2);
		batch.forEach(Delivery::ack);
		// acks made while one is under way go together with the next run, within a round trip
		await().atMost(WAIT).until(() -> this.redis.opsForHash().size("unacked") == 0);
		assertThat(this.redis.opsForZSet().size("taskqueue.claims")).isZero();
	}

	@Test
	void acksFromManyThreadsAllLand() throws Exception {
		RedisBroker broker = broker("", Duration.ofSeconds(30));
		for (int i = 0; i < 200; i++) {
			broker.publish("acks", envelope("a" + i, 0));
		}
		List<AbstractDelivery> batch = new java.util.ArrayList<>();
		while (batch.size() < 200) {
			batch.addAll(broker.poll(List.of("acks"), 100, WAIT));
		}

		batch.parallelStream().forEach(Delivery::ack);

		await().atMost(WAIT).until(() -> this.redis.opsForHash().size("unacked") == 0);
		assertThat(this.redis.opsForZSet().size("unacked_index")).isZero();
		assertThat(this.redis.opsForZSet().size("taskqueue.claims")).isZero();
	}

	@Test
	void theClaimRecordsTheTagExchangeAndRoutingKeyOfTheMessagesPropertiesWhateverTheirLayout() throws Exception {
		String celery = capturedCeleryMessage();
		// kombu's layout (found without decoding), compact JSON, and a header holding the same text as a decoy:
		// the latter two are decoded whole, and all three are recorded under the tag of their properties
		String compact = MAPPER.writeValueAsString(MAPPER.readTree(celery.replace("57aa9928", "compact0")));
		String decoy = celery.replace("57aa9928", "decoy000")
			.replace("\"headers\": {", "\"headers\": {\"x-note\": {\"delivery_tag\": \"not-this-one\", "
					+ "\"exchange\": \"nor-this\", \"routing_key\": \"nor-that\"}, ");
		for (String message : List.of(celery, compact, decoy)) {
			this.redis.opsForList().leftPush("layouts", message);
		}
		RedisBroker broker = broker("", Duration.ofSeconds(30));

		List<AbstractDelivery> claimed = broker.poll(List.of("layouts"), 3, WAIT);

		assertThat(claimed).hasSize(3);
		assertThat(this.redis.opsForHash().keys("unacked")).containsExactlyInAnyOrder(
				"57aa9928-d5b1-4704-bf9d-c683bc3e2638", "compact0-d5b1-4704-bf9d-c683bc3e2638",
				"decoy000-d5b1-4704-bf9d-c683bc3e2638");
		for (Object entry : this.redis.opsForHash().values("unacked")) {
			JsonNode unacked = MAPPER.readTree((String) entry);
			assertThat(unacked.get(1).asString()).isEmpty();
			assertThat(unacked.get(2).asString()).isEqualTo("celery");
		}
	}

	@Test
	void consumesAMessageACeleryClientPublished() throws Exception {
		String captured = capturedCeleryMessage();
		this.redis.opsForList().leftPush("celery-from-python", captured.replace("\"routing_key\": \"celery\"",
				"\"routing_key\": \"celery-from-python\""));
		RedisBroker broker = broker("", Duration.ofSeconds(30));
		Delivery delivery = broker.poll(List.of("celery-from-python"), WAIT);
		Envelope envelope = delivery.envelope();
		assertThat(envelope.taskName()).isEqualTo("capapp.add");
		assertThat(new String(envelope.body(), StandardCharsets.UTF_8)).startsWith("[[2, 3], {}, {\"callbacks\": null");
		assertThat(envelope.correlationId()).isEqualTo("7b6d3d38-a30f-4d63-8392-40a00060dd70");
		assertThat(this.redis.opsForHash().keys("unacked")).containsExactly("57aa9928-d5b1-4704-bf9d-c683bc3e2638");
		delivery.requeue();
		JsonNode restored = MAPPER.readTree(this.redis.opsForList().index("celery-from-python", 0));
		assertThat(restored.path("headers").path("redelivered").asBoolean()).isTrue();
		assertThat(restored.path("properties").path("delivery_info").path("redelivered").asBoolean()).isTrue();
		assertThat(restored.path("properties").path("delivery_tag").asString()).isEqualTo("57aa9928-d5b1-4704-bf9d-c683bc3e2638");
	}

	@Test
	void deadLettersAMessageThatIsNotKombus() {
		this.redis.opsForList().leftPush("garbage", "this is not JSON");
		RedisBroker broker = broker("", Duration.ofSeconds(30));
		List<Delivery> received = new CopyOnWriteArrayList<>();
		this.subscriptions.add(broker.subscribe(List.of("garbage"), 1, received::add));
		await().atMost(WAIT).until(() -> this.redis.opsForList().size("garbage.dead-letter") == 1);
		assertThat(received).isEmpty();
		assertThat(this.redis.opsForHash().size("unacked")).isZero();
		assertThat(this.redis.opsForList().index("garbage.dead-letter", 0)).contains("this is not JSON");
		assertThat(broker.deadLetters("garbage")).singleElement()
			.satisfies((letter) -> assertThat(new String(letter.envelope().body(), StandardCharsets.UTF_8))
				.isEqualTo("this is not JSON"));
	}

	@Test
	void parksADeferredMessageInRedisNotInTheWorker() throws Exception {
		RedisBroker broker = broker("", Duration.ofSeconds(30));
		broker.publish("parked", envelope("id-1", 0));
		Delivery delivery = broker.poll(List.of("parked"), WAIT);
		delivery.deferUntil(Instant.now().plusSeconds(3600));
		assertThat(this.redis.opsForHash().size("unacked")).isZero();
		assertThat(this.redis.opsForZSet().size("taskqueue.deferred")).isOne();
		assertThat(broker.releaseDue()).isZero();
		assertThat(broker.size("parked")).isZero();
	}

	@Test
	void aLiveWorkerKeepsItsClaimBeyondTheVisibilityTimeoutAndADeadOneLosesIt() {
		// on a Redis of its own: another build running this class flushes the shared database and publishes to
		// the same queue, which would hand the other worker a message that is not the holder's
		try (OwnRedisServer server = OwnRedisServer.start()) {
			LettuceConnectionFactory own = server.connectionFactory();
			try {
				aLiveWorkerKeepsItsClaimBeyondTheVisibilityTimeoutAndADeadOneLosesIt(own);
			}
			finally {
				this.subscriptions.forEach(Subscription::cancel);
				this.subscriptions.clear();
				this.brokers.forEach(RedisBroker::close);
				this.brokers.clear();
				own.destroy();
			}
		}
	}

	private void aLiveWorkerKeepsItsClaimBeyondTheVisibilityTimeoutAndADeadOneLosesIt(
			LettuceConnectionFactory own) {
		// refreshed twenty times per visibility timeout: only a housekeeping thread starved for ten whole seconds
		// (which a busy two-core build machine does not do, where three seconds could happen) would lose the claim
		Duration visibilityTimeout = Duration.ofSeconds(10);
		RedisBroker holder = broker(own, "", visibilityTimeout, Duration.ofMillis(500));
		RedisBroker other = broker(own, "", visibilityTimeout, Duration.ofMillis(500));
		StringRedisTemplate ownRedis = new StringRedisTemplate(own);
		List<Delivery> held = new CopyOnWriteArrayList<>();
		List<Delivery> elsewhere = new CopyOnWriteArrayList<>();
		Subscription holding = holder.subscribe(List.of("claims"), 1, held::add);
		holder.publish("claims", envelope("long-task", 0));
		await().atMost(WAIT).until(() -> held.size() == 1);
		this.subscriptions.add(other.subscribe(List.of("claims"), 1, elsewhere::add));
		// beyond one visibility timeout (the other worker looks for stale claims every second): the holder's
		// refreshes keep the message away from the other worker
		Duration beyond = visibilityTimeout.plusSeconds(2);
		await().during(beyond).atMost(beyond.plus(WAIT)).until(elsewhere::isEmpty);
		// the holder dies without settling: no more refreshes, so the other worker restores and gets it, some
		// time after one visibility timeout (the bound only says that it does)
		holding.cancel();
		holder.close();
		await().atMost(visibilityTimeout.plus(Duration.ofSeconds(60))).until(() -> elsewhere.size() == 1);
		assertThat(elsewhere.get(0).envelope().correlationId()).isEqualTo("long-task");
		assertThat(elsewhere.get(0).redelivered()).isTrue();
		elsewhere.get(0).ack();
		// the dead worker's late ack (it was only cut off) does not bring anything back; acks are sent
		// asynchronously (coalesced), so the claim is gone once they have landed
		held.get(0).ack();
		await().atMost(WAIT).untilAsserted(() -> assertThat(ownRedis.opsForHash().size("unacked")).isZero());
		assertThat(other.size("claims")).isZero();
	}

	@Test
	void keysTakeThePrefix() {
		RedisBroker broker = broker("app1:", Duration.ofSeconds(30));
		broker.publish("prefixed", envelope("id-1", 0));
		assertThat(this.redis.hasKey("app1:prefixed")).isTrue();
		assertThat(this.redis.hasKey("app1:_kombu.binding.prefixed")).isTrue();
		assertThat(this.redis.hasKey("prefixed")).isFalse();
	}

	@Test
	void consumersReconnectWhenRedisDropsTheirConnections() {
		RedisBroker broker = broker("", Duration.ofSeconds(30));
		List<Delivery> received = new CopyOnWriteArrayList<>();
		this.subscriptions.add(broker.subscribe(List.of("reconnect"), 4, (delivery) -> {
			received.add(delivery);
			delivery.ack();
		}));
		broker.publish("reconnect", envelope("before", 0));
		await().atMost(WAIT).until(() -> received.size() == 1);
		killClientsOf(LocalRedis.BROKER_DB);
		broker.publish("reconnect", envelope("after", 0));
		await().atMost(WAIT).until(() -> received.size() == 2);
		assertThat(received).extracting((delivery) -> delivery.envelope().correlationId()).containsExactly("before", "after");
	}

	@Test
	void aPublishRedisDoesNotTakeFailsToTheCaller() {
		RedisStandaloneConfiguration nowhere = new RedisStandaloneConfiguration("127.0.0.1", 1);
		LettuceConnectionFactory down = new LettuceConnectionFactory(nowhere,
				LettuceClientConfiguration.builder().commandTimeout(Duration.ofSeconds(2)).build());
		down.afterPropertiesSet();
		down.start();
		try {
			RedisBroker broker = new RedisBroker(down, MAPPER, RedisBrokerSettings.defaults(), Clock.systemUTC());
			assertThatExceptionOfType(BrokerException.class).isThrownBy(() -> broker.publish("lost", envelope("id-1", 0)))
				.withMessageContaining("id-1");
		}
		finally {
			down.destroy();
		}
	}

	/**
	 * Close every connection to a database but the killer's own, as a Redis restart or a network cut would.
	 */
	private static void killClientsOf(int database) {
		LettuceConnectionFactory killerConnections = LocalRedis.connect(database);
		try (var killer = killerConnections.getConnection()) {
			killer.serverCommands().setClientName("taskqueue-it-killer".getBytes(StandardCharsets.UTF_8));
			List<String> victims = killer.serverCommands()
				.getClientList()
				.stream()
				.filter((client) -> String.valueOf(database).equals(client.get("db"))
						&& !"taskqueue-it-killer".equals(client.get("name")))
				.map((client) -> client.get("addr"))
				.toList();
			assertThat(victims).isNotEmpty();
			for (String address : victims) {
				int colon = address.lastIndexOf(':');
				killer.serverCommands().killClient(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)));
			}
		}
		finally {
			killerConnections.destroy();
		}
	}

	private RedisBroker broker(String prefix, Duration visibilityTimeout) {
		return broker(prefix, visibilityTimeout, visibilityTimeout.dividedBy(4));
	}

	private RedisBroker broker(String prefix, Duration visibilityTimeout, Duration claimRefresh) {
		return broker(this.connectionFactory, prefix, visibilityTimeout, claimRefresh);
	}

	private RedisBroker broker(LettuceConnectionFactory connections, String prefix, Duration visibilityTimeout,
			Duration claimRefresh) {
		RedisBroker broker = new RedisBroker(connections, MAPPER,
				new RedisBrokerSettings(prefix, visibilityTimeout, claimRefresh), Clock.systemUTC());
		this.brokers.add(broker);
		return broker;
	}

	private static String capturedCeleryMessage() throws Exception {
		String sample = "redis_publish_plain_apply_async";
		for (JsonNode command : CelerySamples.read(sample).path("redis_commands")) {
			if ("LPUSH".equals(command.path("args").get(0).asString())) {
				return command.path("args").get(2).asString();
			}
		}
		throw new IllegalStateException("no LPUSH in " + sample);
	}

	private static Envelope envelope(String id, int priority) {
		return new Envelope("[]".getBytes(StandardCharsets.UTF_8), "application/json", "utf-8",
				Map.of("task", "redis.task", "id", id), id, null, priority, null);
	}

	static String unique() {
		return UUID.randomUUID().toString();
	}

}
