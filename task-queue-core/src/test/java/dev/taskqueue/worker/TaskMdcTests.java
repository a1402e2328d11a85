package dev.taskqueue.worker;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.Task;
import dev.taskqueue.broker.memory.InMemoryBroker;
import dev.taskqueue.client.TaskTemplate;
import dev.taskqueue.registry.TaskAnnotationBeanPostProcessor;
import dev.taskqueue.registry.TaskRegistry;
import dev.taskqueue.result.memory.InMemoryResultBackend;
import dev.taskqueue.routing.TaskRouter;
import dev.taskqueue.serialization.JsonSerializer;
import dev.taskqueue.serialization.SerializerRegistry;
import dev.taskqueue.serialization.TaskMessageConverter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * While a task runs, its id, name, queue and worker are in the logging MDC, so that a line task code logs names
 * its task; afterwards the thread's MDC is as it was.
 */
class TaskMdcTests {

	private static final String QUEUE = "mdc-tests";

	private final Clock clock = Clock.systemUTC();

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final InMemoryBroker broker = new InMemoryBroker(this.clock);

	private final InMemoryResultBackend results = new InMemoryResultBackend(Duration.ofHours(1), this.clock);

	private final TaskRegistry registry = new TaskRegistry();

	private final TaskMessageConverter converter = new TaskMessageConverter(
			new SerializerRegistry(List.of(new JsonSerializer(this.mapper)), List.of("json")), this.clock);

	private final TaskTemplate client = TaskTemplate
		.builder(this.broker, this.converter, TaskRouter.builder(this.registry).defaultQueue(QUEUE).build(),
				this.results)
		.jsonMapper(this.mapper)
		.build();

	private final TaskProcessor processor = TaskProcessor.builder(this.converter, this.registry, this.results, this.broker)
		.jsonMapper(this.mapper)
		.hostname("mdc@worker")
		.build();

	TaskMdcTests() {
		new TaskAnnotationBeanPostProcessor(this.registry).postProcessAfterInitialization(new Tasks(), "tasks");
	}

	@AfterEach
	void close() {
		MDC.clear();
		this.processor.close();
		this.broker.close();
	}

	@Test
	void taskCodeLogsWithItsTaskIdNameQueueAndWorkerInTheMdc() throws Exception {
		String id = this.client.send("mdc.context").id();

		this.processor.process(this.broker.poll(List.of(QUEUE), Duration.ofSeconds(5)));

		assertThat(this.results.fetch(id).result()).isEqualTo(Map.of(TaskMdc.TASK_ID, id, TaskMdc.TASK_NAME,
				"mdc.context", TaskMdc.TASK_QUEUE, QUEUE, TaskMdc.WORKER_NAME, "mdc@worker"));
		assertThat(MDC.getCopyOfContextMap()).doesNotContainKeys(TaskMdc.TASK_ID, TaskMdc.TASK_NAME,
				TaskMdc.TASK_QUEUE, TaskMdc.WORKER_NAME);
	}

	@Test
	void whatTheThreadHeldBeforeIsPutBackAndTheRestLeftAlone() throws Exception {
		MDC.put(TaskMdc.TASK_ID, "outer-task");
		MDC.put("requestId", "r-1");
		String id = this.client.send("mdc.context").id();

		this.processor.process(this.broker.poll(List.of(QUEUE), Duration.ofSeconds(5)));

		assertThat(((Map<?, ?>) this.results.fetch(id).result()).get(TaskMdc.TASK_ID)).isEqualTo(id);
		assertThat(MDC.getCopyOfContextMap()).containsOnly(Map.entry(TaskMdc.TASK_ID, "outer-task"),
				Map.entry("requestId", "r-1"));
	}

	@Test
	void theKeysAreTheDocumentedNames() {
		assertThat(List.of(TaskMdc.TASK_ID, TaskMdc.TASK_NAME, TaskMdc.TASK_QUEUE, TaskMdc.WORKER_NAME))
			.containsExactly("taskId", "taskName", "taskQueue", "workerName");
	}

	/**
	 * A task that returns the MDC it runs with.
	 */
	public static class Tasks {

		@Task(name = "mdc.context")
		public Map<String, String> context() {
			Map<String, String> mdc = MDC.getCopyOfContextMap();
			mdc.remove("requestId");
			return mdc;
		}

	}

}
