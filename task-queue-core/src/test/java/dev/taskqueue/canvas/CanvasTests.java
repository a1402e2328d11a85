package dev.taskqueue.canvas;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.taskqueue.AsyncResult;
import dev.taskqueue.Task;
import dev.taskqueue.TaskFailedException;
import dev.taskqueue.protocol.TaskMessage;
import dev.taskqueue.result.memory.InMemoryResultBackend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Workflows composed in Java run to the results Celery's would give, on our client and worker: chains, groups,
 * chords, callbacks, errbacks, map, starmap and chunks, written type-safely with method references.
 */
class CanvasTests {

	private static final Duration WAIT = Duration.ofSeconds(5);

	private final InMemoryResultBackend results = new InMemoryResultBackend(Duration.ofHours(1), Clock.systemUTC());

	private final MathTasks math = new MathTasks();

	private final CanvasRig rig = CanvasRig.of(this.results, this.math);

	@AfterEach
	void close() {
		this.rig.close();
	}

	@Test
	void aChainFeedsEachResultToTheNextTask() {
		Chain<Integer> sum = Chain.of(Signature.of(MathTasks::add, 2, 2))
			.then(Signature.partial(MathTasks::add, 4))
			.then(Signature.partial(MathTasks::add, 8));
		AsyncResult<Integer> result = this.rig.client.send(sum);
		this.rig.runAll(Duration.ofMillis(100));

		assertThat(result.get(WAIT)).isEqualTo(16);
		assertThat(result.parent().orElseThrow().get(WAIT)).isEqualTo(8);
		assertThat(result.parent().orElseThrow().children()).extracting(AsyncResult::id).containsExactly(result.id());
	}

	@Test
	void anImmutableStepIgnoresThePreviousResult() {
		AsyncResult<Integer> result = this.rig.client
			.send(Chain.of(Signature.of(MathTasks::add, 2, 2)).then(Signature.of(MathTasks::add, 10, 10).immutable()));
		this.rig.runAll(Duration.ofMillis(100));

		assertThat(result.get(WAIT)).isEqualTo(20);
	}

	@Test
	void aGroupsResultsAreJoinedInOrderAndRestoredFromTheBackendBySomeoneElse() {
		GroupResult squares = this.rig.client.send(Group.of(Signature.of(MathTasks::square, 1),
				Signature.of(MathTasks::square, 2), Signature.of(MathTasks::square, 3)));
		squares.save();
		assertThat(squares.ready()).isFalse();
		this.rig.runAll(Duration.ofMillis(100));

		assertThat(squares.join(WAIT)).containsExactly(1, 4, 9);
		GroupResult restored = this.rig.client.restoreGroup(squares.id());
		assertThat(restored.ready()).isTrue();
		assertThat(restored.completedCount()).isEqualTo(3);
		assertThat(restored.get(WAIT)).containsExactly(1, 4, 9);
		restored.delete();
		assertThat(this.rig.client.restoreGroup(squares.id())).isNull();
	}

	@Test
	void aChordGivesTheHeadersResultsInOrderToItsBody() {
		AsyncResult<Integer> total = this.rig.client.send(Chord.of(
				Group.of(Signature.of(MathTasks::add, 1, 1), Signature.of(MathTasks::add, 2, 2),
						Signature.of(MathTasks::add, 3, 3)),
				Signature.partial(MathTasks::sum)));
		this.rig.runAll(Duration.ofMillis(100));

		assertThat(total.get(WAIT)).isEqualTo(12);
		assertThat(this.math.sums).containsExactly(List.of(2, 4, 6));
	}

