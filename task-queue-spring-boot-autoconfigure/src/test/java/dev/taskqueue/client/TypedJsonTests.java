package dev.taskqueue.client;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.taskqueue.AsyncResult;
import dev.taskqueue.Task;
import dev.taskqueue.TaskClient;
import dev.taskqueue.TaskFailedException;
import dev.taskqueue.autoconfigure.TaskQueueAutoConfiguration;
import dev.taskqueue.broker.memory.InMemoryBroker;
import dev.taskqueue.protocol.Envelope;
import dev.taskqueue.protocol.ProtocolHeaders;
import dev.taskqueue.result.ResultBackend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@code taskqueue.json.typed-values}: plain values by default, kombu 5.3's typed objects when asked, in the
 * arguments the client sends and the results the worker stores; typed objects are read as values either way,
 * and one of a type kombu does not know fails the task and is dead-lettered.
 */
class TypedJsonTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final OffsetDateTime WHEN = OffsetDateTime.parse("2026-12-02T10:11:12.123456+02:00");

	private static final UUID ID = UUID.fromString("6f1c2a4e-8b3d-4c5f-9a7e-1d2b3c4d5e6f");

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, TaskQueueAutoConfiguration.class))
		.withUserConfiguration(Tasks.class, Bodies.class)
		.withPropertyValues("taskqueue.worker.concurrency=1", "taskqueue.worker.shutdown-timeout=1s");

	@Test
	void plainIsTheDefaultAndWritesWhatCelery52Expects() {
		this.runner.run((context) -> {
			List<Object> echoed = send(context).get(WAIT);
			String body = context.getBean(RecordingBroker.class).bodies.get(0);
			assertThat(body).doesNotContain("__type__").contains("\"2026-12-02\"", "\"1.10\"");
			// the task still gets its types, converted from the text
			List<Object> received = context.getBean(Tasks.class).received.get(0);
			assertThat(((OffsetDateTime) received.get(0)).toInstant()).isEqualTo(WHEN.toInstant());
			assertThat(received.subList(1, 5)).containsExactly(LocalDate.of(2026, 12, 2), new BigDecimal("1.10"), ID,
					"abc".getBytes(StandardCharsets.UTF_8));
			assertThat(echoed.subList(1, 4)).isEqualTo(List.of("2026-12-02", "1.10", ID.toString()));
		});
	}

	@Test
	void kombu53WritesTypedArgumentsAndResultsAndReadsThemAsValues() {
		this.runner.withPropertyValues("taskqueue.json.typed-values=kombu53").run((context) -> {
			AsyncResult<List<Object>> echo = send(context);
			List<Object> echoed = echo.get(WAIT);
			String body = context.getBean(RecordingBroker.class).bodies.get(0);
			assertThat(body).contains("{\"__type__\":\"datetime\",\"__value__\":\"2026-12-02T10:11:12.123456+02:00\"}",
					"{\"__type__\":\"date\",\"__value__\":\"2026-12-02\"}",
					"{\"__type__\":\"decimal\",\"__value__\":\"1.10\"}",
					"{\"__type__\":\"bytes\",\"__value__\":\"abc\"}");
			// the offset arrives as sent
			assertThat(context.getBean(Tasks.class).received.get(0)).containsExactly(WHEN,
					LocalDate.of(2026, 12, 2), new BigDecimal("1.10"), ID, "abc".getBytes(StandardCharsets.UTF_8));
			Object stored = context.getBean(ResultBackend.class).fetch(echo.id()).result();
			assertThat(((List<?>) stored).get(1)).isEqualTo(Map.of("__type__", "date", "__value__", "2026-12-02"));
			assertThat(echoed.subList(0, 4))
				.isEqualTo(List.of(WHEN, LocalDate.of(2026, 12, 2), new BigDecimal("1.10"), ID));
			assertThat((byte[]) echoed.get(4)).isEqualTo("abc".getBytes(StandardCharsets.UTF_8));
		});
	}

	@Test
	void aTypeKombuDoesNotKnowFailsTheTaskNamingItAndIsDeadLettered() {
		this.runner.run((context) -> {
			InMemoryBroker broker = context.getBean(InMemoryBroker.class);
			broker.publish("celery", new Envelope(
					"[[{\"__type__\": \"complex\", \"__value__\": \"1+2j\"}], {}, {}]".getBytes(StandardCharsets.UTF_8),
					"application/json", "utf-8",
					Map.of(ProtocolHeaders.TASK, "typed.kombu", ProtocolHeaders.ID, "complex-1"), "complex-1", null, 0,
					null));
			await().atMost(WAIT).until(() -> broker.deadLetters().size() == 1);
			assertThat(broker.deadLetters().get(0).reason()).contains("Unsupported type 'complex'");
			assertThatExceptionOfType(TaskFailedException.class)
				.isThrownBy(() -> client(context).result("complex-1").get(WAIT))
				.satisfies((ex) -> assertThat(ex.getFailure().message()).contains("Unsupported type 'complex'"));
			assertThat(context.getBean(Tasks.class).received).isEmpty();
		});
	}

	@SuppressWarnings("unchecked")
	private static AsyncResult<List<Object>> send(AssertableApplicationContext context) {
		AsyncResult<?> result = client(context).send("typed.kombu", WHEN, LocalDate.of(2026, 12, 2),
				new BigDecimal("1.10"), ID, "abc".getBytes(StandardCharsets.UTF_8));
		return (AsyncResult<List<Object>>) result;
	}

	private static TaskClient client(AssertableApplicationContext context) {
		return context.getBean(TaskClient.class);
	}

	static class Tasks {

		final List<List<Object>> received = new CopyOnWriteArrayList<>();

		@Task("typed.kombu")
		List<Object> kombu(OffsetDateTime when, LocalDate day, BigDecimal amount, UUID id, byte[] raw) {
			return record(List.of(when, day, amount, id, raw));
		}

		private List<Object> record(List<Object> values) {
			this.received.add(values);
			return new ArrayList<>(values);
		}

	}

	/**
	 * The memory broker, keeping the body of each task message published.
	 */
	static class RecordingBroker extends InMemoryBroker {

		final List<String> bodies = new CopyOnWriteArrayList<>();

		@Override
		public void publish(String queue, Envelope envelope) {
			this.bodies.add(new String(envelope.body(), StandardCharsets.UTF_8));
			super.publish(queue, envelope);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Bodies {

		@Bean
		RecordingBroker recordingBroker() {
			return new RecordingBroker();
		}

	}

}
