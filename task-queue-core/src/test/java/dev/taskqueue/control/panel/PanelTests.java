package dev.taskqueue.control.panel;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.AsyncResult;
import dev.taskqueue.SendOptions;
import dev.taskqueue.Task;
import dev.taskqueue.TaskClient;
import dev.taskqueue.TaskState;
import dev.taskqueue.broker.memory.InMemoryBroker;
import dev.taskqueue.client.TaskTemplate;
import dev.taskqueue.control.ControlCommand;
import dev.taskqueue.protocol.LamportClock;
import dev.taskqueue.registry.RateLimit;
import dev.taskqueue.registry.TaskAnnotationBeanPostProcessor;
import dev.taskqueue.registry.TaskRegistry;
import dev.taskqueue.result.memory.InMemoryResultBackend;
import dev.taskqueue.revoke.InMemoryRevocations;
import dev.taskqueue.routing.TaskRouter;
import dev.taskqueue.serialization.JsonSerializer;
import dev.taskqueue.serialization.SerializerRegistry;
import dev.taskqueue.serialization.TaskMessageConverter;
import dev.taskqueue.worker.LocalRateLimiter;
import dev.taskqueue.worker.TaskProcessor;
import dev.taskqueue.worker.WorkerSettings;
import dev.taskqueue.worker.Workers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * Each built-in command answers in the shape a Celery 5.2.6 worker answers (compared with its captured replies,
 * {@code celery-wire/replies/worker_replies.json}, and the captured {@code inspect} traffic) and really reads or
 * changes the worker.
 */
class PanelTests {

	private static final String HOST = "java@panel";

	private static final String QUEUE = "panel";

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private static final JsonNode CELERY = load("/celery-wire/replies/worker_replies.json");

	private final Clock clock = Clock.systemUTC();

	private final InMemoryBroker broker = new InMemoryBroker(this.clock);

	private final InMemoryResultBackend results = new InMemoryResultBackend(Duration.ofMinutes(5), this.clock);

	private final InMemoryRevocations revocations = new InMemoryRevocations(Duration.ofHours(1), this.clock);

	private final TaskRegistry registry = new TaskRegistry();

	private final LamportClock lamport = new LamportClock();

	private final PanelTasks tasks = new PanelTasks();

	private final TaskMessageConverter converter = new TaskMessageConverter(
			new SerializerRegistry(List.of(new JsonSerializer(MAPPER)), List.of("json")), this.clock);

	private final TaskClient client = TaskTemplate
		.builder(this.broker, this.converter, TaskRouter.builder(this.registry).defaultQueue(QUEUE).build(),
				this.results)
		.jsonMapper(MAPPER)
		.clock(this.clock)
		.build();

	private final Workers workers;

	private final AtomicBoolean exited = new AtomicBoolean();

	private final Map<String, ControlCommand> commands = new LinkedHashMap<>();

	PanelTests() {
		new TaskAnnotationBeanPostProcessor(this.registry).postProcessAfterInitialization(this.tasks, "tasks");
		TaskProcessor processor = TaskProcessor.builder(this.converter, this.registry, this.results, this.broker)
			.jsonMapper(MAPPER)
			.clock(this.clock)
			.revocations(this.revocations)
			.build();
		this.workers = Workers.builder(this.broker, processor)
			.group(new WorkerSettings(HOST, List.of(QUEUE), 1, 2, Duration.ofSeconds(5)))
			.rateLimiter(new LocalRateLimiter())
			.build();
		Map<String, Object> conf = new LinkedHashMap<>();
		conf.put("broker_url", "redis://localhost:6379/0");
		conf.put("task_default_queue", QUEUE);
		Panel.builder(HOST, this.workers, this.registry, this.revocations, this.lamport)
			.conf(conf)
			.broker(Map.of("transport", "redis", "hostname", "localhost", "port", 6379))
			.build()
			.forEach((command) -> this.commands.put(command.name(), command));
	}

	@AfterEach
	void stop() {
		this.tasks.gate.release(100);
		this.workers.stop();
		this.broker.close();
	}

	@Test
	void theWorkerAnswersEveryCommandOfTheIssueAndNamesEachAsCeleryDoes() {
		assertThat(this.commands.keySet()).containsExactlyInAnyOrder("ping", "clock", "conf", "report", "revoke",
				"terminate", "revoked", "hello", "registered", "rate_limit", "time_limit", "stats", "active",
				"reserved", "scheduled", "query_task", "pool_grow", "pool_shrink", "shutdown", "active_queues",
				"add_consumer", "cancel_consumer");
		assertThat(this.commands.get("stats").kind()).isEqualTo(ControlCommand.Kind.INSPECT);
		assertThat(this.commands.get("rate_limit").kind()).isEqualTo(ControlCommand.Kind.CONTROL);
		assertThat(this.commands.get("shutdown").kind()).isEqualTo(ControlCommand.Kind.CONTROL);
	}

