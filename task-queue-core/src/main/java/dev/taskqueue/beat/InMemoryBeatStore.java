package dev.taskqueue.beat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * The {@link BeatStore} of one JVM, for {@code taskqueue.broker=memory}: the application leads itself, and
 * last runs last as long as it does. Several schedulers sharing one store (as tests do) compete for a lease
 * that expires by the clock given, as they would on a server.
 */
public class InMemoryBeatStore implements BeatStore {

	private final Clock clock;

	private final Map<String, Instant> lastRuns = new LinkedHashMap<>();

	private final Map<String, String> entries = new LinkedHashMap<>();

	private long tokens;

	private @Nullable BeatLease lease;

	private Instant expiry = Instant.MIN;

	/**
	 * Create a store.
	 * @param clock the clock leases expire by
	 */
	public InMemoryBeatStore(Clock clock) {
		this.clock = clock;
	}

	@Override
	public synchronized @Nullable BeatLease acquire(String owner, Duration duration) {
		if (current() != null) {
			return null;
		}
		this.lease = new BeatLease(++this.tokens, owner);
		this.expiry = this.clock.instant().plus(duration);
		return this.lease;
	}

	@Override
	public synchronized boolean renew(BeatLease lease, Duration duration) {
		if (!lease.equals(current())) {
			return false;
		}
		this.expiry = this.clock.instant().plus(duration);
		return true;
	}

	@Override
	public synchronized void release(BeatLease lease) {
		if (lease.equals(current())) {
			this.lease = null;
		}
	}

	@Override
	public synchronized @Nullable String leader() {
		BeatLease current = current();
		return (current != null) ? current.owner() : null;
	}

	@Override
	public synchronized Map<String, Instant> lastRuns() {
		return Map.copyOf(this.lastRuns);
	}

	@Override
	public synchronized boolean recordRun(BeatLease lease, String entry, @Nullable Instant expected, Instant lastRun) {
		if (!lease.equals(current()) || !Objects.equals(this.lastRuns.get(entry), expected)) {
			return false;
		}
		this.lastRuns.put(entry, lastRun);
		return true;
	}

	@Override
	public synchronized Map<String, String> entries() {
		return Map.copyOf(this.entries);
	}

	@Override
	public synchronized void putEntry(String name, String definition) {
		this.entries.put(name, definition);
	}

	@Override
	public synchronized void removeEntry(String name) {
		this.entries.remove(name);
		this.lastRuns.remove(name);
	}

	private @Nullable BeatLease current() {
		if (this.lease != null && !this.clock.instant().isBefore(this.expiry)) {
			this.lease = null;
		}
		return this.lease;
	}

}
