package dev.taskqueue.result.memory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import dev.taskqueue.MovableClock;
import dev.taskqueue.TaskState;
import dev.taskqueue.result.TaskResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The in-memory result backend: results by id, SUCCESS final, expiry, waiters woken by the store.
 */
class InMemoryResultBackendTests {

	private static final Instant START = Instant.parse("2026-11-25T10:00:00Z");

	private final MovableClock clock = new MovableClock(START);

	private final InMemoryResultBackend backend = new InMemoryResultBackend(Duration.ofMinutes(10), this.clock);

	@Test
	void fetchesWhatWasStored() {
		this.backend.store(TaskResult.success("a", 5, START));
		this.backend.store(TaskResult.started("b", "host", 1));
		assertThat(this.backend.fetch("a")).isEqualTo(TaskResult.success("a", 5, START));
		assertThat(this.backend.fetch("b").state()).isEqualTo(TaskState.STARTED);
		assertThat(this.backend.fetch("c")).isNull();
	}

	@Test
	void laterStatesReplaceEarlierOnes() {
		this.backend.store(TaskResult.started("a", "host", 1));
		this.backend.store(TaskResult.retry("a", new IllegalStateException("again")));
		this.backend.store(TaskResult.failure("a", new IllegalStateException("boom"), START));
		assertThat(this.backend.fetch("a").state()).isEqualTo(TaskState.FAILURE);
		assertThat(this.backend.size()).isEqualTo(1);
	}

	@Test
	void successIsFinal() {
		this.backend.store(TaskResult.success("a", 5, START));
		this.backend.store(TaskResult.failure("a", new IllegalStateException("late"), START));
		this.backend.store(TaskResult.revoked("a", "revoked", START));
		assertThat(this.backend.fetch("a")).isEqualTo(TaskResult.success("a", 5, START));
	}

	@Test
	void anExpiredSuccessIsReplaced() {
		this.backend.store(TaskResult.success("a", 5, START));
		this.clock.advance(Duration.ofMinutes(10));
		this.backend.store(TaskResult.success("a", 6, this.clock.instant()));
		assertThat(this.backend.fetch("a").result()).isEqualTo(6);
	}

	@Test
	void resultsExpire() {
		this.backend.store(TaskResult.success("a", 5, START));
		this.clock.advance(Duration.ofMinutes(10).minusNanos(1));
		assertThat(this.backend.fetch("a")).isNotNull();
		this.clock.advance(Duration.ofNanos(1));
		assertThat(this.backend.fetch("a")).isNull();
		assertThat(this.backend.size()).isZero();
	}

	@Test
	void expiredResultsAreSweptAsResultsAreStored() {
		for (int i = 0; i < 1000; i++) {
			this.backend.store(TaskResult.success("old-" + i, i, START));
		}
		this.clock.advance(Duration.ofMinutes(10));
		this.backend.store(TaskResult.success("new", 1, this.clock.instant()));
		assertThat(this.backend.size()).isEqualTo(1);
		assertThat(this.backend.fetch("new").result()).isEqualTo(1);
		assertThat(this.backend.fetch("old-7")).isNull();
	}

	@Test
	void forgetRemovesTheResult() {
		this.backend.store(TaskResult.success("a", 5, START));
		this.backend.forget("a");
		assertThat(this.backend.fetch("a")).isNull();
		assertThat(this.backend.size()).isZero();
	}

	@Test
	void whenReadyIsWokenByAFinalState() {
		CompletableFuture<TaskResult> ready = this.backend.whenReady("a");
		this.backend.store(TaskResult.started("a", "host", 1));
		assertThat(ready).isNotDone();
		this.backend.store(TaskResult.success("a", 5, START));
		assertThat(ready).isCompletedWithValue(TaskResult.success("a", 5, START));
	}

	@Test
	void whenReadyCompletesAtOnceWhenTheResultIsThere() {
		this.backend.store(TaskResult.success("a", 5, START));
		assertThat(this.backend.whenReady("a")).isCompletedWithValue(TaskResult.success("a", 5, START));
	}

	@Test
	void hugeExpiriesNeverExpire() {
		InMemoryResultBackend forever = new InMemoryResultBackend(Duration.ofSeconds(Long.MAX_VALUE), this.clock);
		forever.store(TaskResult.success("a", 5, START));
		this.clock.advance(Duration.ofDays(365 * 100));
		assertThat(forever.fetch("a")).isNotNull();
	}

	@Test
	void concurrentStoresAreAllKept() throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(8);
		try {
			List<Future<?>> done = new ArrayList<>();
			for (int t = 0; t < 8; t++) {
				int thread = t;
				done.add(pool.submit(() -> {
					for (int i = 0; i < 20_000; i++) {
						this.backend.store(TaskResult.success(thread + "-" + i, i, START));
					}
				}));
			}
			for (Future<?> future : done) {
				future.get();
			}
		}
		finally {
			pool.shutdown();
		}
		assertThat(this.backend.size()).isEqualTo(160_000);
		for (int t = 0; t < 8; t++) {
			for (int i = 0; i < 20_000; i++) {
				assertThat(this.backend.fetch(t + "-" + i).result()).isEqualTo(i);
			}
		}
	}

}
