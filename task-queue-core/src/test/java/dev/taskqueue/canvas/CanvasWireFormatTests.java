package dev.taskqueue.canvas;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntSupplier;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.AsyncResult;
import dev.taskqueue.protocol.CelerySamples;
import dev.taskqueue.protocol.CelerySamples.CapturedTask;
import dev.taskqueue.protocol.TaskMessage;
import dev.taskqueue.result.DisabledResultBackend;
import dev.taskqueue.result.ResultBackend;
import dev.taskqueue.result.ResultTuples;
import dev.taskqueue.result.TaskResult;
import dev.taskqueue.result.memory.InMemoryResultBackend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What our client publishes for a chain, a group and a chord is what Celery 5.2's client publishes (the captured
 * samples): only a chain's first task, carrying the rest reversed with their ids; a group's tasks with its id;
 * a chord's header with its position and the frozen body, the chord's size set before the last header task, or
 * {@code celery.chord_unlock} first where the backend cannot join.
 */
class CanvasWireFormatTests {

	private final RecordingBackend backend = new RecordingBackend(true);

	private final CanvasRig rig = CanvasRig.of(this.backend);

	CanvasWireFormatTests() {
		this.backend.queued = () -> this.rig.broker.size(CanvasRig.QUEUE);
	}

	@AfterEach
	void close() {
		this.rig.close();
	}

	@Test
	void signaturesAreCeleryDictsBothWays() {
		Signature<Object> add = Signature.of("x.add", 1)
			.withOption("countdown", 3)
			.withOption("queue", "q")
			.onSuccess(Signature.of("x.tsum"))
			.onError(Signature.of("x.tsum").immutable());
		String celery = "{\"task\": \"x.add\", \"args\": [1], \"kwargs\": {}, \"options\": {\"countdown\": 3, "
				+ "\"queue\": \"q\", \"link\": [{\"task\": \"x.tsum\", \"args\": [], \"kwargs\": {}, \"options\": {}, "
				+ "\"subtask_type\": null, \"immutable\": false}], \"link_error\": [{\"task\": \"x.tsum\", \"args\": [], "
				+ "\"kwargs\": {}, \"options\": {}, \"subtask_type\": null, \"immutable\": true}]}, "
				+ "\"subtask_type\": null, \"immutable\": false}";
		assertThat(add.toMap()).isEqualTo(json(celery));
		assertThat(Canvas.fromMap(json(celery))).isEqualTo(add);

		Chord<Object> chord = Chord.of(Group.of(Signature.of("x.add", 1, 2), Signature.of("x.add", 3, 4)),
				Signature.of("x.tsum"));
		String celeryChord = "{\"task\": \"celery.chord\", \"args\": [], \"kwargs\": {\"kwargs\": {}, \"header\": "
				+ "[{\"task\": \"x.add\", \"args\": [1, 2], \"kwargs\": {}, \"options\": {}, \"subtask_type\": null, "
				+ "\"immutable\": false}, {\"task\": \"x.add\", \"args\": [3, 4], \"kwargs\": {}, \"options\": {}, "
				+ "\"subtask_type\": null, \"immutable\": false}], \"body\": {\"task\": \"x.tsum\", \"args\": [], "
				+ "\"kwargs\": {}, \"options\": {}, \"subtask_type\": null, \"immutable\": false}}, \"options\": {}, "
				+ "\"subtask_type\": \"chord\", \"immutable\": false}";
		assertThat(chord.toMap()).isEqualTo(json(celeryChord));
		assertThat(Canvas.fromMap(json(celeryChord))).isEqualTo(chord);
		Chain<Object> chain = Chain.of(Signature.of("x.add", 1, 2), Signature.of("x.add", 3));
		assertThat(Canvas.fromMap(chain.toMap())).isEqualTo(chain);
		assertThat(chain.toMap()).containsEntry("task", "celery.chain").containsEntry("subtask_type", "chain");
		assertThat(Group.of(Signature.of("x.add", 1, 2)).toMap()).containsEntry("task", "celery.group")
			.containsEntry("subtask_type", "group");
	}

