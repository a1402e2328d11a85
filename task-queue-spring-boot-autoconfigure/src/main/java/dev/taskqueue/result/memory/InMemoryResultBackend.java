package dev.taskqueue.result.memory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import dev.taskqueue.TaskState;
import dev.taskqueue.result.ResultBackend;
import dev.taskqueue.result.TaskResult;

/**
 * Results kept in the application's memory, each for {@code taskqueue.result-expires}. Expired results are
 * removed as results are stored, so the map does not grow without bound; waiters are woken by the store.
 */
public class InMemoryResultBackend implements ResultBackend {

	private final ConcurrentMap<String, Stored> results = new ConcurrentHashMap<>();

	private final ConcurrentMap<String, Waiter> waiters = new ConcurrentHashMap<>();

	private final Duration expires;

	private final Clock clock;

	private volatile Instant nextSweep;

	/**
	 * Create a backend.
	 * @param expires how long a result is kept
	 * @param clock the clock results expire by
	 */
	public InMemoryResultBackend(Duration expires, Clock clock) {
		this.expires = expires;
		this.clock = clock;
		this.nextSweep = clock.instant().plus(sweepInterval());
	}

	@Override
	public void store(TaskResult result) {
		Instant now = this.clock.instant();
		Stored stored = new Stored(result, now.plus(this.expires));
		// the first result of a task (usually its only one) needs no compute: it takes no lock on a free bin
		if (this.results.putIfAbsent(result.taskId(), stored) != null) {
			this.results.compute(result.taskId(), (id, current) -> {
				if (current != null && current.result().state() == TaskState.SUCCESS && !current.isExpiredAt(now)) {
					return current;
				}
				return stored;
			});
		}
		if (result.state().isReady()) {
			Waiter waiter = this.waiters.remove(result.taskId());
			if (waiter != null) {
				waiter.future().complete(fetch(result.taskId()));
			}
		}
		sweepIfDue(now);
	}

	@Override
	public TaskResult fetch(String taskId) {
		Stored stored = this.results.get(taskId);
		if (stored == null) {
			return null;
		}
		if (stored.isExpiredAt(this.clock.instant())) {
			this.results.remove(taskId, stored);
			return null;
		}
		return stored.result();
	}

	@Override
	public CompletableFuture<TaskResult> whenReady(String taskId) {
		Waiter waiter = this.waiters.computeIfAbsent(taskId,
				(id) -> new Waiter(new CompletableFuture<>(), this.clock.instant()));
		// a store between the two lines is seen here: the future completes either way
		TaskResult current = fetch(taskId);
		if (current != null && current.state().isReady()) {
			this.waiters.remove(taskId, waiter);
			waiter.future().complete(current);
		}
		return waiter.future().thenApply((result) -> result);
	}

	@Override
	public void forget(String taskId) {
		this.results.remove(taskId);
	}

	/**
	 * How many results are held, expired ones included until the next sweep.
	 * @return the number of results
	 */
	public int size() {
		return this.results.size();
	}

	private void sweepIfDue(Instant now) {
		if (now.isBefore(this.nextSweep)) {
			return;
		}
		this.nextSweep = now.plus(sweepInterval());
		this.results.values().removeIf((stored) -> stored.isExpiredAt(now));
		Instant abandoned = now.minus(this.expires);
		this.waiters.values().removeIf((waiter) -> waiter.since().isBefore(abandoned));
	}

	private Duration sweepInterval() {
		Duration tenth = this.expires.dividedBy(10);
		return (tenth.compareTo(Duration.ofMinutes(1)) < 0) ? tenth : Duration.ofMinutes(1);
	}

	private record Stored(TaskResult result, Instant expiresAt) {

		boolean isExpiredAt(Instant now) {
			return !this.expiresAt.isAfter(now);
		}

	}

	private record Waiter(CompletableFuture<TaskResult> future, Instant since) {
	}

}
