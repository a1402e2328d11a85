package dev.taskqueue.control;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.protocol.LamportClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A worker's pidbox node behaves as kombu's {@code Node} in a Celery 5.2.6 worker: it takes only the commands
 * addressed to it, replies only when asked and as Celery replies (an unknown command, a failing one), stamps and
 * follows the logical clock, and refuses the commands switched off.
 */
class CeleryPidboxTests {

	private static final String HOST = "java@tests";

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	/** What a real Celery 5.2.6 worker replied to each command (see capture_replies.py beside it). */
	private static final JsonNode CELERY = load("/celery-wire/replies/worker_replies.json");

	private final RecordingPidboxTransport transport = new RecordingPidboxTransport();

	private final LamportClock clock = new LamportClock();

	private final AtomicInteger calls = new AtomicInteger();

	private final AtomicBoolean answering = new AtomicBoolean(true);

	private final CeleryPidbox node = CeleryPidbox.builder(this.transport, HOST, MAPPER)
		.commands(List.of(command("ping", ControlCommand.Kind.INSPECT, Map.of("ok", "pong")),
				command("rate_limit", ControlCommand.Kind.CONTROL, Map.of("ok", "new rate limit set successfully")),
				command("shutdown", ControlCommand.Kind.CONTROL, ControlCommand.NO_REPLY), failing()))
		.allowed(AllowedCommands.of(List.of("*"), List.of("rate_limit")))
		.clock(this.clock)
		.answeringWhile(this.answering::get)
		.build();

	@AfterEach
	void stop() {
		this.node.stop();
	}

	@Test
	void aCommandWithAReplyToIsAnsweredAsCeleryAnswersWithItsTicketAndTheClock() {
		this.node.handle(command("ping", Map.of(), null, "ticket-1", "oid-1"), Map.of("clock", 41));

		assertThat(this.transport.replies).singleElement().satisfies((reply) -> {
			assertThat(reply.exchange()).isEqualTo("reply.celery.pidbox");
			assertThat(reply.routingKey()).isEqualTo("oid-1");
			assertThat(MAPPER.readTree(reply.body()))
				.isEqualTo(MAPPER.createObjectNode().set(HOST, CELERY.path("ping").path("reply")));
			assertThat(reply.headers()).containsEntry("ticket", "ticket-1");
			// past the sender's clock, as kombu adjusts to it before answering
			assertThat((long) reply.headers().get("clock")).isGreaterThan(41);
		});
	}

	@Test
	void aCommandWithoutAReplyToRunsAndIsNotAnswered() {
		this.node.handle(command("ping", Map.of(), null, null, null), Map.of());

		assertThat(this.calls).hasValue(1);
		assertThat(this.transport.replies).isEmpty();
	}

	@Test
	void onlyTheNodesNamedInTheDestinationAnswer() {
		this.node.handle(command("ping", Map.of(), List.of("other@tests"), "t1", "oid"), Map.of());
		assertThat(this.transport.replies).isEmpty();
		assertThat(this.calls).hasValue(0);

		this.node.handle(command("ping", Map.of(), List.of("other@tests", HOST), "t2", "oid"), Map.of());
		this.node.handle(command("ping", Map.of(), List.of(), "t3", "oid"), Map.of());
		assertThat(this.transport.replies).hasSize(2);
	}

	@Test
	void aPatternSelectsNodesByGlobOrByARegexAnchoredAtTheStartAsKombusMatchers() {
		assertThat(answersPattern("java@*", "glob")).isTrue();
		assertThat(answersPattern("py@*", "glob")).isFalse();
		assertThat(answersPattern("java", "pcre")).isTrue();
		assertThat(answersPattern("tests", "pcre")).as("re.match is anchored at the start").isFalse();
		assertThat(answersPattern("java@*", "nosuchmatcher")).as("ignored: kombu raises").isFalse();
	}

	@Test
	void anUnknownCommandIsAnsweredExactlyAsACelery526WorkerAnswersIt() {
		this.node.handle(command("nosuch", Map.of(), null, "t", "oid"), Map.of());

		assertThat(replyOf(0)).isEqualTo(CELERY.path("unknown").path("reply"));
		assertThat(replyOf(0).toString()).isEqualTo("{\"error\":\"KeyError('nosuch')\"}");
	}

	@Test
	void aCommandThatThrowsIsAnsweredWithTheReprOfItsException() {
		this.node.handle(command("failing", Map.of(), null, "t", "oid"), Map.of());

		assertThat(replyOf(0).path("error").asString()).isEqualTo("IllegalStateException('broken on purpose')");
	}

	@Test
	void aCommandSwitchedOffIsRefusedWithAClearErrorAndNotRun() {
		this.node.handle(command("rate_limit", Map.of("task_name", "x", "rate_limit", "1/s"), null, "t", "oid"),
				Map.of());

		assertThat(this.calls).hasValue(0);
		assertThat(replyOf(0).path("error").asString()).contains("'rate_limit' is not allowed on this worker")
			.contains("taskqueue.control.allowed");
		assertThat(this.node.accepts("rate_limit")).isFalse();
		assertThat(this.node.accepts("ping")).isTrue();
	}

