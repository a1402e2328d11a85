package dev.taskqueue.worker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.taskqueue.Task;
import dev.taskqueue.TaskClient;
import dev.taskqueue.TaskContext;
import dev.taskqueue.TaskFailure;
import dev.taskqueue.TaskState;
import dev.taskqueue.canvas.CanvasRig;
import dev.taskqueue.canvas.Chord;
import dev.taskqueue.canvas.Group;
import dev.taskqueue.canvas.Signature;
import dev.taskqueue.internal.protocol.ProtocolV2;
import dev.taskqueue.protocol.CelerySamples;
import dev.taskqueue.protocol.CelerySamples.CapturedTask;
import dev.taskqueue.protocol.TaskMessage;
import dev.taskqueue.result.ResultBackend;
import dev.taskqueue.result.ResultTuples;
import dev.taskqueue.result.TaskResult;
import dev.taskqueue.result.memory.InMemoryResultBackend;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a Celery 5.2 client sends continues on our worker as on a Celery worker: the captured messages of a chain,
 * a link, link_error, a chord and chord_unlock are run, and what our worker publishes next is what the Celery
 * worker published in the same capture.
 */
class CeleryWorkflowTests {

	private final InMemoryResultBackend results = new InMemoryResultBackend(Duration.ofHours(1),
			Clock.systemUTC());

	private final CapApp tasks = new CapApp();

	private final CanvasRig rig = CanvasRig.of(this.results, this.tasks);

	CeleryWorkflowTests() {
		this.tasks.results = this.results;
		this.tasks.client = this.rig.client;
	}

	@AfterEach
	void close() {
		this.rig.close();
	}

	@Test
	void aCeleryChainRunsStepByStepEachResultPrependedAndTheLastStepCarriesAnEmptyChain() {
		List<CapturedTask> celery = CelerySamples.of("redis_worker_chain");
		this.rig.publish(celery.get(0).envelope());
		this.rig.take().run();

		CanvasRig.Taken second = this.rig.take();
		assertSameAs(second.message(), celery.get(1));
		second.run();
		CanvasRig.Taken third = this.rig.take();
		assertSameAs(third.message(), celery.get(2));
		assertThat(third.message().embed().get("chain")).isEqualTo(List.of());
		third.run();

		String first = celery.get(0).envelope().correlationId();
		assertThat(this.results.fetch(third.message().id()).result()).isEqualTo(10);
		assertThat(this.results.fetch(first).children()).containsExactly(ResultTuples.task(second.message().id()));
		assertThat(this.results.fetch(second.message().id()).parentId()).isEqualTo(first);
	}

	@Test
	void aCallbackGetsTheResultPrependedAndTheTaskAsParentAndRoot() {
		CapturedTask celery = CelerySamples.of("redis_worker_link").get(0);
		this.rig.publish(celery.envelope());
		this.rig.take().run();

		TaskMessage callback = this.rig.take().message();
		assertSameAs(callback, CelerySamples.of("redis_worker_link").get(1), "id");
		assertThat(callback.args()).containsExactly(3, 10);
		assertThat(this.results.fetch(celery.envelope().correlationId()).childIds()).containsExactly(callback.id());
	}

	@Test
	void anErrbackThatIsNoTaskOfOursIsSentWithTheFailedTasksIdInAGroupOfItsOwn() {
		List<CapturedTask> celery = CelerySamples.of("redis_worker_link");
		CapturedTask failing = celery.stream()
			.filter((task) -> "capapp.fail".equals(task.header("task")) && task.bodyPart(0).equals(List.of("y")))
			.findFirst()
			.orElseThrow();
		this.rig.publish(failing.envelope());
		this.rig.take().run();

		TaskMessage errback = this.rig.take().message();
		CapturedTask celeryErrback = celery.get(celery.size() - 1);
		assertSameAs(errback, celeryErrback, "id", "group");
		assertThat(errback.args()).containsExactly(failing.envelope().correlationId());
		assertThat(errback.group()).isNotNull();
		assertThat(this.results.fetch(failing.envelope().correlationId()).state()).isEqualTo(TaskState.FAILURE);
	}

