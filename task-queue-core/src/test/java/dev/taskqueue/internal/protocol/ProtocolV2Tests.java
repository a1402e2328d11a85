package dev.taskqueue.internal.protocol;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.taskqueue.protocol.ProtocolException;
import dev.taskqueue.protocol.TaskMessage;
import dev.taskqueue.protocol.TimeLimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Reading and writing Celery protocol v2 headers and bodies, and the errors a malformed message gives.
 */
class ProtocolV2Tests {

	private static final String ID = "0b6c3a52-52a4-4f0f-a3b2-8f1d5a6c7e90";

	@Test
	void readsTheMinimalMessageACeleryWorkerAccepts() {
		TaskMessage message = ProtocolV2.read(headers(), body(List.of(2, 3), Map.of(), Map.of()));
		assertThat(message.id()).isEqualTo(ID);
		assertThat(message.task()).isEqualTo("sample.add");
		assertThat(message.args()).containsExactly(2, 3);
		assertThat(message.kwargs()).isEmpty();
		assertThat(message.retries()).isZero();
		assertThat(message.timeLimit()).isEqualTo(TimeLimit.NONE);
		assertThat(message.eta()).isNull();
		assertThat(message.ignoreResult()).isFalse();
	}

	@Test
	void readsATwoElementBodyAsArgsAndKwargsWithNoWorkflow() {
		TaskMessage message = ProtocolV2.read(headers(), Arrays.asList(List.of(1), Map.of("y", 2)));
		assertThat(message.args()).containsExactly(1);
		assertThat(message.kwargs()).containsEntry("y", 2);
		assertThat(message.embed()).isEqualTo(TaskMessage.emptyEmbed());
	}

	@Test
	void readsNullKwargsAndEmbedAsEmpty() {
		TaskMessage message = ProtocolV2.read(headers(), body(List.of(), null, null));
		assertThat(message.kwargs()).isEmpty();
		assertThat(message.embed()).isEqualTo(TaskMessage.emptyEmbed());
	}

	@Test
	void headersWrittenHereAreReadBackWithTheExtraOnesAddedAfterTheProtocols() {
		Map<String, Object> extra = new LinkedHashMap<>();
		extra.put("taskqueue_sent", 1_796_000_000_123L);
		extra.put("x-tenant", "acme");
		TaskMessage sent = new TaskMessage(ID, "sample.add", "java", null, null, null, null, null, 2, TimeLimit.NONE, ID,
				null, "(2, 3)", "{}", "gen1@host", false, extra, List.of(2, 3), Map.of(), null);
		Map<String, Object> headers = ProtocolV2.headers(sent);
		// as the converter does when it compresses, and a broker when it redelivers
		headers.put("compression", "application/x-gzip");

		TaskMessage read = ProtocolV2.read(headers, body(List.of(2, 3), Map.of(), Map.of()));

		assertThat(read.id()).isEqualTo(ID);
		assertThat(read.task()).isEqualTo("sample.add");
		assertThat(read.retries()).isEqualTo(2);
		assertThat(read.origin()).isEqualTo("gen1@host");
		assertThat(read.extraHeaders()).containsExactly(Map.entry("taskqueue_sent", 1_796_000_000_123L),
				Map.entry("x-tenant", "acme"), Map.entry("compression", "application/x-gzip"));
	}

	@Test
	void headersWrittenHereWithAProtocolHeaderRemovedAreReadByName() {
		TaskMessage sent = new TaskMessage(ID, "sample.add", "java", null, null, null, null, null, 0, TimeLimit.NONE, ID,
				null, null, null, null, false, Map.of("taskqueue_sent", 1L), List.of(), Map.of(), null);
		Map<String, Object> headers = ProtocolV2.headers(sent);
		headers.remove("shadow");

		TaskMessage read = ProtocolV2.read(headers, body(List.of(), Map.of(), Map.of()));

		assertThat(read.task()).isEqualTo("sample.add");
		assertThat(read.extraHeaders()).containsExactly(Map.entry("taskqueue_sent", 1L));
	}

	@Test
	void missingIdIsRefused() {
		Map<String, Object> headers = headers();
		headers.remove("id");
		assertRefused(headers, body(List.of(), Map.of(), Map.of()), "'id'");
	}

	@Test
	void missingTaskIsRefused() {
		Map<String, Object> headers = headers();
		headers.remove("task");
		assertRefused(headers, body(List.of(), Map.of(), Map.of()), "'task'");
	}

	@Test
	void emptyTaskNameIsRefused() {
		Map<String, Object> headers = headers();
		headers.put("task", "");
		assertRefused(headers, body(List.of(), Map.of(), Map.of()), "'task'");
	}

