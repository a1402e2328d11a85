package dev.taskqueue.protocol;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.protocol.CelerySamples.CapturedTask;
import dev.taskqueue.serialization.JsonSerializer;
import dev.taskqueue.serialization.SerializationException;
import dev.taskqueue.serialization.SerializerRegistry;
import dev.taskqueue.serialization.TaskMessageConverter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;

/**
 * Decodes every task message real Celery 5.2.6 clients and workers published (the captured samples in
 * {@code src/test/resources/celery-wire/samples}) into our protocol v2 model, with the converter and the default
 * accept-content a worker uses.
 */
class CeleryWireSamplesTests {

	private final TaskMessageConverter converter = new TaskMessageConverter(
			new SerializerRegistry(List.of(new JsonSerializer(JsonMapper.builder().build())), List.of("json")),
			Clock.systemUTC());

	static Stream<CapturedTask> jsonTaskMessages() {
		return CelerySamples.taskMessages().stream()
			.filter((task) -> "application/json".equals(task.envelope().contentType()));
	}

	static Stream<CapturedTask> otherTaskMessages() {
		return CelerySamples.taskMessages().stream()
			.filter((task) -> !"application/json".equals(task.envelope().contentType()));
	}

	@Test
	void theCapturedSamplesAreInTheRepositoryAndHoldTheCapturedMessages() {
		// at least the task messages of the first capture; later samples (events, remote control, canvas) add to them
		assertThat(CelerySamples.names()).contains("redis_publish_plain_apply_async.json", "extra_chord_unlock.json")
			.hasSizeGreaterThanOrEqualTo(48);
		assertThat(CelerySamples.read("redis_publish_plain_apply_async").path("redis_commands").isEmpty()).isFalse();
		// every sample family is read: a pattern that stops matching must not leave the tests passing on nothing
		assertThat(CelerySamples.taskMessages()).extracting(CapturedTask::transport).contains("redis", "amqp");
		assertThat(jsonTaskMessages()).hasSizeGreaterThanOrEqualTo(50);
		assertThat(otherTaskMessages()).extracting((task) -> task.envelope().contentType())
			.containsExactlyInAnyOrder("application/x-msgpack", "application/x-yaml", "application/x-msgpack",
					"application/x-yaml");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("jsonTaskMessages")
	void decodesEveryJsonTaskMessage(CapturedTask captured) {
		TaskMessage message = this.converter.fromEnvelope(captured.envelope());
		assertThat(message.task()).isEqualTo(captured.header("task"));
		assertThat(message.id()).isEqualTo(captured.header("id")).isEqualTo(captured.envelope().correlationId());
		assertThat(message.lang()).isEqualTo("py");
		assertThat(message.rootId()).isEqualTo(captured.header("root_id"));
		assertThat(message.parentId()).isEqualTo(captured.header("parent_id"));
		assertThat(message.group()).isEqualTo(captured.header("group"));
		assertThat(message.groupIndex()).isEqualTo(captured.header("group_index"));
		assertThat(message.retries()).isEqualTo(captured.header("retries"));
		assertThat(message.argsrepr()).isEqualTo(captured.header("argsrepr"));
		assertThat(message.kwargsrepr()).isEqualTo(captured.header("kwargsrepr"));
		assertThat(message.origin()).isEqualTo(captured.header("origin")).startsWith("gen");
		assertThat(message.ignoreResult()).isEqualTo(captured.header("ignore_result"));
		assertThat(message.shadow()).isEqualTo(captured.header("shadow"));
		assertThat(message.eta() != null).isEqualTo(captured.header("eta") != null);
		assertThat(message.expires() != null).isEqualTo(captured.header("expires") != null);
		// what Python decoded from the same bytes is what we decoded
		assertThat(message.args()).isEqualTo(captured.bodyPart(0));
		assertThat(message.kwargs()).isEqualTo(captured.bodyPart(1));
		assertThat(message.embed()).isEqualTo(captured.bodyPart(2))
			.containsOnlyKeys("callbacks", "errbacks", "chain", "chord");
		assertThat(message.extraHeaders()).doesNotContainKeys(ProtocolHeaders.ALL.toArray(String[]::new));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("otherTaskMessages")
	void refusesMsgpackAndYamlByDefault(CapturedTask captured) {
		String contentType = captured.envelope().contentType();
		assertThatExceptionOfType(SerializationException.class)
			.isThrownBy(() -> this.converter.fromEnvelope(captured.envelope()))
			.withMessageContaining("Refusing to deserialize")
			.withMessageContaining("'" + contentType + "'")
			.withMessageContaining("taskqueue.accept-content");
	}

	@Test
	void plainApplyAsync() {
		for (String sample : List.of("redis_publish_plain_apply_async", "amqp_publish_plain_apply_async")) {
			CapturedTask captured = CelerySamples.first(sample);
			TaskMessage message = decode(captured);
			assertThat(message.task()).isEqualTo("capapp.add");
			assertThat(message.id()).hasSize(36).isEqualTo(message.rootId());
			assertThat(message.args()).containsExactly(2, 3);
			assertThat(message.kwargs()).isEmpty();
			assertThat(message.embed()).isEqualTo(TaskMessage.emptyEmbed());
			assertThat(message.eta()).isNull();
			assertThat(message.expires()).isNull();
			assertThat(message.timeLimit()).isEqualTo(TimeLimit.NONE);
			assertThat(message.retries()).isZero();
			assertThat(message.group()).isNull();
			assertThat(message.groupIndex()).isNull();
			assertThat(message.parentId()).isNull();
			assertThat(message.argsrepr()).isEqualTo("(2, 3)");
			assertThat(message.kwargsrepr()).isEqualTo("{}");
			assertThat(message.ignoreResult()).isFalse();
			assertThat(message.extraHeaders()).isEmpty();
			assertThat(captured.envelope().replyTo()).isNotNull();
			assertThat(captured.envelope().priority()).isZero();
		}
	}

	@Test
	void sendTaskWithKwargs() {
		for (String sample : List.of("redis_publish_send_task_kwargs", "amqp_publish_send_task_kwargs")) {
			TaskMessage message = decode(CelerySamples.first(sample));
			assertThat(message.args()).containsExactly(2);
			assertThat(message.kwargs()).containsExactly(Map.entry("y", 3));
			assertThat(message.argsrepr()).isEqualTo("[2]");
			assertThat(message.kwargsrepr()).isEqualTo("{'y': 3}");
		}
	}

	@Test
	void awareEtaKeepsItsMicroseconds() {
		TaskMessage message = decode(CelerySamples.first("redis_publish_eta_aware"));
		assertThat(message.eta()).isEqualTo(Instant.parse("2030-01-02T03:04:05.678901Z"));
	}

	@Test
	void naiveEtaIsTakenAsUtc() {
		CapturedTask captured = CelerySamples.first("redis_publish_eta_naive");
		assertThat(captured.header("eta")).isEqualTo("2030-01-02T03:04:05");
		assertThat(decode(captured).eta()).isEqualTo(Instant.parse("2030-01-02T03:04:05Z"));
	}

	@Test
	void countdownIsAnEtaFromTheSendingTime() {
		CapturedTask captured = CelerySamples.first("redis_publish_countdown");
		TaskMessage message = decode(captured);
		assertThat(captured.header("eta")).asString().endsWith("+00:00");
		// countdown=60: the eta is 60 s after the moment the client pushed the message
		assertThat(message.eta().toEpochMilli() / 1000d - captured.time()).isCloseTo(60, within(1d));
		assertThat(message.expires()).isNull();
	}

	@Test
	void expiresInSecondsIsAnAbsoluteExpiryAndATimeToLive() {
		CapturedTask captured = CelerySamples.first("redis_publish_expires_seconds");
		TaskMessage message = decode(captured);
		assertThat(message.expires().toEpochMilli() / 1000d - captured.time()).isCloseTo(120, within(1d));
		assertThat(message.eta()).isNull();
		assertThat(captured.envelope().expiration()).isEqualTo("120000");
	}

	@Test
	void countdownAndExpiresOverAmqp() {
		CapturedTask captured = CelerySamples.first("amqp_publish_countdown_expires");
		TaskMessage message = decode(captured);
		assertThat(Duration.between(message.eta(), message.expires())).isEqualTo(Duration.ofSeconds(60));
		assertThat(message.isDueAfter(message.eta().minusNanos(1000))).isTrue();
		assertThat(message.isExpiredAt(message.expires())).isTrue();
		assertThat(message.isExpiredAt(message.eta())).isFalse();
		assertThat(captured.envelope().expiration()).isEqualTo("120000");
	}

	@Test
	void timeLimitsAreHardThenSoft() {
		for (String sample : List.of("redis_publish_time_limits", "amqp_publish_time_limits")) {
			TaskMessage message = decode(CelerySamples.first(sample));
			assertThat(message.timeLimit()).isEqualTo(new TimeLimit(Duration.ofSeconds(30), Duration.ofSeconds(10)));
		}
	}

	@Test
	void groupMembersShareTheGroupIdWithNoIndex() {
		for (String sample : List.of("redis_publish_group", "amqp_publish_group")) {
			List<TaskMessage> messages = CelerySamples.of(sample).stream().map(this::decode).toList();
			assertThat(messages).hasSize(2);
			assertThat(messages.get(0).group()).isNotNull().isEqualTo(messages.get(1).group());
			assertThat(messages).allSatisfy((message) -> {
				assertThat(message.groupIndex()).isNull();
				assertThat(message.rootId()).isEqualTo(message.id());
			});
			assertThat(messages).extracting(TaskMessage::args).containsExactly(List.of(1, 1), List.of(2, 2));
		}
	}

	@Test
	void chordHeaderTasksCarryTheirIndexAndTheCallback() {
		List<TaskMessage> messages = CelerySamples.of("redis_publish_chord").stream().map(this::decode).toList();
		assertThat(messages).extracting(TaskMessage::groupIndex).containsExactly(0, 1);
		assertThat(messages.get(0).group()).isEqualTo(messages.get(1).group());
		Map<String, Object> chord = signature(messages.get(0).embed().get("chord"));
		assertThat(chord.get("task")).isEqualTo("capapp.tsum");
		assertThat(chord.get("args")).isEqualTo(List.of());
		assertThat(signature(chord.get("options")).get("task_id")).asString().hasSize(36);
		assertThat(messages.get(1).embed().get("chord")).isEqualTo(chord);
	}

	@Test
	void chordCallbackGetsTheResultsInOneList() {
		TaskMessage callback = decode(CelerySamples.of("redis_worker_chord").get(2));
		assertThat(callback.task()).isEqualTo("capapp.tsum");
		assertThat(callback.args()).containsExactly(List.of(2, 4));
		assertThat(callback.argsrepr()).isEqualTo("([2, 4],)");
		assertThat(callback.parentId()).isNotNull().isEqualTo(callback.rootId());
	}

	@Test
	void chainCarriesTheRemainingTasksInReverseOrder() {
		// chain(add.s(1,2), add.s(3), add.s(4)): only the first is sent, the rest ride in its embed, last first
		TaskMessage message = decode(CelerySamples.first("redis_publish_chain"));
		assertThat(message.args()).containsExactly(1, 2);
		List<Object> chain = list(message.embed().get("chain"));
		assertThat(chain).extracting((signature) -> signature(signature).get("args"))
			.containsExactly(List.of(4), List.of(3));
		assertThat(chain).allSatisfy((signature) -> assertThat(signature(signature))
			.containsOnlyKeys("task", "args", "kwargs", "options", "subtask_type", "immutable")
			.containsEntry("task", "capapp.add"));
		// chain(add.s(1,2), add.s(3)) over AMQP
		TaskMessage amqp = decode(CelerySamples.first("amqp_publish_chain"));
		assertThat(list(amqp.embed().get("chain"))).extracting((signature) -> signature(signature).get("args"))
			.containsExactly(List.of(3));
	}

	@Test
	void chainHopsAsAWorkerSendsThem() {
		List<TaskMessage> hops = CelerySamples.of("redis_worker_chain").stream().map(this::decode).toList();
		assertThat(hops).extracting(TaskMessage::args)
			.containsExactly(List.of(1, 2), List.of(3, 3), List.of(6, 4));
		assertThat(hops.get(1).parentId()).isEqualTo(hops.get(0).id());
		assertThat(hops.get(2).parentId()).isEqualTo(hops.get(1).id());
		assertThat(hops).allSatisfy((hop) -> assertThat(hop.rootId()).isEqualTo(hops.get(0).id()));
		// the last hop has an empty chain, not a null one
		assertThat(hops.get(2).embed()).containsEntry("chain", List.of());
	}

	@Test
	void linkAndLinkErrorAreCallbacksAndErrbacks() {
		for (String sample : List.of("redis_publish_link_and_link_error", "amqp_publish_link_and_link_error")) {
			TaskMessage message = decode(CelerySamples.first(sample));
			List<Object> callbacks = list(message.embed().get("callbacks"));
			List<Object> errbacks = list(message.embed().get("errbacks"));
			assertThat(callbacks).singleElement()
				.satisfies((signature) -> assertThat(signature(signature)).containsEntry("task", "capapp.add")
					.containsEntry("args", List.of(10)));
			assertThat(errbacks).singleElement()
				.satisfies((signature) -> assertThat(signature(signature)).containsEntry("task", "capapp.on_error"));
			assertThat(message.embed().get("chain")).isNull();
		}
	}

	@Test
	void userHeadersShadowAndIgnoreResult() {
		CapturedTask captured = CelerySamples.first("redis_publish_custom_queue_and_headers");
		TaskMessage message = decode(captured);
		assertThat(message.shadow()).isEqualTo("shadowed-name");
		assertThat(message.ignoreResult()).isTrue();
		assertThat(message.extraHeaders()).containsExactly(Map.entry("x-custom", "hello"), Map.entry("n", 7));
	}

	@Test
	void amqpHeaderTypesBecomePlainValues() {
		TaskMessage message = decode(CelerySamples.first("amqp_publish_header_types"));
		assertThat(message.extraHeaders()).containsEntry("s", "hello")
			.containsEntry("n", 7)
			.containsEntry("big", 1099511627776L)
			.containsEntry("f", 1.5)
			.containsEntry("flag", true)
			.containsEntry("none", null)
			.containsEntry("nested", Map.of("a", java.util.Arrays.asList(1, null, "x")));
	}

	@Test
	void jsonArgumentTypesArriveAsKombuWroteThem() {
		TaskMessage message = decode(CelerySamples.first("redis_publish_json_types"));
		assertThat(message.task()).isEqualTo("capapp.echo");
		assertThat(message.args()).containsExactly("2030-01-02T03:04:05.600000", "2030-01-02T03:04:05Z",
				"2030-01-02T03:04:05+02:00", "2030-01-02T00:00:00", "03:04:05", "1.10",
				"12345678-1234-5678-1234-567812345678", List.of(1, 2), new BigInteger("1180591620717411303424"), 1.5, null,
				true, "ünïcødé");
	}

	@Test
	void retryKeepsTheIdAndCountsUp() {
		List<TaskMessage> runs = CelerySamples.of("redis_worker_retry").stream().map(this::decode).toList();
		assertThat(runs).hasSize(2);
		assertThat(runs.get(1).id()).isEqualTo(runs.get(0).id());
		assertThat(runs).extracting(TaskMessage::retries).containsExactly(0, 1);
		assertThat(runs.get(1).parentId()).isEqualTo(runs.get(1).id());
		assertThat(runs.get(1).eta()).isNotNull();
		assertThat(runs.get(1).argsrepr()).isEqualTo("(7,)");
	}

	@Test
	void priorityIsAMessagePropertyNotAHeader() {
		List<CapturedTask> published = CelerySamples.of("redis_publish_priorities");
		assertThat(published).extracting((task) -> task.envelope().priority())
			.containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
		assertThat(published).allSatisfy((task) -> assertThat(decode(task).extraHeaders()).doesNotContainKey("priority"));
	}

	@Test
	void zlibCompressedBodyIsInflated() {
		CapturedTask captured = CelerySamples.first("redis_publish_zlib_compression");
		assertThat(captured.header("compression")).isEqualTo("application/x-gzip");
		TaskMessage message = decode(captured);
		assertThat(message.args()).containsExactly(2, 3);
		assertThat(message.extraHeaders()).containsEntry("compression", "application/x-gzip");
	}

	@Test
	void unknownTaskNameStillDecodes() {
		assertThat(decode(CelerySamples.first("redis_worker_unknown_task")).task()).isEqualTo("no.such.task");
	}

	@SuppressWarnings("unchecked")
	private static List<Object> list(Object value) {
		assertThat(value).isInstanceOf(List.class);
		return (List<Object>) value;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> signature(Object value) {
		assertThat(value).isInstanceOf(Map.class);
		return (Map<String, Object>) value;
	}

	private TaskMessage decode(CapturedTask captured) {
		return this.converter.fromEnvelope(captured.envelope());
	}

}