	@Test
	void pingAndClockAnswerAsCelery() {
		assertThat(json(run("ping"))).isEqualTo(CELERY.path("ping").path("reply"));
		this.lamport.adjust(41);
		assertThat(json(run("clock"))).isEqualTo(MAPPER.readTree("{\"clock\": 42}"));
	}

	@Test
	void activeListsTheRunningTaskWithCeleryKeysAndReservedTheOneWaitingForAThread() {
		this.workers.start();
		AsyncResult<Object> running = this.client.send("panel.gated", "first");
		AsyncResult<Object> waiting = this.client.send("panel.gated", "second");
		await().atMost(WAIT).until(() -> this.workers.requests().size() == 2);

		JsonNode active = json(run("active", "safe", null));
		assertThat(active).hasSize(1);
		assertThat(keys(active.get(0))).isEqualTo(keys(CELERY.path("active").path("reply").get(0)));
		assertThat(keys(active.get(0).path("delivery_info")))
			.isEqualTo(keys(CELERY.path("active").path("reply").get(0).path("delivery_info")));
		assertThat(active.get(0).path("id").asString()).isEqualTo(running.id());
		assertThat(active.get(0).path("name").asString()).isEqualTo("panel.gated");
		assertThat(active.get(0).path("type").asString()).isEqualTo("panel.gated");
		assertThat(active.get(0).path("args")).isEqualTo(MAPPER.readTree("[\"first\"]"));
		assertThat(active.get(0).path("hostname").asString()).isEqualTo(HOST);
		assertThat(active.get(0).path("worker_pid").asLong()).isEqualTo(ProcessHandle.current().pid());
		assertThat(active.get(0).path("time_start").isNumber()).isTrue();
		assertThat(active.get(0).path("delivery_info").path("routing_key").asString()).isEqualTo(QUEUE);

		JsonNode safe = json(run("active", "safe", true));
		assertThat(safe.get(0).path("args").asString()).isEqualTo("('first',)");
		assertThat(safe.get(0).path("kwargs").asString()).isEqualTo("{}");

		JsonNode reserved = json(run("reserved"));
		assertThat(reserved).hasSize(1);
		assertThat(keys(reserved.get(0))).isEqualTo(keys(CELERY.path("reserved").path("reply").get(0)));
		assertThat(reserved.get(0).path("id").asString()).isEqualTo(waiting.id());
		assertThat(reserved.get(0).path("time_start").isNull()).isTrue();
		assertThat(reserved.get(0).path("worker_pid").isNull()).isTrue();

		JsonNode query = json(run("query_task", "ids", List.of(running.id(), waiting.id(), "unknown-id")));
		assertThat(query.path(running.id()).get(0).asString()).isEqualTo("active");
		assertThat(query.path(waiting.id()).get(0).asString()).isEqualTo("reserved");
		assertThat(query.has("unknown-id")).isFalse();
		assertThat(json(run("query_task", "ids", running.id())).has(running.id())).as("one id, not a list").isTrue();
	}

	@Test
	void scheduledIsEmptyBecauseAMessageNotDueWaitsInTheBroker() {
		assertThat(json(run("scheduled"))).isEmpty();
	}

	@Test
	void registeredListsTheTaskNamesInOrderWithTheirRateLimitAsCeleryDoes() {
		assertThat(json(run("registered", "taskinfoitems", List.of())))
			.isEqualTo(MAPPER.readTree("[\"panel.add\", \"panel.gated\"]"));

		assertThat(json(run("rate_limit", "task_name", "panel.add", "rate_limit", "10/s")))
			.isEqualTo(CELERY.path("rate_limit").path("reply"));

		assertThat(json(run("registered", "taskinfoitems", List.of())))
			.isEqualTo(MAPPER.readTree("[\"panel.add [rate_limit=10/s]\", \"panel.gated\"]"));
		assertThat(json(run("registered", "taskinfoitems", List.of("name", "queue"))).get(0).asString())
			.isEqualTo("panel.add [name=panel.add]");
	}

