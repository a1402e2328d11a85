package dev.taskqueue.control;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.protocol.LamportClock;
import dev.taskqueue.result.memory.InMemoryResultBackend;
import dev.taskqueue.revoke.InMemoryRevocations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * The client's side of Celery's remote control on the in-memory transport, against workers that answer as Celery's
 * do: commands carry Celery's body and headers, replies are collected by ticket until the timeout, the limit or
 * every named worker has answered, and a worker's error is told apart from its answer.
 */
class TaskControlTests {

	private static final Instant NOW = Instant.ofEpochSecond(1_700_000_000);

	private final CountingTransport transport = new CountingTransport();

	private final LamportClock lamportClock = new LamportClock();

	private final TaskControl control = new TaskControl(new InMemoryRevocations(Duration.ofHours(1), Clock.systemUTC()),
			new InMemoryResultBackend(Duration.ofHours(1), Clock.systemUTC()), Clock.fixed(NOW, ZoneOffset.UTC),
			this.transport, JsonMapper.builder().build(), this.lamportClock);

	@AfterEach
	void close() {
		this.transport.close();
	}

	@Test
	void pingCollectsThePongOfEveryWorkerByItsName() {
		new FakeWorker("w1@test", this.transport).answers("ping", Map.of("ok", "pong"));
		new FakeWorker("w2@test", this.transport).answers("ping", Map.of("ok", "pong"));
		Replies<String> replies = this.control.ping();
		assertThat(replies.values()).containsOnly(Map.entry("w1@test", "pong"), Map.entry("w2@test", "pong"));
		assertThat(replies.errors()).isEmpty();
	}

	@Test
	void aCommandCarriesCeleryBodyAndHeaders() {
		FakeWorker worker = new FakeWorker("w1@test", this.transport).answers("ping", Map.of("ok", "pong"));
		this.control.ping(ControlOptions.defaults().withLimit(1));
		this.control.ping(ControlOptions.defaults().withLimit(1));
		JsonNode command = worker.commands.get(0);
		assertThat(command.propertyNames()).containsExactly("method", "arguments", "destination", "pattern", "matcher",
				"ticket", "reply_to");
		assertThat(command.path("method").asString()).isEqualTo("ping");
		assertThat(command.path("arguments").isEmpty()).isTrue();
		assertThat(command.path("destination").isNull()).isTrue();
		assertThat(command.path("pattern").isNull()).isTrue();
		assertThat(command.path("matcher").isNull()).isTrue();
		assertThat(command.path("ticket").asString()).hasSize(36);
		assertThat(command.path("reply_to").path("exchange").asString()).isEqualTo("reply.celery.pidbox");
		String oid = command.path("reply_to").path("routing_key").asString();
		assertThat(oid).hasSize(36);
		// one oid for the control's life, a ticket per command
		assertThat(worker.commands.get(1).path("reply_to").path("routing_key").asString()).isEqualTo(oid);
		assertThat(worker.commands.get(1).path("ticket").asString()).isNotEqualTo(command.path("ticket").asString());
		// Celery's: the logical clock, advanced for each command, and the time the command expires (now + timeout)
		assertThat(worker.headers.get(0)).containsEntry("clock", 1).containsEntry("expires", 1_700_000_001.0);
		assertThat((int) worker.headers.get(1).get("clock")).isGreaterThan(1);
	}

	@Test
	void aDestinationAddressesTheNamedWorkersAndTheCallReturnsOnceEachHasAnswered() {
		new FakeWorker("w1@test", this.transport).answers("ping", Map.of("ok", "pong"));
		FakeWorker other = new FakeWorker("w2@test", this.transport).answers("ping", Map.of("ok", "pong"));
		long started = System.nanoTime();
		Replies<String> replies = this.control
			.ping(ControlOptions.defaults().withDestination("w1@test").withTimeout(Duration.ofSeconds(10)));
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
		assertThat(replies.values()).containsOnlyKeys("w1@test");
		assertThat(other.commands.get(0).path("destination").valueStream().map(JsonNode::asString))
			.containsExactly("w1@test");
	}