	@Test
	void nonStringIdIsRefused() {
		Map<String, Object> headers = headers();
		headers.put("id", 42);
		assertRefused(headers, body(List.of(), Map.of(), Map.of()), "header 'id' must be a string, was Integer 42");
	}

	@Test
	void bodyThatIsNotAListIsRefused() {
		assertRefused(headers(), "[[2, 3], {}, {}]", "the body must be [args, kwargs, embed], was String");
	}

	@Test
	void oneElementBodyIsRefused() {
		assertRefused(headers(), List.of(List.of(2, 3)), "the body must be [args, kwargs, embed], was");
	}

	@Test
	void fourElementBodyIsRefused() {
		assertRefused(headers(), Arrays.asList(List.of(), Map.of(), Map.of(), Map.of()), "the body must be [args, kwargs, embed]");
	}

	@Test
	void argsThatAreNotAListAreRefused() {
		assertRefused(headers(), body(Map.of("x", 1), Map.of(), Map.of()), "args must be a list, was");
		assertRefused(headers(), body(null, Map.of(), Map.of()), "args must be a list, was null");
	}

	@Test
	void kwargsThatAreNotAMappingAreRefused() {
		assertRefused(headers(), body(List.of(), List.of(1), Map.of()), "kwargs must be a mapping, was");
	}

	@Test
	void embedThatIsNotAMappingIsRefused() {
		assertRefused(headers(), body(List.of(), Map.of(), List.of()), "embed must be a mapping, was");
	}

	@Test
	void badEtaIsRefusedNamingTheHeader() {
		Map<String, Object> headers = headers();
		headers.put("eta", "tomorrow");
		assertRefused(headers, body(List.of(), Map.of(), Map.of()), "header 'eta' must be an ISO 8601 time, was 'tomorrow'");
	}

	@Test
	void badExpiresIsRefusedNamingTheHeader() {
		Map<String, Object> headers = headers();
		headers.put("expires", 120);
		assertRefused(headers, body(List.of(), Map.of(), Map.of()), "header 'expires' must be a string, was Integer 120");
	}

	@Test
	void timeLimitThatIsNotAPairIsRefused() {
		Map<String, Object> headers = headers();
		headers.put("timelimit", List.of(30));
		assertRefused(headers, body(List.of(), Map.of(), Map.of()), "header 'timelimit' must be [hard, soft], was");
		headers.put("timelimit", 30);
		assertRefused(headers, body(List.of(), Map.of(), Map.of()), "header 'timelimit' must be [hard, soft], was");
	}

	@Test
	void timeLimitThatIsNotSecondsIsRefused() {
		Map<String, Object> headers = headers();
		headers.put("timelimit", List.of("30", 10));
		assertRefused(headers, body(List.of(), Map.of(), Map.of()), "header 'timelimit' must hold numbers of seconds");
	}

	@Test
	void retriesThatAreNotAnIntegerAreRefused() {
		Map<String, Object> headers = headers();
		headers.put("retries", "1");
		assertRefused(headers, body(List.of(), Map.of(), Map.of()), "header 'retries' must be an integer");
		headers.put("retries", 1.5);
		assertRefused(headers, body(List.of(), Map.of(), Map.of()), "header 'retries' must be an integer");
		headers.put("retries", 1L << 40);
		assertRefused(headers, body(List.of(), Map.of(), Map.of()), "header 'retries' must be an integer");
	}

	@Test
	void protocolOneDictBodyIsRefusedWithAnExplanation() {
		Map<String, Object> v1 = new LinkedHashMap<>();
		v1.put("task", "sample.add");
		v1.put("id", ID);
		v1.put("args", List.of(2, 3));
		v1.put("kwargs", Map.of());
		assertRefused(Map.of(), v1, "protocol v1");
	}