	@Test
	void aChainSendsItsFirstTaskCarryingTheRestReversedWithTheirIdsAsCeleryDoes() {
		AsyncResult<Object> last = this.rig.client.send(Chain.of(Signature.of("capapp.add", 1, 2),
				Signature.of("capapp.add", 3), Signature.of("capapp.add", 4)));

		CanvasRig.Taken first = this.rig.take();
		assertThat(this.rig.take()).as("only the first task is sent").isNull();
		CapturedTask celery = CelerySamples.first("redis_publish_chain");
		assertThat(first.message().args()).isEqualTo(celery.bodyPart(0));
		List<?> chain = (List<?>) first.message().embed().get("chain");
		List<?> celeryChain = (List<?>) ((Map<?, ?>) celery.bodyPart(2)).get("chain");
		assertThat(chain).hasSameSizeAs(celeryChain);
		for (int i = 0; i < chain.size(); i++) {
			Map<?, ?> ours = (Map<?, ?>) chain.get(i);
			Map<?, ?> theirs = (Map<?, ?>) celeryChain.get(i);
			assertThat(keys(ours)).isEqualTo(keys(theirs));
			assertThat(ours.get("args")).isEqualTo(theirs.get("args"));
			assertThat(keys(((Map<?, ?>) ours.get("options")))).isEqualTo(keys((Map<?, ?>) theirs.get("options")));
			assertThat(((Map<?, ?>) ours.get("options")).get("reply_to")).isEqualTo(first.envelope().replyTo());
		}
		// the last step is the one the handle waits on; its parent the step before
		assertThat(((Map<?, ?>) ((Map<?, ?>) chain.get(0)).get("options")).get("task_id")).isEqualTo(last.id());
		assertThat(last.parent().orElseThrow().id())
			.isEqualTo(((Map<?, ?>) ((Map<?, ?>) chain.get(1)).get("options")).get("task_id"));
		assertThat(last.parent().orElseThrow().parent().orElseThrow().id()).isEqualTo(first.message().id());
	}

	@Test
	void aGroupSendsEachTaskWithTheGroupsIdAndNoPosition() {
		GroupResult group = this.rig.client.send(Group.of(Signature.of("capapp.add", 1, 1),
				Signature.of("capapp.add", 2, 2)));

		List<TaskMessage> sent = List.of(this.rig.take().message(), this.rig.take().message());
		CapturedTask celery = CelerySamples.first("redis_publish_group");
		for (TaskMessage message : sent) {
			assertThat(message.group()).isEqualTo(group.id());
			assertThat(message.groupIndex()).isEqualTo(celery.header("group_index")).isNull();
			assertThat(message.rootId()).isEqualTo(message.id());
			assertThat(message.embed().get("chord")).isNull();
		}
		assertThat(group.results()).extracting(AsyncResult::id)
			.containsExactly(sent.get(0).id(), sent.get(1).id());
	}

	@Test
	void aChordSendsItsHeaderWithPositionsAndTheFrozenBodyAndSetsItsSizeBeforeTheLastHeaderTask() {
		AsyncResult<Object> body = this.rig.client.send(Chord.of(
				Group.of(Signature.of("capapp.add", 1, 1), Signature.of("capapp.add", 2, 2)),
				Signature.of("capapp.tsum")));

		CapturedTask celery = CelerySamples.first("redis_publish_chord");
		List<TaskMessage> header = List.of(this.rig.take().message(), this.rig.take().message());
		for (int i = 0; i < header.size(); i++) {
			TaskMessage message = header.get(i);
			assertThat(message.groupIndex()).isEqualTo(i);
			Map<?, ?> chord = (Map<?, ?>) message.embed().get("chord");
			Map<?, ?> celeryChord = (Map<?, ?>) ((Map<?, ?>) celery.bodyPart(2)).get("chord");
			assertThat(keys(chord)).isEqualTo(keys(celeryChord));
			assertThat(keys(((Map<?, ?>) chord.get("options")))).isEqualTo(keys((Map<?, ?>) celeryChord.get("options")));
			assertThat(((Map<?, ?>) chord.get("options")).get("task_id")).isEqualTo(body.id());
		}
		assertThat(header.get(0).group()).isEqualTo(header.get(1).group()).isNotNull();
		// as Celery: the size is set after the first header task is sent and before the last
		assertThat(this.backend.events).containsExactly("size of " + header.get(0).group() + " = 2, 1 task(s) sent");
	}

