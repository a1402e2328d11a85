package dev.taskqueue.worker;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.broker.AbstractDelivery;
import dev.taskqueue.broker.memory.InMemoryBroker;
import dev.taskqueue.protocol.TaskMessage;
import dev.taskqueue.protocol.TimeLimit;
import dev.taskqueue.registry.TaskRegistry;
import dev.taskqueue.result.memory.InMemoryResultBackend;
import dev.taskqueue.serialization.JsonSerializer;
import dev.taskqueue.serialization.SerializerRegistry;
import dev.taskqueue.serialization.TaskMessageConverter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A task name or id a sender made up cannot write lines of its own into the log: what the worker and the
 * broker log of a received message stays on one line.
 */
class LogInjectionTests {

	private static final String QUEUE = "log-injection-tests";

	private static final String EVIL_NAME = "evil\n12:00:00.000 ERROR [main] forged line\r\u001b[31mred\u0007";

	private final Clock clock = Clock.systemUTC();

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final InMemoryBroker broker = new InMemoryBroker(this.clock);

	private final TaskMessageConverter converter = new TaskMessageConverter(
			new SerializerRegistry(List.of(new JsonSerializer(this.mapper)), List.of("json")), this.clock);

	private final TaskProcessor processor = TaskProcessor
		.builder(this.converter, new TaskRegistry(), new InMemoryResultBackend(Duration.ofHours(1), this.clock),
				this.broker)
		.jsonMapper(this.mapper)
		.clock(this.clock)
		.build();

	private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

	@BeforeEach
	void captureLogs() {
		this.logged.start();
		logger(TaskProcessor.class).addAppender(this.logged);
		logger(InMemoryBroker.class).addAppender(this.logged);
	}

	@AfterEach
	void release() {
		logger(TaskProcessor.class).detachAppender(this.logged);
		logger(InMemoryBroker.class).detachAppender(this.logged);
		this.processor.close();
		this.broker.close();
	}

	@Test
	void aTaskNameAndIdWithLineBreaksAndControlCharactersAreLoggedOnOneLine() throws Exception {
		String id = "id\nforged";
		TaskMessage message = new TaskMessage(id, EVIL_NAME, "py", null, null, null, null, null, 0, TimeLimit.NONE, id,
				null, "()", "{}", "gen1@test", false, Map.of(), List.of(), Map.of(), null);
		this.broker.publish(QUEUE, this.converter.toEnvelope(message, "json", null, 0));
		AbstractDelivery delivery = this.broker.poll(List.of(QUEUE), Duration.ofSeconds(5));

		this.processor.process(delivery);

		// the worker's "unregistered task" and the broker's "dead-lettered" lines
		assertThat(this.logged.list).hasSizeGreaterThanOrEqualTo(2);
		assertThat(this.logged.list).allSatisfy((event) -> {
			String line = event.getFormattedMessage();
			assertThat(line).doesNotContain("\n", "\r", "\u001b", "\u0007");
			assertThat(line).contains("evil\\n12:00:00.000 ERROR [main] forged line\\r\\u001b[31mred\\u0007");
		});
	}

	private static Logger logger(Class<?> type) {
		return (Logger) LoggerFactory.getLogger(type);
	}

}