	@Test
	void readsEveryHeader() {
		Map<String, Object> headers = headers();
		headers.put("lang", "py");
		headers.put("shadow", "shown");
		headers.put("eta", "2030-01-02T03:04:05.678901+00:00");
		headers.put("expires", "2030-01-02T03:04:05");
		headers.put("group", "g1");
		headers.put("group_index", 3);
		headers.put("retries", 2);
		headers.put("timelimit", Arrays.asList(30, 2.5));
		headers.put("root_id", "r1");
		headers.put("parent_id", "p1");
		headers.put("argsrepr", "()");
		headers.put("kwargsrepr", "{}");
		headers.put("origin", "gen1@host");
		headers.put("ignore_result", true);
		headers.put("x-custom", "hello");
		headers.put("redelivered", true);
		TaskMessage message = ProtocolV2.read(headers, body(List.of(), Map.of(), Map.of()));
		assertThat(message.lang()).isEqualTo("py");
		assertThat(message.shadow()).isEqualTo("shown");
		assertThat(message.eta()).isEqualTo(Instant.parse("2030-01-02T03:04:05.678901Z"));
		assertThat(message.expires()).isEqualTo(Instant.parse("2030-01-02T03:04:05Z"));
		assertThat(message.group()).isEqualTo("g1");
		assertThat(message.groupIndex()).isEqualTo(3);
		assertThat(message.retries()).isEqualTo(2);
		assertThat(message.timeLimit()).isEqualTo(new TimeLimit(Duration.ofSeconds(30), Duration.ofMillis(2500)));
		assertThat(message.rootId()).isEqualTo("r1");
		assertThat(message.parentId()).isEqualTo("p1");
		assertThat(message.origin()).isEqualTo("gen1@host");
		assertThat(message.ignoreResult()).isTrue();
		assertThat(message.extraHeaders()).containsExactly(Map.entry("x-custom", "hello"), Map.entry("redelivered", true));
	}

	@Test
	void timeLimitWithOnlyASoftLimit() {
		Map<String, Object> headers = headers();
		headers.put("timelimit", Arrays.asList(null, 10));
		TaskMessage message = ProtocolV2.read(headers, body(List.of(), Map.of(), Map.of()));
		assertThat(message.timeLimit()).isEqualTo(new TimeLimit(null, Duration.ofSeconds(10)));
	}

	@Test
	void writesTheSixteenHeadersInCeleryOrderThenTheExtraOnes() {
		Map<String, Object> extra = new LinkedHashMap<>();
		extra.put("x-custom", "hello");
		extra.put("eta", "not a protocol value");
		extra.put("shadow", "not either");
		TaskMessage message = message(extra, new TimeLimit(Duration.ofSeconds(30), Duration.ofMillis(10500)));
		Map<String, Object> headers = ProtocolV2.headers(message);
		List<String> names = new ArrayList<>(headers.keySet());
		assertThat(names).containsExactly("lang", "task", "id", "shadow", "eta", "expires", "group", "group_index",
				"retries", "timelimit", "root_id", "parent_id", "argsrepr", "kwargsrepr", "origin", "ignore_result",
				"x-custom");
		// a user header never replaces a protocol header, not even a null one
		assertThat(headers).containsEntry("eta", "2030-01-02T03:04:05.000001+00:00")
			.containsEntry("shadow", null)
			.containsEntry("timelimit", List.of(30L, 10.5))
			.containsEntry("retries", 1)
			.containsEntry("ignore_result", false);
	}

	@Test
	void writesNoTimeLimitAsTwoNulls() {
		Map<String, Object> headers = ProtocolV2.headers(message(Map.of(), TimeLimit.NONE));
		assertThat(headers).containsEntry("timelimit", Arrays.asList(null, null));
	}

	@Test
	void writesTheBodyAsArgsKwargsAndEmbed() {
		List<Object> body = ProtocolV2.body(message(Map.of(), TimeLimit.NONE));
		assertThat(body).containsExactly(List.of(2, 3), Map.of("z", 1), TaskMessage.emptyEmbed());
	}

	@Test
	void whatItWritesItReadsBack() {
		Map<String, Object> extra = new LinkedHashMap<>();
		extra.put("x-custom", "hello");
		TaskMessage message = message(extra, new TimeLimit(Duration.ofSeconds(30), Duration.ofMillis(10500)));
		TaskMessage read = ProtocolV2.read(ProtocolV2.headers(message), ProtocolV2.body(message));
		assertThat(read).isEqualTo(message);
	}

	private static TaskMessage message(Map<String, Object> extra, TimeLimit timeLimit) {
		return new TaskMessage(ID, "sample.add", "java", null, Instant.parse("2030-01-02T03:04:05.000001Z"), null, null,
				null, 1, timeLimit, ID, null, "(2, 3)", "{'z': 1}", "gen1@host", false, extra, List.of(2, 3),
				Map.of("z", 1), null);
	}

	private static void assertRefused(Map<String, Object> headers, Object body, String message) {
		assertThatExceptionOfType(ProtocolException.class).isThrownBy(() -> ProtocolV2.read(headers, body))
			.withMessageContaining(message);
	}

	private static Map<String, Object> headers() {
		Map<String, Object> headers = new LinkedHashMap<>();
		headers.put("task", "sample.add");
		headers.put("id", ID);
		return headers;
	}

	private static List<Object> body(Object args, Object kwargs, Object embed) {
		return Arrays.asList(args, kwargs, embed);
	}

}