	@Test
	void anErrbackThatIsOurTaskTakingThreeArgumentsIsCalledInTheFailingWorkerWithRequestFailureAndTraceback() {
		CapturedTask failing = CelerySamples.of("redis_worker_link")
			.stream()
			.filter((task) -> "capapp.fail".equals(task.header("task")) && task.bodyPart(0).equals(List.of("x")))
			.findFirst()
			.orElseThrow();
		this.rig.publish(failing.envelope());
		this.rig.take().run();

		assertThat(this.rig.take()).as("nothing is sent for an errback called in the worker").isNull();
		assertThat(this.tasks.errbacks).hasSize(1);
		Object[] call = this.tasks.errbacks.get(0);
		assertThat(((Map<?, ?>) call[0]).get("id")).isEqualTo(failing.envelope().correlationId());
		assertThat(((TaskFailure) call[1]).type()).isEqualTo("java.lang.IllegalStateException");
		assertThat(((TaskFailure) call[1]).message()).isEqualTo("x");
		assertThat((String) call[2]).contains("IllegalStateException: x");
	}

	@Test
	void theLastHeaderTaskToFinishSendsTheChordBodyWithTheResultsInHeaderOrder() {
		List<CapturedTask> celery = CelerySamples.of("redis_worker_chord");
		String groupId = (String) celery.get(0).header("group");
		// what the Celery client does before it sends the last header task
		this.results.setChordSize(groupId, 2);
		this.rig.publish(celery.get(1).envelope());
		this.rig.publish(celery.get(0).envelope());
		this.rig.take().run();
		CanvasRig.Taken last = this.rig.take();
		assertThat(this.rig.take()).as("no body before the header is complete").isNull();
		last.run();

		TaskMessage body = this.rig.take().message();
		CapturedTask celeryBody = celery.get(2);
		assertSameAs(body, celeryBody, "parent_id", "root_id");
		assertThat(body.args()).containsExactly(List.of(2, 4));
		assertThat(body.parentId()).isEqualTo(last.message().id());
		assertThat(this.results.fetch((String) celery.get(0).header("id")).groupId()).isEqualTo(groupId);
	}

	@Test
	void aFailedHeaderTaskFailsTheChordBodyWithChordErrorAndCallsItsErrbacks() {
		String bodyId = this.rig.client
			.send(Chord.of(
					Group.of(Signature.of("capapp.add", 1, 1),
							Signature.of("capapp.fail", "boom")),
					Signature.of("capapp.tsum")
						.onError(Signature.of("audit.chord_failed"))))
			.id();
		List<TaskMessage> run = this.rig.runAll(Duration.ofMillis(300));

		TaskResult body = this.results.fetch(bodyId);
		assertThat(body.state()).isEqualTo(TaskState.FAILURE);
		assertThat(body.toFailure().type()).isEqualTo("celery.exceptions.ChordError");
		assertThat(body.toFailure().message()).startsWith("Dependency ")
			.endsWith(" raised IllegalStateException('boom')");
		assertThat(run).extracting(TaskMessage::task).doesNotContain("capapp.tsum").contains("audit.chord_failed");
		TaskMessage errback = run.stream().filter((message) -> message.task().equals("audit.chord_failed")).findFirst()
			.orElseThrow();
		assertThat(errback.args()).containsExactly(bodyId);
	}

	@Test
	void celeryChordUnlockSendsTheBodyOnceEveryHeaderResultIsReady() {
		CapturedTask unlock = CelerySamples.first("extra_chord_unlock");
		List<?> header = (List<?>) ((Map<?, ?>) unlock.bodyPart(1)).get("result");
		this.results.store(TaskResult.success(ResultTuples.id(header.get(0)), 2, Instant.now()));
		this.rig.publish(unlock.envelope());
		CanvasRig.Taken first = this.rig.take(Duration.ofSeconds(5));
		first.run();

		// the second header task has not finished: chord_unlock looks again a second later
		CanvasRig.Taken retried = this.rig.take(Duration.ofSeconds(5));
		assertThat(retried.message().id()).isEqualTo(unlock.envelope().correlationId());
		assertThat(retried.message().retries()).isEqualTo(1);
		this.results.store(TaskResult.success(ResultTuples.id(header.get(1)), 4, Instant.now()));
		retried.run();

		// the retry is due a second after it was sent: it is put back until then
		CanvasRig.Taken next = this.rig.take(Duration.ofSeconds(5));
		while (next.message().task().equals("celery.chord_unlock")) {
			next.run();
			next = this.rig.take(Duration.ofSeconds(5));
		}
		TaskMessage body = next.message();
		assertThat(body.task()).isEqualTo("capapp.tsum");
		assertThat(body.id()).isEqualTo("0a9c8fb9-b642-45bb-a28d-b79690ae5d22");
		assertThat(body.args()).containsExactly(List.of(2, 4));
		assertThat(body.parentId()).isEqualTo(unlock.envelope().correlationId());
		assertThat(this.results.fetch(unlock.envelope().correlationId())).as("chord_unlock stores nothing").isNull();
	}