	@Test
	void rateLimitChangesTheTasksLimitAndAnswersEachCaseAsCelery() {
		run("rate_limit", "task_name", "panel.add", "rate_limit", "10/s");
		assertThat(this.registry.optionsOf("panel.add").rateLimit()).isEqualTo(RateLimit.parse("10/s"));

		assertThat(json(run("rate_limit", "task_name", "panel.nosuch", "rate_limit", "10/s")))
			.isEqualTo(CELERY.path("rate_limit_unknown_task").path("reply"));
		assertThat(json(run("rate_limit", "task_name", "panel.add", "rate_limit", "x/s")).path("error").asString())
			.startsWith("Invalid rate limit string: ");
		assertThat(json(run("rate_limit", "task_name", "panel.add", "rate_limit", "")))
			.isEqualTo(CELERY.path("rate_limit_disabled").path("reply"));
		assertThat(this.registry.optionsOf("panel.add").rateLimit()).isNull();

		run("rate_limit", "task_name", "panel.add", "rate_limit", "0.5/s");
		assertThat(this.registry.optionsOf("panel.add").rateLimit().interval()).isEqualTo(Duration.ofSeconds(2));
		assertThat(json(run("registered")).get(0).asString()).isEqualTo("panel.add [rate_limit=0.5/s]");
	}

	@Test
	void timeLimitSetsBothLimitsOfTheTaskInSeconds() {
		assertThat(json(run("time_limit", "task_name", "panel.add", "soft", 10.0, "hard", 20.0)))
			.isEqualTo(CELERY.path("time_limit").path("reply"));
		assertThat(this.registry.optionsOf("panel.add").softTimeLimit()).isEqualTo(Duration.ofSeconds(10));
		assertThat(this.registry.optionsOf("panel.add").timeLimit()).isEqualTo(Duration.ofSeconds(20));

		assertThat(json(run("time_limit", "task_name", "panel.nosuch", "soft", 10.0)))
			.isEqualTo(CELERY.path("time_limit_unknown_task").path("reply"));
	}