	@Test
	void collectingEndsOnceNoReplyHasComeForTheTimeout() {
		new FakeWorker("silent@test", this.transport);
		long started = System.nanoTime();
		Replies<String> replies = this.control.ping(ControlOptions.defaults().withTimeout(Duration.ofMillis(200)));
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(200),
				Duration.ofSeconds(5));
		assertThat(replies.isEmpty()).isTrue();
	}

	@Test
	void aLimitEndsCollectingAfterThatManyReplies() {
		for (String name : List.of("w1@test", "w2@test", "w3@test")) {
			new FakeWorker(name, this.transport).answers("ping", Map.of("ok", "pong"));
		}
		assertThat(this.control.ping(ControlOptions.defaults().withLimit(2)).nodes()).hasSize(2);
	}

	@Test
	void aWorkersErrorIsToldApartFromItsAnswerAndStaysReachableAsJson() {
		new FakeWorker("w1@test", this.transport).answers("rate_limit", Map.of("error", "unknown task"));
		new FakeWorker("w2@test", this.transport).answers("rate_limit",
				Map.of("ok", "new rate limit set successfully"));
		Replies<String> replies = this.control.rateLimit("sample.nope", "10/s");
		assertThat(replies.values()).containsOnly(Map.entry("w2@test", "new rate limit set successfully"));
		assertThat(replies.errors()).containsOnly(Map.entry("w1@test", "unknown task"));
		assertThat(replies.raw().get("w1@test").path("error").asString()).isEqualTo("unknown task");
		assertThat(replies.nodes()).containsExactlyInAnyOrder("w1@test", "w2@test");
	}

	@Test
	void controlCommandsSendCelerysArguments() {
		FakeWorker worker = new FakeWorker("w1@test", this.transport);
		ControlOptions quick = ControlOptions.defaults().withTimeout(Duration.ofMillis(50));
		this.control.rateLimit("sample.add", "10/s", quick);
		this.control.timeLimit("sample.add", Duration.ofMillis(1500), Duration.ofSeconds(3), quick);
		this.control.addConsumer("reports", quick);
		this.control.cancelConsumer("reports", quick);
		this.control.poolGrow(2, quick);
		this.control.poolShrink(1, quick);
		this.control.enableEvents(quick);
		this.control.disableEvents(quick);
		assertThat(worker.commands).extracting((command) -> command.path("method").asString())
			.containsExactly("rate_limit", "time_limit", "add_consumer", "cancel_consumer", "pool_grow", "pool_shrink",
					"enable_events", "disable_events");
		assertThat(worker.commands).extracting((command) -> command.path("arguments").toString())
			.containsExactly("{\"task_name\":\"sample.add\",\"rate_limit\":\"10/s\"}",
					"{\"task_name\":\"sample.add\",\"hard\":3.0,\"soft\":1.5}",
					"{\"queue\":\"reports\",\"exchange\":null,\"exchange_type\":\"direct\",\"routing_key\":null}",
					"{\"queue\":\"reports\"}", "{\"n\":2}", "{\"n\":1}", "{}", "{}");
	}

	@Test
	void shutdownAsksForNoReplyAndWaitsForNone() {
		FakeWorker worker = new FakeWorker("w1@test", this.transport).answers("shutdown", Map.of("ok", "bye"));
		this.control.shutdown("w1@test");
		await().until(() -> !worker.commands.isEmpty());
		JsonNode command = worker.commands.get(0);
		assertThat(command.path("method").asString()).isEqualTo("shutdown");
		assertThat(command.has("ticket")).isFalse();
		assertThat(command.has("reply_to")).isFalse();
		assertThat(this.transport.opened.get()).isZero();
	}

	@Test
	void concurrentCallsEachGetTheRepliesToTheirOwnCommand() {
		new FakeWorker("w1@test", this.transport).answers("ping", Map.of("ok", "pong"))
			.answers("registered", List.of("sample.add"));
		ControlOptions one = ControlOptions.defaults().withDestination("w1@test");
		for (int i = 0; i < 20; i++) {
			CompletableFuture<Replies<String>> ping = CompletableFuture.supplyAsync(() -> this.control.ping(one));
			CompletableFuture<Replies<List<String>>> registered = CompletableFuture
				.supplyAsync(() -> this.control.inspect(one).registered());
			assertThat(ping.join().values()).containsOnly(Map.entry("w1@test", "pong"));
			assertThat(registered.join().values()).containsOnly(Map.entry("w1@test", List.of("sample.add")));
		}
	}

	@Test
	void theReplyQueueExistsOnlyWhileACallCollects() {
		new FakeWorker("w1@test", this.transport).answers("ping", Map.of("ok", "pong"));
		this.control.ping("w1@test");
		this.control.ping("w1@test");
		assertThat(this.transport.opened.get()).isEqualTo(2);
		assertThat(this.transport.open.get()).isZero();
	}

	@Test
	void aReplyMovesTheApplicationsLogicalClockPastTheWorkers() {
		new FakeWorker("w1@test", this.transport).answers("ping", Map.of("ok", "pong")).clock(100);
		this.control.ping("w1@test");
		assertThat(this.lamportClock.value()).isGreaterThan(100);
	}

	@Test
	void aMalformedReplyIsSkippedAndTheOthersAreCollected() {
		new FakeWorker("broken@test", this.transport).answers("ping", FakeWorker.bytes("not json"));
		new FakeWorker("w1@test", this.transport).answers("ping", Map.of("ok", "pong"));
		assertThat(this.control.ping().values()).containsOnlyKeys("w1@test");
	}

	@Test
	void aReplyOfAnotherShapeIsAnErrorOfThatWorker() {
		new FakeWorker("odd@test", this.transport).answers("registered", Map.of("not", "a list"));
		Replies<List<String>> replies = this.control.inspect().registered();
		assertThat(replies.values()).isEmpty();
		assertThat(replies.errors().get("odd@test")).startsWith("unreadable reply");
	}

	@Test
	void aControlMadeWithoutATransportOnlyRevokes() {
		TaskControl revokeOnly = new TaskControl(new InMemoryRevocations(Duration.ofHours(1), Clock.systemUTC()),
				new InMemoryResultBackend(Duration.ofHours(1), Clock.systemUTC()), Clock.systemUTC());
		revokeOnly.revoke("task-1");
		assertThatIllegalStateException().isThrownBy(revokeOnly::ping);
	}

	/**
	 * The in-memory transport, counting the reply queues opened and open.
	 */
	static final class CountingTransport extends InMemoryPidboxTransport {

		final AtomicInteger opened = new AtomicInteger();

		final AtomicInteger open = new AtomicInteger();

		@Override
		public Subscription replies(String oid, Handler handler) {
			Subscription subscription = super.replies(oid, handler);
			this.opened.incrementAndGet();
			this.open.incrementAndGet();
			return () -> {
				subscription.close();
				this.open.decrementAndGet();
			};
		}

	}

}