	@Test
	void aHeaderTaskWhoseArgumentsDoNotBindFailsTheChordRatherThanLeaveItWaiting() {
		AsyncResult<Integer> total = this.rig.client.send(Chord.of(
				Group.of(Signature.of(MathTasks::add, 1, 1), Signature.of("math.add", "not a number", 1)),
				Signature.partial(MathTasks::sum)));
		this.rig.runAll(Duration.ofMillis(100));

		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> total.get(WAIT))
			.satisfies((ex) -> assertThat(ex.getFailure().type()).isEqualTo("celery.exceptions.ChordError"));
		assertThat(this.math.sums).isEmpty();
	}

	@Test
	void aGroupFollowedByATaskInAChainBecomesAChord() {
		AsyncResult<Integer> total = this.rig.client.send(Chain.of(Signature.of(MathTasks::add, 1, 1))
			.then(Group.of(Signature.partial(MathTasks::add, 10), Signature.partial(MathTasks::add, 20)))
			.then(Signature.partial(MathTasks::sum)));
		this.rig.runAll(Duration.ofMillis(100));

		assertThat(total.get(WAIT)).isEqualTo(12 + 22);
	}

	@Test
	void aCallbackRunsWithTheResultAndAnErrbackWhenTheTaskFails() {
		AsyncResult<Integer> added = this.rig.client
			.send(Signature.of(MathTasks::add, 1, 2).onSuccess(Signature.partial(MathTasks::record)));
		AsyncResult<Integer> failed = this.rig.client.send(Signature.of(MathTasks::divide, 1, 0)
			.onError(Signature.partial(MathTasks::recordFailure)));
		this.rig.runAll(Duration.ofMillis(100));

		assertThat(added.get(WAIT)).isEqualTo(3);
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> failed.get(WAIT));
		assertThat(this.math.recorded).containsExactly(3, failed.id());
	}

	@Test
	void aFailedStepFailsTheRestOfItsChain() {
		AsyncResult<Integer> last = this.rig.client.send(Chain.of(Signature.of(MathTasks::divide, 1, 0))
			.then(Signature.partial(MathTasks::add, 1)));
		List<TaskMessage> run = this.rig.runAll(Duration.ofMillis(100));

		assertThat(run).hasSize(1);
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> last.get(WAIT))
			.satisfies((ex) -> assertThat(ex.getFailure().type()).isEqualTo("java.lang.ArithmeticException"));
	}

	@Test
	void mapStarmapAndChunksCallTheTaskOnEveryItem() {
		AsyncResult<List<Object>> mapped = this.rig.client
			.send(Signature.map(Signature.of("math.square"), List.of(1, 2, 3)));
		GroupResult chunks = this.rig.client.send(
				Signature.chunks(Signature.of("math.add"), List.of(List.of(1, 1), List.of(2, 2), List.of(3, 3)), 2));
		this.rig.runAll(Duration.ofMillis(100));

		assertThat(mapped.get(WAIT)).containsExactly(1, 4, 9);
		assertThat(chunks.join(WAIT)).containsExactly(List.of(2, 4), List.of(6));
	}

	@Test
	void typedSignaturesNameTheTaskTheMethodDeclares() {
		assertThat(Signature.of(MathTasks::add, 1, 2).task()).isEqualTo("math.add");
		assertThat(Signature.of(MathTasks::add, 1, 2).args()).containsExactly(1, 2);
		assertThat(Signature.partial(MathTasks::add, 4).args()).containsExactly(4);
		assertThat(Signature.of(MathTasks::add, 1, 2)).hasToString("math.add(1, 2)");
	}

	/**
	 * Arithmetic tasks.
	 */
	static class MathTasks {

		final List<List<Integer>> sums = new CopyOnWriteArrayList<>();

		final List<Object> recorded = new CopyOnWriteArrayList<>();

		@Task("math.add")
		int add(int x, int y) {
			return x + y;
		}

		@Task("math.square")
		int square(int x) {
			return x * x;
		}

		@Task("math.divide")
		int divide(int x, int y) {
			return x / y;
		}

		@Task("math.sum")
		int sum(List<Integer> values) {
			this.sums.add(values);
			return values.stream().mapToInt(Integer::intValue).sum();
		}

		@Task("math.record")
		void record(Object value) {
			this.recorded.add(value);
		}

		@Task("math.record_failure")
		void recordFailure(String taskId) {
			this.recorded.add(taskId);
		}

	}

}