	@Test
	void aTaskStoresAStateOfItsOwnWithItsMetaWhileItRuns() {
		String id = this.rig.client.send("capapp.progress").id();
		this.rig.runAll(Duration.ofMillis(100));

		assertThat(this.results.fetch(id).result()).isEqualTo(Arrays.asList("PROGRESS", Map.of("current", 3)));
	}

	@Test
	void aReplacedTaskHandsItsIdToTheReplacementAndStoresNothingItself() {
		String id = this.rig.client.send("capapp.replaced", 20).id();
		List<TaskMessage> run = this.rig.runAll(Duration.ofMillis(100));

		assertThat(run).extracting(TaskMessage::task).containsExactly("capapp.replaced", "capapp.add");
		assertThat(run.get(1).id()).isEqualTo(id);
		assertThat(this.results.fetch(id).result()).isEqualTo(22);
	}

	@Test
	void aTaskThatSendsATaskIsItsParentAndListsItAsChild() {
		String id = this.rig.client.send("capapp.spawn", 5).id();
		List<TaskMessage> run = this.rig.runAll(Duration.ofMillis(100));

		TaskMessage child = run.get(1);
		assertThat(child.parentId()).isEqualTo(id);
		assertThat(child.rootId()).isEqualTo(id);
		assertThat(this.results.fetch(id).childIds()).containsExactly(child.id());
	}

	@Test
	void celeryMapAndStarmapCallOurTaskOnEachItemInTheWorker() {
		String map = this.rig.client
			.send(Signature.map(Signature.of("capapp.square"),
					List.of(1, 2, 3)))
			.id();
		String starmap = this.rig.client
			.send(Signature.starmap(Signature.of("capapp.add"),
					List.of(List.of(1, 2), List.of(3, 4))))
			.id();
		this.rig.runAll(Duration.ofMillis(100));

		assertThat(this.results.fetch(map).result()).isEqualTo(List.of(1, 4, 9));
		assertThat(this.results.fetch(starmap).result()).isEqualTo(List.of(3, 7));
	}

	/**
	 * Our next message is the one the Celery worker published: task, id, group, workflow ids, args and body.
	 */
	private static void assertSameAs(TaskMessage ours, CapturedTask celery, String... volatileHeaders) {
		List<String> ignored = List.of(volatileHeaders);
		for (String header : List.of("task", "id", "group", "group_index", "root_id", "parent_id", "argsrepr",
				"kwargsrepr", "retries", "timelimit", "ignore_result")) {
			if (!ignored.contains(header)) {
				assertThat(ProtocolV2.headers(ours).get(header)).as(header)
					.isEqualTo(celery.header(header));
			}
		}
		assertThat(ours.args()).as("args").isEqualTo(celery.bodyPart(0));
		assertThat(ours.kwargs()).as("kwargs").isEqualTo(celery.bodyPart(1));
		assertThat(ours.embed()).as("embed").isEqualTo(celery.bodyPart(2));
	}

	/**
	 * The tasks of Celery's capture app, in Java, and a few of our own.
	 */
	static class CapApp {

		final List<Object[]> errbacks = new CopyOnWriteArrayList<>();

		ResultBackend results;

		TaskClient client;

		@Task("capapp.add")
		int add(int x, int y) {
			return x + y;
		}

		@Task("capapp.square")
		int square(int x) {
			return x * x;
		}

		@Task("capapp.tsum")
		int tsum(List<Integer> values) {
			return values.stream().mapToInt(Integer::intValue).sum();
		}

		@Task("capapp.fail")
		String fail(String message) {
			throw new IllegalStateException(message);
		}

		@Task("capapp.on_error")
		void onError(Map<String, Object> request, TaskFailure failure, String traceback) {
			this.errbacks.add(new Object[] { request, failure, traceback });
		}

		@Task("capapp.progress")
		List<Object> progress(TaskContext context) {
			context.updateState("PROGRESS", Map.of("current", 3));
			TaskResult stored = this.results.fetch(context.taskId());
			return Arrays.asList(stored.status(), stored.result());
		}

		@Task("capapp.replaced")
		int replaced(int x, TaskContext context) {
			throw context.replace(Signature.of("capapp.add", x, 2).toMap());
		}

		@Task("capapp.spawn")
		String spawn(int x) {
			this.client.send("capapp.square", x);
			return "spawned";
		}

	}

}