	@Test
	void aChordOnABackendThatCannotJoinSendsCeleryChordUnlockFirstDueASecondLater() {
		RecordingBackend polling = new RecordingBackend(false);
		try (CanvasRig rig = CanvasRig.of(polling)) {
			AsyncResult<Object> body = rig.client.send(Chord.of(
					Group.of(Signature.of("capapp.add", 1, 1), Signature.of("capapp.add", 2, 2)),
					Signature.of("capapp.tsum")));

			CapturedTask celery = CelerySamples.first("extra_chord_unlock");
			TaskMessage unlock = rig.take(Duration.ofSeconds(3)).message();
			List<TaskMessage> header = List.of(rig.take().message(), rig.take().message());
			assertThat(unlock.task()).isEqualTo("celery.chord_unlock");
			assertThat(unlock.ignoreResult()).isTrue();
			assertThat(unlock.eta()).isAfter(Instant.now().minusSeconds(1));
			assertThat(unlock.args().get(0)).isEqualTo(header.get(0).group());
			assertThat(((Map<?, ?>) ((Map<?, ?>) unlock.args().get(1)).get("options")).get("task_id"))
				.isEqualTo(body.id());
			assertThat(keys(unlock.kwargs())).isEqualTo(keys((Map<?, ?>) celery.bodyPart(1)));
			assertThat(unlock.kwargs().get("result"))
				.isEqualTo(List.of(ResultTuples.task(header.get(0).id()), ResultTuples.task(header.get(1).id())));
			assertThat(polling.events).isEmpty();
		}
	}

	@Test
	void chordsAreRefusedWithoutABackendThatCanCarryThemAsCeleryRefusesThem() {
		try (CanvasRig rig = CanvasRig.of(new DisabledResultBackend())) {
			assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> rig.client
				.send(Chord.of(Group.of(Signature.of("capapp.add", 1, 1)), Signature.of("capapp.tsum"))));
			assertThat(rig.take()).isNull();
		}
	}

	private static List<Object> keys(Map<?, ?> map) {
		return new ArrayList<>(map.keySet());
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> json(String text) {
		return JsonMapper.builder().build().readValue(text, Map.class);
	}

	/**
	 * An in-memory backend that records chord sizes, and may say it cannot join chords.
	 */
	static final class RecordingBackend implements ResultBackend {

		final List<String> events = new ArrayList<>();

		IntSupplier queued = () -> -1;

		private final InMemoryResultBackend results = new InMemoryResultBackend(Duration.ofHours(1),
				Clock.systemUTC());

		private final boolean joins;

		RecordingBackend(boolean joins) {
			this.joins = joins;
		}

		@Override
		public void store(TaskResult result) {
			this.results.store(result);
		}

		@Override
		public @Nullable TaskResult fetch(String taskId) {
			return this.results.fetch(taskId);
		}

		@Override
		public CompletableFuture<TaskResult> whenReady(String taskId) {
			return this.results.whenReady(taskId);
		}

		@Override
		public void forget(String taskId) {
			this.results.forget(taskId);
		}

		@Override
		public boolean joinsChordsNatively() {
			return this.joins;
		}

		@Override
		public void setChordSize(String groupId, int size) {
			this.events.add("size of " + groupId + " = " + size + ", " + this.queued.getAsInt() + " task(s) sent");
			this.results.setChordSize(groupId, size);
		}

		@Override
		public @Nullable List<TaskResult> chordPartReturned(String groupId, @Nullable Integer groupIndex,
				TaskResult result) {
			return this.results.chordPartReturned(groupId, groupIndex, result);
		}

	}

}