	@Test
	void aCommandThatRepliesNothingIsNotAnsweredEvenWhenAsked() {
		this.node.handle(command("shutdown", Map.of(), null, "t", "oid"), Map.of());

		assertThat(this.calls).hasValue(1);
		assertThat(this.transport.replies).isEmpty();
	}

	@Test
	void aWorkerThatStoppedAnswersNothing() {
		this.answering.set(false);
		this.node.handle(command("ping", Map.of(), null, "t", "oid"), Map.of());

		assertThat(this.transport.replies).isEmpty();
	}

	@Test
	void theClockMovesPastEveryClockReceivedEvenOfCommandsForOthers() {
		this.node.handle(command("ping", Map.of(), List.of("other@tests"), "t", "oid"), Map.of("clock", "500"));

		assertThat(this.clock.value()).isGreaterThan(500);
	}

	@Test
	void malformedMessagesAreIgnored() {
		this.node.handle("not json".getBytes(), Map.of());
		this.node.handle("[1, 2]".getBytes(), Map.of());
		this.node.handle("{\"method\": \"ping\", \"reply_to\": \"nowhere\"}".getBytes(), null);

		assertThat(this.transport.replies).isEmpty();
	}

	@Test
	void commandsReceivedRunOnTheNodesThreadAndOurOwnRevocationBroadcastsAreSkipped() {
		this.node.start();
		PidboxTransport.Handler handler = this.transport.handler;

		handler.received(command("ping", Map.of(), null, "t1", "oid"), Map.of(CeleryRevocations.ORIGIN_HEADER, true));
		handler.received(command("ping", Map.of(), null, "t2", "oid"), Map.of());

		await().atMost(Duration.ofSeconds(5)).until(() -> this.transport.replies.size() == 1);
		assertThat(this.transport.replies.get(0).headers()).containsEntry("ticket", "t2");
		this.node.stop();
		assertThat(this.transport.closed).isOne();
		assertThat(this.node.isRunning()).isFalse();
	}

	@Test
	void anApplicationsOwnCommandReplacesTheBuiltInOneOfItsName() {
		CeleryPidbox replaced = CeleryPidbox.builder(this.transport, HOST, MAPPER)
			.commands(List.of(command("ping", ControlCommand.Kind.INSPECT, Map.of("ok", "pong"))))
			.commands(List.of(command("ping", ControlCommand.Kind.INSPECT, Map.of("ok", "mine"))))
			.build();

		replaced.handle(command("ping", Map.of(), null, "t", "oid"), Map.of());

		assertThat(replyOf(0).path("ok").asString()).isEqualTo("mine");
		assertThat(replaced.getCommandNames()).containsExactly("ping");
	}

	private boolean answersPattern(String pattern, String matcher) {
		int before = this.transport.replies.size();
		Map<String, @Nullable Object> message = message("ping", Map.of(), null, "t", "oid");
		message.put("pattern", pattern);
		message.put("matcher", matcher);
		this.node.handle(MAPPER.writeValueAsBytes(message), Map.of());
		return this.transport.replies.size() > before;
	}

	private JsonNode replyOf(int index) {
		return MAPPER.readTree(this.transport.replies.get(index).body()).path(HOST);
	}

	private static byte[] command(String method, Map<String, Object> arguments, @Nullable List<String> destination,
			@Nullable String ticket, @Nullable String oid) {
		return MAPPER.writeValueAsBytes(message(method, arguments, destination, ticket, oid));
	}

	/** A command as kombu's {@code Mailbox._publish} writes it. */
	private static Map<String, @Nullable Object> message(String method, Map<String, Object> arguments,
			@Nullable List<String> destination, @Nullable String ticket, @Nullable String oid) {
		Map<String, @Nullable Object> message = new LinkedHashMap<>();
		message.put("method", method);
		message.put("arguments", arguments);
		message.put("destination", destination);
		message.put("pattern", null);
		message.put("matcher", null);
		if (ticket != null) {
			message.put("ticket", ticket);
			message.put("reply_to", Map.of("exchange", "reply.celery.pidbox", "routing_key", oid));
		}
		return message;
	}

	private ControlCommand command(String name, ControlCommand.Kind kind, Object reply) {
		return new ScriptedCommand(name, kind, (arguments) -> {
			this.calls.incrementAndGet();
			return reply;
		});
	}

	private static ControlCommand failing() {
		return new ScriptedCommand("failing", ControlCommand.Kind.INSPECT, (arguments) -> {
			throw new IllegalStateException("broken on purpose");
		});
	}

	static JsonNode load(String resource) {
		try (InputStream in = CeleryPidboxTests.class.getResourceAsStream(resource)) {
			return MAPPER.readTree(in);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
