package dev.taskqueue.result;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.taskqueue.TaskFailure;
import dev.taskqueue.TaskState;
import dev.taskqueue.status.ComponentStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * What every {@link ResultBackend} does, checked through the SPI alone: a stored state is fetched as it was
 * stored, with Celery's document fields as {@link TaskResult} exposes them; an unknown task is PENDING
 * ({@code null}); {@link ResultBackend#storeAsync storeAsync} completes once the state is stored;
 * {@link ResultBackend#whenReady whenReady} completes on a final state stored later, and at once for one stored
 * already; a stored SUCCESS is final; {@link ResultBackend#forget forget} removes; {@link ResultBackend#status()
 * status} is up while the server answers. Every test uses task ids of its own.
 * <p>
 * The contract stores every state as a worker does for a task sent by this application's client: with the
 * {@code reply_to} the backend asks the client to put on its tasks ({@link ResultBackend#replyTo()}, {@code null}
 * for the backends that store results where any client can read them).
 * <p>
 * A backend, ours or a third party's, proves itself by extending this class in its tests:
 * <ol>
 * <li>depend on the core's test-jar, with the test libraries it uses (JUnit Jupiter, AssertJ, Awaitility):
 * <pre class="code">{@code
 * <dependency>
 *   <groupId>dev.taskqueue</groupId>
 *   <artifactId>task-queue-core</artifactId>
 *   <version>${task-queue.version}</version>
 *   <type>test-jar</type>
 *   <scope>test</scope>
 * </dependency>
 * }</pre>
 * (Gradle: {@code testImplementation("dev.taskqueue:task-queue-core:<version>:tests")});</li>
 * <li>subclass it and implement {@link #createBackend()}: a backend that keeps results for at least a minute,
 * and starts with none of the contract's (its ids are fresh UUIDs, so a shared store is fine);</li>
 * <li>override {@link #close(ResultBackend)} if closing is more than {@link AutoCloseable#close()}, and the hooks
 * where the backend differs by design, saying why there: {@link #deliversResultsToTheSenderOnly()} for a
 * backend that sends results to the client that sent the task rather than storing them,
 * {@link #keepsDateDone()} for one whose results carry no {@code date_done}, {@link #savesGroups()} and
 * {@link #keepsWorkflowIds()} for one that cannot save groups or keep a result's group and parent.</li>
 * </ol>
 * A hook never skips a case: it tells the case what to expect instead.
 */
public abstract class ResultBackendContract {

	/** How long a result or a notification may take to arrive. */
	private static final Duration WAIT = Duration.ofSeconds(10);

	/** How long a future is watched for a completion it must not see. */
	private static final Duration QUIET = Duration.ofMillis(500);

	/** A {@code date_done} with microseconds, the precision of Celery's documents. */
	private static final Instant DONE = Instant.parse("2026-11-23T23:02:54.862621Z");

	private @Nullable ResultBackend backend;

	/**
	 * A fresh backend, for one test.
	 * @return the backend
	 */
	protected abstract ResultBackend createBackend();

	/**
	 * Release the backend made by {@link #createBackend()}. By default closes it if it is {@link AutoCloseable}.
	 * @param backend the backend
	 * @throws Exception if it could not be closed
	 */
	protected void close(ResultBackend backend) throws Exception {
		if (backend instanceof AutoCloseable closeable) {
			closeable.close();
		}
	}

	/**
	 * Whether results go only to the client that sent the task, as with Celery's {@code rpc://}: the backend
	 * sends each state as a message to the task's {@code reply_to}, and only the client consuming that address
	 * (the one whose {@link ResultBackend#replyTo()} it is) can fetch it. {@code false} by default: results are
	 * stored where any client reads them. When {@code true}:
	 * <ul>
	 * <li>the backend must name its address: {@link ResultBackend#replyTo()} is not blank;</li>
	 * <li>a stored state becomes fetchable when its message arrives, not when {@code store} returns, so the
	 * cases wait for it (still in the order stored: a later state never arrives before an earlier one);</li>
	 * <li>a state stored without a {@code reply_to} reaches nobody, where a storing backend keeps it.</li>
	 * </ul>
	 * @return whether results go to the sender only
	 */
	protected boolean deliversResultsToTheSenderOnly() {
		return false;
	}

	/**
	 * Whether fetched results carry the {@code date_done} they were stored with. {@code true} by default; a
	 * backend whose wire format has no such field (Celery's {@code rpc} result messages carry task_id, status,
	 * result, traceback and children only) returns {@code false}, and the cases then expect none.
	 * @return whether {@code date_done} is kept
	 */
	protected boolean keepsDateDone() {
		return true;
	}

	/**
	 * Whether groups can be saved and restored ({@code GroupResult.save()}). {@code true} by default; Celery's
	 * {@code rpc} cannot, and neither can ours: the cases then expect {@link UnsupportedOperationException}.
	 * @return whether groups are saved
	 */
	protected boolean savesGroups() {
		return true;
	}

	/**
	 * Whether a result keeps the {@code group_id} and {@code parent_id} it was stored with. {@code true} by default;
	 * Celery's {@code rpc} result messages carry neither (only task_id, status, result, traceback and children).
	 * @return whether the workflow's ids are kept
	 */
	protected boolean keepsWorkflowIds() {
		return true;
	}

	@BeforeEach
	void createTheBackend() {
		this.backend = createBackend();
	}

	@AfterEach
	void closeTheBackend() throws Exception {
		close(backend());
	}

	@Test
	void reportsItselfUpWhileItsServerAnswers() {
		ComponentStatus status = backend().status();
		assertThat(status.up()).as("up: %s", status).isTrue();
		assertThat(status.error()).isNull();
	}

	@Test
	void aStoredSuccessIsFetchedWithItsValue() {
		Map<String, Object> nested = new LinkedHashMap<>();
		nested.put("name", "\u00e9t\u00e9");
		nested.put("values", List.of(1, "two", 2.5, true));
		nested.put("nothing", null);
		List<Object> values = Arrays.asList(5, 1099511627776L, "text", List.of(1, 2), nested, null);
		for (Object value : values) {
			String id = id();
			TaskResult fetched = storeAndFetch(TaskResult.success(id, value, DONE));
			assertThat(fetched.taskId()).isEqualTo(id);
			assertThat(fetched.state()).isEqualTo(TaskState.SUCCESS);
			assertThat(fetched.result()).isEqualTo(value);
			assertThat(fetched.traceback()).isNull();
			assertThat(fetched.dateDone()).isEqualTo(keepsDateDone() ? DONE : null);
			assertThat(fetched.toFailure()).isNull();
		}
	}

	@Test
	void aFailureIsFetchedWithItsTaskFailure() {
		String id = id();
		TaskResult fetched = storeAndFetch(TaskResult.failure(id, new IllegalStateException("boom"), DONE));
		assertThat(fetched.taskId()).isEqualTo(id);
		assertThat(fetched.state()).isEqualTo(TaskState.FAILURE);
		assertThat(fetched.result()).isEqualTo(
				Map.of("exc_type", "IllegalStateException", "exc_module", "java.lang", "exc_message", List.of("boom")));
		assertThat(fetched.traceback()).contains("java.lang.IllegalStateException: boom");
		assertThat(fetched.dateDone()).isEqualTo(keepsDateDone() ? DONE : null);
		TaskFailure failure = fetched.toFailure();
		assertThat(failure).isNotNull();
		assertThat(failure.type()).isEqualTo("java.lang.IllegalStateException");
		assertThat(failure.message()).isEqualTo("boom");
		assertThat(failure.traceback()).isEqualTo(fetched.traceback());
	}

	@Test
	void aPythonFailureIsFetchedWithItsTaskFailure() {
		String id = id();
		String traceback = "Traceback (most recent call last):\n  File \"tasks.py\", line 3\nValueError: bad";
		TaskResult fetched = storeAndFetch(TaskResult.failure(id, "ValueError", "builtins", "bad", traceback, DONE));
		assertThat(fetched.state()).isEqualTo(TaskState.FAILURE);
		assertThat(fetched.traceback()).isEqualTo(traceback);
		assertThat(fetched.toFailure()).isEqualTo(new TaskFailure("ValueError", "bad", traceback));
	}

	@Test
	void aRevokedTaskIsFetchedAsRevoked() {
		String id = id();
		TaskResult fetched = storeAndFetch(TaskResult.revoked(id, "revoked", DONE));
		assertThat(fetched.state()).isEqualTo(TaskState.REVOKED);
		assertThat(fetched.dateDone()).isEqualTo(keepsDateDone() ? DONE : null);
		assertThat(fetched.toFailure())
			.isEqualTo(new TaskFailure("celery.exceptions.TaskRevokedError", "revoked", null));
	}

	@Test
	void startedAndRetryStatesAreStoredAndReplacedByLaterOnes() {
		String id = id();
		TaskResult started = storeAndFetch(TaskResult.started(id, "worker@host", 42));
		assertThat(started.state()).isEqualTo(TaskState.STARTED);
		assertThat(started.result()).isInstanceOfSatisfying(Map.class, (worker) -> {
			assertThat(worker.get("hostname")).isEqualTo("worker@host");
			assertThat(worker.get("pid")).isInstanceOfSatisfying(Number.class,
					(pid) -> assertThat(pid.longValue()).isEqualTo(42));
		});
		assertThat(started.dateDone()).isNull();
		assertThat(started.toFailure()).isNull();
		TaskResult retry = storeAndFetch(TaskResult.retry(id, new IllegalStateException("again")));
		assertThat(retry.state()).isEqualTo(TaskState.RETRY);
		assertThat(retry.dateDone()).isNull();
		assertThat(retry.toFailure()).isNotNull()
			.satisfies((failure) -> assertThat(failure.message()).isEqualTo("again"));
		TaskResult failed = storeAndFetch(TaskResult.failure(id, new IllegalStateException("then"), DONE));
		assertThat(failed.state()).isEqualTo(TaskState.FAILURE);
		assertThat(failed.toFailure()).isNotNull()
			.satisfies((failure) -> assertThat(failure.message()).isEqualTo("then"));
	}

	@Test
	void aStateOfTheTasksOwnIsKeptWithItsMetaAndIsNotFinal() {
		String id = id();
		// as Celery 5.2.6 writes it for self.update_state(state='PROGRESS', meta={'current': 3, 'total': 10})
		Map<String, @Nullable Object> document = new LinkedHashMap<>();
		document.put("status", "PROGRESS");
		document.put("result", Map.of("current", 3, "total", 10));
		document.put("traceback", null);
		document.put("children", List.of());
		document.put("date_done", null);
		document.put("task_id", id);
		CompletableFuture<TaskResult> ready = backend().whenReady(id);
		TaskResult progress = storeAndFetch(TaskResult.fromDocument(document));
		assertThat(progress.status()).isEqualTo("PROGRESS");
		assertThat(progress.state()).isEqualTo(TaskState.CUSTOM);
		assertThat(progress.state().isReady()).isFalse();
		assertThat(progress.result()).isInstanceOfSatisfying(Map.class, (meta) -> {
			assertThat(((Number) meta.get("current")).intValue()).isEqualTo(3);
			assertThat(((Number) meta.get("total")).intValue()).isEqualTo(10);
		});
		assertThat(progress.toFailure()).isNull();
		assertThat(progress.toDocument()).containsEntry("status", "PROGRESS");
		await().during(QUIET).atMost(QUIET.plus(WAIT)).until(() -> !ready.isDone());
		store(TaskResult.success(id, 10, DONE));
		assertThat(ready).succeedsWithin(WAIT)
			.satisfies((done) -> assertThat(done.state()).isEqualTo(TaskState.SUCCESS));
	}

	@Test
	void anUnknownTaskIsPending() {
		String id = id();
		assertThat(backend().fetch(id)).isNull();
		CompletableFuture<TaskResult> ready = backend().whenReady(id);
		await().during(QUIET).atMost(QUIET.plus(WAIT)).until(() -> !ready.isDone());
		assertThat(backend().fetch(id)).isNull();
	}

	@Test
	void resultsCarryCelerysDocumentFields() {
		String id = id();
		TaskResult fetched = storeAndFetch(TaskResult.success(id, List.of(1, 2), DONE));
		Map<String, Object> document = fetched.toDocument();
		assertThat(document).containsOnlyKeys("status", "result", "traceback", "children", "date_done", "task_id");
		assertThat(document.keySet()).containsExactly("status", "result", "traceback", "children", "date_done",
				"task_id");
		assertThat(document.get("task_id")).isEqualTo(id);
		assertThat(document.get("status")).isEqualTo("SUCCESS");
		assertThat(document.get("result")).isEqualTo(List.of(1, 2));
		assertThat(document.get("traceback")).isNull();
		assertThat(document.get("children")).isEqualTo(List.of());
		assertThat(document.get("date_done")).isEqualTo(keepsDateDone() ? "2026-11-23T23:02:54.862621" : null);
		assertThat(TaskResult.fromDocument(document)).isEqualTo(fetched);
		String failedId = id();
		Map<String, Object> failure = storeAndFetch(TaskResult.failure(failedId, new IllegalArgumentException("no"),
				DONE)).toDocument();
		assertThat(failure.get("task_id")).isEqualTo(failedId);
		assertThat(failure.get("status")).isEqualTo("FAILURE");
		assertThat(failure.get("result")).isEqualTo(Map.of("exc_type", "IllegalArgumentException", "exc_module",
				"java.lang", "exc_message", List.of("no")));
		assertThat(failure.get("traceback")).asString().contains("java.lang.IllegalArgumentException: no");
	}

	@Test
	void storeAsyncCompletesAndTheResultIsThenFetchable() {
		String id = id();
		CompletableFuture<Void> stored = backend().storeAsync(TaskResult.success(id, 7, DONE), backend().replyTo());
		assertThat(stored).succeedsWithin(WAIT);
		TaskResult fetched = fetchStored(id, TaskState.SUCCESS);
		assertThat(fetched.result()).isEqualTo(7);
		assertThat(fetched.dateDone()).isEqualTo(keepsDateDone() ? DONE : null);
	}

	@Test
	void manyStoresUnderWayAtOnceAllLandAndWakeTheirWaiters() {
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			ids.add(id());
		}
		List<CompletableFuture<TaskResult>> waiting = ids.stream().map(backend()::whenReady).toList();
		List<CompletableFuture<Void>> stored = ids.stream()
			.map((id) -> backend().storeAsync(TaskResult.success(id, id, DONE), backend().replyTo()))
			.toList();
		assertThat(CompletableFuture.allOf(stored.toArray(CompletableFuture[]::new))).succeedsWithin(WAIT);
		for (int i = 0; i < ids.size(); i++) {
			String id = ids.get(i);
			assertThat(waiting.get(i)).succeedsWithin(WAIT).satisfies((result) -> {
				assertThat(result.taskId()).isEqualTo(id);
				assertThat(result.state()).isEqualTo(TaskState.SUCCESS);
				assertThat(result.result()).isEqualTo(id);
			});
			assertThat(fetchStored(id, TaskState.SUCCESS).result()).isEqualTo(id);
		}
	}

	@Test
	void whenReadyCompletesOnAFinalStateStoredLater() {
		String id = id();
		CompletableFuture<TaskResult> ready = backend().whenReady(id);
		assertThat(ready).isNotDone();
		store(TaskResult.started(id, "worker@host", 42));
		store(TaskResult.retry(id, new IllegalStateException("again")));
		awaitEarlierStores();
		// neither is final: the waiter waits on
		await().during(QUIET).atMost(QUIET.plus(WAIT)).until(() -> !ready.isDone());
		store(TaskResult.success(id, List.of(1, 2), DONE));
		assertThat(ready).succeedsWithin(WAIT).satisfies((result) -> {
			assertThat(result.taskId()).isEqualTo(id);
			assertThat(result.state()).isEqualTo(TaskState.SUCCESS);
			assertThat(result.result()).isEqualTo(List.of(1, 2));
		});
	}

	@Test
	void whenReadyCompletesOnEveryFinalState() {
		String failed = id();
		String revoked = id();
		CompletableFuture<TaskResult> failure = backend().whenReady(failed);
		CompletableFuture<TaskResult> revocation = backend().whenReady(revoked);
		store(TaskResult.failure(failed, new IllegalStateException("boom"), DONE));
		store(TaskResult.revoked(revoked, "expired", DONE));
		assertThat(failure).succeedsWithin(WAIT).satisfies((result) -> {
			assertThat(result.state()).isEqualTo(TaskState.FAILURE);
			assertThat(result.toFailure()).isNotNull()
				.satisfies((why) -> assertThat(why.type()).isEqualTo("java.lang.IllegalStateException"));
		});
		assertThat(revocation).succeedsWithin(WAIT).satisfies((result) -> {
			assertThat(result.state()).isEqualTo(TaskState.REVOKED);
			assertThat(result.toFailure()).isNotNull()
				.satisfies((why) -> assertThat(why.message()).isEqualTo("expired"));
		});
	}

	@Test
	void whenReadyCompletesAtOnceForAStoredResult() {
		String id = id();
		storeAndFetch(TaskResult.success(id, "done", DONE));
		CompletableFuture<TaskResult> ready = backend().whenReady(id);
		assertThat(ready).isCompleted();
		TaskResult result = ready.join();
		assertThat(result.taskId()).isEqualTo(id);
		assertThat(result.state()).isEqualTo(TaskState.SUCCESS);
		assertThat(result.result()).isEqualTo("done");
	}

	@Test
	void aStoredSuccessIsFinal() {
		String id = id();
		storeAndFetch(TaskResult.success(id, "first", DONE));
		store(TaskResult.failure(id, new IllegalStateException("late"), DONE));
		store(TaskResult.revoked(id, "revoked", DONE));
		store(TaskResult.started(id, "worker@host", 42));
		store(TaskResult.retry(id, new IllegalStateException("again")));
		store(TaskResult.success(id, "second", DONE));
		assertThat(backend().storeAsync(TaskResult.failure(id, new IllegalStateException("later"), DONE),
				backend().replyTo()))
			.succeedsWithin(WAIT);
		awaitEarlierStores();
		TaskResult fetched = backend().fetch(id);
		assertThat(fetched).isNotNull();
		assertThat(fetched.state()).isEqualTo(TaskState.SUCCESS);
		assertThat(fetched.result()).isEqualTo("first");
		assertThat(backend().whenReady(id)).succeedsWithin(WAIT)
			.satisfies((result) -> assertThat(result.result()).isEqualTo("first"));
	}

	@Test
	void forgetRemovesTheResult() {
		String id = id();
		storeAndFetch(TaskResult.success(id, Map.of("a", 1), DONE));
		backend().forget(id);
		assertThat(backend().fetch(id)).isNull();
		// forgotten, not final any more: the task's id can be stored again
		TaskResult again = storeAndFetch(TaskResult.failure(id, new IllegalStateException("again"), DONE));
		assertThat(again.state()).isEqualTo(TaskState.FAILURE);
		assertThatNoException().isThrownBy(() -> backend().forget(id()));
	}

	@Test
	void aResultStoredWithoutReplyToIsFetchableUnlessResultsGoToTheSenderOnly() {
		String id = id();
		backend().store(TaskResult.success(id, "anywhere", DONE));
		if (!deliversResultsToTheSenderOnly()) {
			TaskResult fetched = backend().fetch(id);
			assertThat(fetched).isNotNull();
			assertThat(fetched.result()).isEqualTo("anywhere");
			return;
		}
		assertThat(backend().replyTo()).isNotBlank().isEqualTo(backend().replyTo());
		// nobody asked for it: it is sent nowhere, and a state stored later with the address still arrives
		awaitEarlierStores();
		assertThat(backend().fetch(id)).isNull();
	}

	@Test
	void aResultKeepsItsGroupParentAndChildren() {
		String id = id();
		List<Object> children = List.of(ResultTuples.task("child-1"), ResultTuples.group("group-1", List.of("a", "b")));
		TaskResult fetched = storeAndFetch(
				TaskResult.success(id, 1, DONE).withWorkflow("the-group", "the-parent", children));
		assertThat(fetched.children()).isEqualTo(children);
		assertThat(fetched.childIds()).containsExactly("child-1", "group-1");
		if (keepsWorkflowIds()) {
			assertThat(fetched.groupId()).isEqualTo("the-group");
			assertThat(fetched.parentId()).isEqualTo("the-parent");
		}
		else {
			assertThat(fetched.groupId()).isNull();
			assertThat(fetched.parentId()).isNull();
		}
	}

	@Test
	void aSavedGroupIsRestoredWithItsMembersInOrderUntilDeleted() {
		String groupId = id();
		List<String> members = List.of(id(), id(), id());
		if (!savesGroups()) {
			assertThatThrownBy(() -> backend().saveGroup(groupId, members))
				.isInstanceOf(UnsupportedOperationException.class);
			return;
		}
		assertThat(backend().restoreGroup(groupId)).isNull();
		backend().saveGroup(groupId, members);
		assertThat(backend().restoreGroup(groupId)).containsExactlyElementsOf(members);
		backend().forgetGroup(groupId);
		assertThat(backend().restoreGroup(groupId)).isNull();
	}

	@Test
	void aChordsHeaderIsCompletedOnceByItsLastPartWithEveryOutcomeInHeaderOrder() {
		String groupId = id();
		TaskResult first = TaskResult.success(id(), 10, null);
		TaskResult second = TaskResult.failure(id(), new IllegalStateException("boom"), null);
		TaskResult third = TaskResult.success(id(), List.of(3), null);
		if (!backend().joinsChordsNatively()) {
			assertThatThrownBy(() -> backend().chordPartReturned(groupId, 0, first))
				.isInstanceOf(UnsupportedOperationException.class);
			return;
		}
		backend().setChordSize(groupId, 3);
		assertThat(backend().chordPartReturned(groupId, 2, third)).isNull();
		assertThat(backend().chordPartReturned(groupId, 0, first)).isNull();
		// a part reported again (its message redelivered) counts once
		assertThat(backend().chordPartReturned(groupId, 0, first)).isNull();
		List<TaskResult> header = backend().chordPartReturned(groupId, 1, second);
		assertThat(header).extracting(TaskResult::taskId)
			.containsExactly(first.taskId(), second.taskId(), third.taskId());
		assertThat(header).extracting(TaskResult::status).containsExactly("SUCCESS", "FAILURE", "SUCCESS");
		assertThat(header.get(0).result()).isEqualTo(10);
		assertThat(header.get(1).toFailure().message()).isEqualTo("boom");
		assertThat(header.get(2).result()).isEqualTo(List.of(3));
		// completed once: a late part finds no join left
		assertThat(backend().chordPartReturned(groupId, 2, third)).isNull();
	}

	/**
	 * Store a state as a worker does for a task this application's client sent.
	 * @param result the state
	 */
	private void store(TaskResult result) {
		backend().store(result, backend().replyTo());
	}

	/**
	 * Store a state and fetch it back.
	 */
	private TaskResult storeAndFetch(TaskResult result) {
		store(result);
		return fetchStored(result.taskId(), result.state());
	}

	/**
	 * The state just stored for a task: fetched at once from a backend that stores, awaited from one that sends
	 * results to the sender.
	 */
	private TaskResult fetchStored(String id, TaskState state) {
		if (!deliversResultsToTheSenderOnly()) {
			TaskResult fetched = backend().fetch(id);
			assertThat(fetched).as("the %s result of %s, once stored", state, id).isNotNull();
			return fetched;
		}
		return await().atMost(WAIT)
			.until(() -> backend().fetch(id), (fetched) -> fetched != null && fetched.state() == state);
	}

	/**
	 * Wait until every state stored so far has reached the backend: a state stored now for another task is
	 * fetchable only after them (on a backend that sends results, they arrive in the order sent).
	 */
	private void awaitEarlierStores() {
		String marker = id();
		store(TaskResult.success(marker, "marker", DONE));
		assertThat(fetchStored(marker, TaskState.SUCCESS).result()).isEqualTo("marker");
	}

	private ResultBackend backend() {
		assertThat(this.backend).as("the backend of this test").isNotNull();
		return this.backend;
	}

	private static String id() {
		return UUID.randomUUID().toString();
	}

}
