package dev.taskqueue.result.memory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.result.ResultBackend;
import dev.taskqueue.result.TaskResult;

/**
 * Results kept in the application's memory, each for {@code taskqueue.result-expires}. Expired results are
 * removed as results are stored, so the map does not grow without bound; waiters are woken by the store.
 * A stored SUCCESS is final until it expires. Chords are joined natively ({@link ChordJoins}), and saved groups
 * are kept for as long as results.
 */
public class InMemoryResultBackend implements ResultBackend {

	/** The epoch seconds beyond which a time in nanoseconds saturates. */
	private static final long MAX_SECONDS = Long.MAX_VALUE / 1_000_000_000L - 1;

	private final ResultTable results = new ResultTable();

	private final ConcurrentMap<String, Waiter> waiters = new ConcurrentHashMap<>();

	private final ConcurrentMap<String, SavedGroup> groups = new ConcurrentHashMap<>();

	private final ChordJoins chords = new ChordJoins();

	private final Duration expires;

	private final long expiresNanos;

	private final Clock clock;

	private volatile long nextSweep;

	/**
	 * Create a backend.
	 * @param expires how long a result is kept
	 * @param clock the clock results expire by
	 */
	public InMemoryResultBackend(Duration expires, Clock clock) {
		this.expires = expires;
		this.expiresNanos = saturatedNanos(expires);
		this.clock = clock;
		this.nextSweep = plus(now(), saturatedNanos(sweepInterval()));
	}

	@Override
	public void store(TaskResult result) {
		long now = now();
		this.results.store(result, now, plus(now, this.expiresNanos));
		if (result.state().isReady()) {
			Waiter waiter = this.waiters.remove(result.taskId());
			if (waiter != null) {
				waiter.future().complete(fetch(result.taskId()));
			}
		}
		sweepIfDue(now);
	}

	@Override
	public @Nullable TaskResult fetch(String taskId) {
		return this.results.fetch(taskId, now());
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

	@Override
	public boolean joinsChordsNatively() {
		return true;
	}

	@Override
	public void setChordSize(String groupId, int size) {
		this.chords.setSize(groupId, size, plus(now(), this.expiresNanos));
	}

	@Override
	public @Nullable List<TaskResult> chordPartReturned(String groupId, @Nullable Integer groupIndex,
			TaskResult result) {
		return this.chords.partReturned(groupId, groupIndex, result, plus(now(), this.expiresNanos));
	}

	@Override
	public void saveGroup(String groupId, List<String> taskIds) {
		this.groups.put(groupId, new SavedGroup(List.copyOf(taskIds), plus(now(), this.expiresNanos)));
	}

	@Override
	public @Nullable List<String> restoreGroup(String groupId) {
		SavedGroup group = this.groups.get(groupId);
		if (group == null || group.expiresAt() <= now()) {
			return null;
		}
		return group.taskIds();
	}

	@Override
	public void forgetGroup(String groupId) {
		this.groups.remove(groupId);
	}

	/**
	 * How many results are held, expired ones included until the next sweep.
	 * @return the number of results
	 */
	public int size() {
		return this.results.size();
	}

	private void sweepIfDue(long now) {
		if (now < this.nextSweep) {
			return;
		}
		this.nextSweep = plus(now, saturatedNanos(sweepInterval()));
		this.results.removeExpired(now);
		this.groups.values().removeIf((group) -> group.expiresAt() <= now);
		this.chords.removeExpired(now);
		Instant abandoned = this.clock.instant().minus(this.expires);
		this.waiters.values().removeIf((waiter) -> waiter.since().isBefore(abandoned));
	}

	private Duration sweepInterval() {
		Duration tenth = this.expires.dividedBy(10);
		return (tenth.compareTo(Duration.ofMinutes(1)) < 0) ? tenth : Duration.ofMinutes(1);
	}

	/**
	 * The clock's time in nanoseconds since the epoch (good until 2262), the unit results expire in.
	 */
	private long now() {
		Instant now = this.clock.instant();
		long seconds = now.getEpochSecond();
		if (seconds >= MAX_SECONDS || seconds <= -MAX_SECONDS) {
			return (seconds > 0) ? Long.MAX_VALUE : Long.MIN_VALUE;
		}
		return seconds * 1_000_000_000L + now.getNano();
	}

	private static long saturatedNanos(Duration duration) {
		try {
			return duration.toNanos();
		}
		catch (ArithmeticException ex) {
			return duration.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
		}
	}

	private static long plus(long nanos, long more) {
		long sum = nanos + more;
		// on overflow, the sum's sign differs from both operands'
		if (((nanos ^ sum) & (more ^ sum)) < 0) {
			return (more > 0) ? Long.MAX_VALUE : Long.MIN_VALUE;
		}
		return sum;
	}

	private record Waiter(CompletableFuture<TaskResult> future, Instant since) {
	}

	private record SavedGroup(List<String> taskIds, long expiresAt) {
	}

}