	@Test
	void statsHasCeleryKeysTheTasksRunThePoolAndTheClockAsText() {
		this.workers.start();
		this.tasks.gate.release(2);
		this.client.send("panel.gated", "one").get(WAIT);
		this.client.send("panel.gated", "two").get(WAIT);

		JsonNode stats = json(run("stats"));

		assertThat(keys(stats)).containsAll(keys(CELERY.path("stats").path("reply")));
		assertThat(stats.path("total")).isEqualTo(MAPPER.readTree("{\"panel.gated\": 2}"));
		assertThat(stats.path("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
		assertThat(stats.path("clock").isString()).as("Celery writes it as a string").isTrue();
		assertThat(stats.path("pool").path("max-concurrency").asInt()).isEqualTo(1);
		assertThat(stats.path("prefetch_count").asInt()).isEqualTo(2);
		assertThat(stats.path("broker").path("transport").asString()).isEqualTo("redis");
		assertThat(stats.path("rusage").path("utime").isNumber()).isTrue();
	}

	@Test
	void consumersAreAddedAndCancelledAndListedInKombusQueueShape() {
		this.workers.start();

		JsonNode queues = json(run("active_queues"));
		assertThat(queues).hasSize(1);
		assertThat(keys(queues.get(0))).isEqualTo(keys(CELERY.path("active_queues").path("reply").get(0)));
		assertThat(keys(queues.get(0).path("exchange")))
			.isEqualTo(keys(CELERY.path("active_queues").path("reply").get(0).path("exchange")));
		assertThat(queues.get(0).path("name").asString()).isEqualTo(QUEUE);

		assertThat(json(run("add_consumer", "queue", "capture-extra")))
			.isEqualTo(CELERY.path("add_consumer").path("reply"));
		// as Celery's call_soon: the reply comes first, the consumer soon after
		await().atMost(WAIT).until(() -> json(run("active_queues")).findValuesAsString("name").contains("capture-extra"));
		this.tasks.gate.release(1);
		assertThat(this.client.withOptions(SendOptions.defaults().withQueue("capture-extra"))
			.send("panel.gated", "extra")
			.get(WAIT)).isEqualTo("extra");

		assertThat(json(run("cancel_consumer", "queue", "capture-extra")))
			.isEqualTo(CELERY.path("cancel_consumer").path("reply"));
		assertThat(json(run("cancel_consumer", "queue", QUEUE)).path("ok").asString())
			.isEqualTo("no longer consuming from " + QUEUE);
		await().atMost(WAIT).until(() -> json(run("active_queues")).isEmpty());
	}

	@Test
	void thePoolGrowsAndShrinksAsCeleryAnswersAndNotBelowOneThread() {
		this.workers.start();

		assertThat(json(run("pool_grow", "n", 2))).isEqualTo(CELERY.path("pool_grow").path("reply"));
		assertThat(this.workers.snapshot().get(0).concurrency()).isEqualTo(3);
		assertThat(json(run("pool_shrink"))).isEqualTo(CELERY.path("pool_shrink").path("reply"));
		assertThat(this.workers.snapshot().get(0).concurrency()).isEqualTo(2);
		assertThatIllegalArgumentException().isThrownBy(() -> run("pool_shrink", "n", 5));
	}

	@Test
	void revokeRecordsTheRevocationAndAnswersAsCelery() {
		assertThat(json(run("revoke", "task_id", "t-1", "terminate", false, "signal", "SIGTERM")))
			.isEqualTo(MAPPER.readTree("{\"ok\": \"tasks t-1 flagged as revoked\"}"));
		assertThat(this.revocations.isRevoked("t-1")).isTrue();
		assertThat(json(run("revoke", "task_id", List.of("t-2", "t-3"))).path("ok").asString())
			.isEqualTo("tasks t-2, t-3 flagged as revoked");
		assertThat(json(run("revoke", "task_id", "not-held", "terminate", true)))
			.isEqualTo(CELERY.path("terminate_unknown").path("reply"));
		assertThat(json(run("revoked")).valueStream().map(JsonNode::asString))
			.containsExactlyInAnyOrder("t-1", "t-2", "t-3", "not-held");
	}

	@Test
	void terminateNamesTheRunningTaskItInterrupts() {
		this.workers.start();
		AsyncResult<Object> running = this.client.send("panel.gated", "first");
		await().atMost(WAIT).until(() -> !this.workers.requests().isEmpty());

		assertThat(json(run("terminate", "signal", "SIGTERM", "task_id", running.id())).path("ok").asString())
			.isEqualTo("terminate: " + running.id());
		await().atMost(WAIT).until(() -> running.state() == TaskState.REVOKED);
	}

	@Test
	void helloMergesAStartingCeleryWorkersRevocationsAndAnswersOursWithTheClock() {
		this.revocations.revoke("ours", false);
		Map<String, Object> theirs = Map.of("theirs", List.of(1.7e9, "theirs"));

		JsonNode reply = json(run("hello", "from_node", "celery@elsewhere", "revoked", theirs));

		assertThat(keys(reply)).isEqualTo(keys(CELERY.path("hello").path("reply")));
		assertThat(this.revocations.isRevoked("theirs")).isTrue();
		assertThat(reply.path("revoked").path("ours").get(0).isFloatingPointNumber()).isTrue();
		assertThat(reply.path("revoked").path("ours").get(1).asString()).isEqualTo("ours");
		assertThat(reply.path("clock").isNumber()).isTrue();
		assertThat(run("hello", "from_node", HOST, "revoked", Map.of())).as("our own hello").isNull();
	}

	@Test
	void confAndReportTellTheSettingsUnderCeleryNames() {
		assertThat(json(run("conf", "with_defaults", false)).path("task_default_queue").asString()).isEqualTo(QUEUE);
		String report = json(run("report")).path("ok").asString();
		assertThat(report).startsWith("\nsoftware -> taskqueue:")
			.contains("settings -> transport:redis")
			.contains("broker_url: 'redis://localhost:6379/0'");
	}

	@Test
	void shutdownStopsTheWorkersWarmlyAndRepliesNothing() {
		this.workers.start();

		assertThat(run("shutdown", "msg", "Got shutdown from remote")).isSameAs(ControlCommand.NO_REPLY);

		await().atMost(WAIT).until(() -> !this.workers.isRunning());
	}

	@Test
	void shutdownEndsTheApplicationWhenSoConfigured() {
		ControlCommand shutdown = Panel.builder(HOST, this.workers, this.registry, this.revocations, this.lamport)
			.shutdownExits(() -> this.exited.set(true))
			.build()
			.stream()
			.filter((command) -> command.name().equals("shutdown"))
			.findFirst()
			.orElseThrow();
		this.workers.start();

		shutdown.handle(MAPPER.createObjectNode());

		await().atMost(WAIT).untilTrue(this.exited);
		assertThat(this.workers.isRunning()).as("the application's exit stops them").isTrue();
	}

	private @Nullable Object run(String command, @Nullable Object... arguments) {
		Map<String, @Nullable Object> map = new LinkedHashMap<>();
		for (int i = 0; i < arguments.length; i += 2) {
			map.put((String) arguments[i], arguments[i + 1]);
		}
		return this.commands.get(command).handle(MAPPER.valueToTree(map));
	}

	private static JsonNode json(@Nullable Object reply) {
		return MAPPER.readTree(MAPPER.writeValueAsBytes(reply));
	}

	private static Set<String> keys(JsonNode node) {
		return Set.copyOf(new ArrayList<>(node.propertyNames()));
	}

	private static JsonNode load(String resource) {
		try (InputStream in = PanelTests.class.getResourceAsStream(resource)) {
			return MAPPER.readTree(in);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static class PanelTasks {

		final Semaphore gate = new Semaphore(0);

		@Task("panel.add")
		int add(int x, int y) {
			return x + y;
		}

		@Task("panel.gated")
		String gated(String value) throws InterruptedException {
			this.gate.acquire();
			return value;
		}

	}

}
