package dev.taskqueue.result.memory;

import java.time.Instant;
import java.util.function.LongPredicate;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.TaskState;
import dev.taskqueue.result.TaskResult;

/**
 * The results of {@link InMemoryResultBackend}, by task id, each with the time it expires at (nanoseconds
 * since the epoch). Striped by id: each stripe is an open-addressing table (linear probing) under its own
 * lock, its ids, results and expiry times in arrays, so a stored result costs no map node and no wrapper
 * object (a {@code ConcurrentHashMap} of wrappers was a quarter of a worker thread's time in the memory
 * broker's benchmark, most of it inserting and resizing, plus the garbage collector copying three more
 * objects per kept result). The usual result, a SUCCESS with no traceback, is kept as its value and its
 * {@code date_done} only (the {@code TaskResult} is made again when fetched): a result that waits for its
 * expiry then holds no object but its value, which the collector copies.
 */
final class ResultTable {

	private static final int STRIPES = 64;

	/** In {@code dones}: the slot holds a whole {@link TaskResult}, not a SUCCESS's value. */
	private static final long WHOLE = Long.MIN_VALUE;

	/** The epoch seconds beyond which an instant is not kept in nanoseconds. */
	private static final long MAX_SECONDS = Long.MAX_VALUE / 1_000_000_000L - 1;

	private final Stripe[] stripes = new Stripe[STRIPES];

	ResultTable() {
		for (int i = 0; i < STRIPES; i++) {
			this.stripes[i] = new Stripe();
		}
	}

	/**
	 * Store a result, unless a SUCCESS that has not expired is there already (a SUCCESS is final).
	 * @param result the result
	 * @param now the time now, in nanoseconds since the epoch
	 * @param expiresAt when the result expires, in nanoseconds since the epoch
	 */
	void store(TaskResult result, long now, long expiresAt) {
		String id = result.taskId();
		int hash = hash(id);
		long done = compactDone(result);
		stripe(hash).store(id, hash, (done != WHOLE) ? result.result() : result, done, now, expiresAt);
	}

	/**
	 * The {@code date_done} in nanoseconds since the epoch of a result kept as its value alone, or
	 * {@link #WHOLE} if the result is kept whole.
	 */
	private static long compactDone(TaskResult result) {
		Instant done = result.dateDone();
		if (result.state() != TaskState.SUCCESS || result.traceback() != null || result.hasWorkflow() || done == null
				|| Math.abs(done.getEpochSecond()) >= MAX_SECONDS) {
			return WHOLE;
		}
		return done.getEpochSecond() * 1_000_000_000L + done.getNano();
	}

	/**
	 * The result stored for a task; an expired one is removed and not returned.
	 * @param id the task id
	 * @param now the time now, in nanoseconds since the epoch
	 * @return the result, or {@code null}
	 */
	@Nullable TaskResult fetch(String id, long now) {
		int hash = hash(id);
		return stripe(hash).fetch(id, hash, now);
	}

	/**
	 * Remove a task's result.
	 * @param id the task id
	 */
	void remove(String id) {
		int hash = hash(id);
		stripe(hash).remove(id, hash);
	}

	/**
	 * Remove every result that has expired.
	 * @param now the time now, in nanoseconds since the epoch
	 */
	void removeExpired(long now) {
		for (Stripe stripe : this.stripes) {
			stripe.removeIf((expiresAt) -> expiresAt <= now);
		}
	}

	/**
	 * How many results are held, expired ones included until they are removed.
	 * @return the number of results
	 */
	int size() {
		int size = 0;
		for (Stripe stripe : this.stripes) {
			size += stripe.size();
		}
		return size;
	}

	private Stripe stripe(int hash) {
		// the low bits pick the slot within a stripe: the stripe comes from the high ones
		return this.stripes[hash >>> 26];
	}

	private static int hash(String id) {
		int h = id.hashCode() * 0x9E3779B9;
		h ^= (h >>> 16);
		// 0 marks a free slot
		return (h != 0) ? h : 1;
	}

	/**
	 * One stripe: a linear-probing table at most half full. Slot {@code i} holds its hash, expiry and
	 * {@code done} in {@code meta[3i]}, {@code meta[3i + 1]} and {@code meta[3i + 2]} (hash 0: a free slot),
	 * its id and result in {@code entries[2i]} and {@code entries[2i + 1]}: two cache lines to touch per
	 * insert, not one per field. The result is a {@link TaskResult} if {@code done} is {@link #WHOLE},
	 * otherwise a SUCCESS's value, done at {@code done}.
	 */
	private static final class Stripe {

		private static final int INITIAL_CAPACITY = 16;

		private long[] meta = new long[3 * INITIAL_CAPACITY];

		private @Nullable Object[] entries = new Object[2 * INITIAL_CAPACITY];

		private int capacity = INITIAL_CAPACITY;

		private int size;

		synchronized void store(String id, int hash, @Nullable Object result, long done, long now, long expiresAt) {
			int slot = find(id, hash);
			if (slot >= 0) {
				if (!isSuccess(slot) || this.meta[3 * slot + 1] <= now) {
					put(slot, hash, id, result, expiresAt, done);
				}
				return;
			}
			if (2 * (this.size + 1) > this.capacity) {
				resize(2 * this.capacity);
				slot = find(id, hash);
			}
			// not found: ~slot is the free slot that ended the probe
			put(~slot, hash, id, result, expiresAt, done);
			this.size++;
		}

		private boolean isSuccess(int slot) {
			return this.meta[3 * slot + 2] != WHOLE
					|| ((TaskResult) this.entries[2 * slot + 1]).state() == TaskState.SUCCESS;
		}

		private TaskResult resultAt(int slot) {
			Object result = this.entries[2 * slot + 1];
			long done = this.meta[3 * slot + 2];
			if (done == WHOLE) {
				return (TaskResult) result;
			}
			Instant dateDone = Instant.ofEpochSecond(Math.floorDiv(done, 1_000_000_000L),
					Math.floorMod(done, 1_000_000_000L));
			return TaskResult.success((String) this.entries[2 * slot], result, dateDone);
		}

		synchronized @Nullable TaskResult fetch(String id, int hash, long now) {
			int slot = find(id, hash);
			if (slot < 0) {
				return null;
			}
			if (this.meta[3 * slot + 1] <= now) {
				delete(slot);
				return null;
			}
			return resultAt(slot);
		}

		synchronized void remove(String id, int hash) {
			int slot = find(id, hash);
			if (slot >= 0) {
				delete(slot);
			}
		}

		synchronized void removeIf(LongPredicate expired) {
			int kept = 0;
			for (int i = 0; i < this.capacity; i++) {
				if (this.meta[3 * i] != 0 && !expired.test(this.meta[3 * i + 1])) {
					kept++;
				}
			}
			if (kept == this.size) {
				return;
			}
			// rebuilt rather than deleted one by one: a table that shrank by a lot gets smaller too
			rebuild(capacityFor(kept), expired);
			this.size = kept;
		}

		synchronized int size() {
			return this.size;
		}

		/**
		 * The slot holding this id, or {@code ~free} (negative) with the free slot that ended the probe.
		 */
		private int find(String id, int hash) {
			int mask = this.capacity - 1;
			for (int i = hash & mask;; i = (i + 1) & mask) {
				long h = this.meta[3 * i];
				if (h == 0) {
					return ~i;
				}
				if (h == hash && id.equals(this.entries[2 * i])) {
					return i;
				}
			}
		}

		private void put(int slot, long hash, Object id, @Nullable Object result, long expiresAt, long done) {
			this.meta[3 * slot] = hash;
			this.meta[3 * slot + 1] = expiresAt;
			this.meta[3 * slot + 2] = done;
			this.entries[2 * slot] = id;
			this.entries[2 * slot + 1] = result;
		}

		/**
		 * Empty a slot, moving back the entries after it that would no longer be found (Knuth's algorithm R
		 * for linear probing: no tombstones).
		 */
		private void delete(int slot) {
			int mask = this.capacity - 1;
			int free = slot;
			for (int i = (slot + 1) & mask; this.meta[3 * i] != 0; i = (i + 1) & mask) {
				int home = (int) this.meta[3 * i] & mask;
				// the entry at i stays if its home lies cyclically in (free, i]
				boolean stays = (free <= i) ? (free < home && home <= i) : (free < home || home <= i);
				if (!stays) {
					put(free, this.meta[3 * i], this.entries[2 * i], this.entries[2 * i + 1], this.meta[3 * i + 1],
							this.meta[3 * i + 2]);
					free = i;
				}
			}
			this.meta[3 * free] = 0;
			this.entries[2 * free] = null;
			this.entries[2 * free + 1] = null;
			this.size--;
		}

		private void resize(int capacity) {
			rebuild(capacity, (expiresAt) -> false);
		}

		/**
		 * Move the entries not dropped into new arrays of the given capacity.
		 */
		private void rebuild(int capacity, LongPredicate drop) {
			long[] oldMeta = this.meta;
			Object[] oldEntries = this.entries;
			int oldCapacity = this.capacity;
			this.meta = new long[3 * capacity];
			this.entries = new Object[2 * capacity];
			this.capacity = capacity;
			int mask = capacity - 1;
			for (int i = 0; i < oldCapacity; i++) {
				long hash = oldMeta[3 * i];
				if (hash != 0 && !drop.test(oldMeta[3 * i + 1])) {
					int slot = (int) hash & mask;
					while (this.meta[3 * slot] != 0) {
						slot = (slot + 1) & mask;
					}
					put(slot, hash, oldEntries[2 * i], oldEntries[2 * i + 1], oldMeta[3 * i + 1], oldMeta[3 * i + 2]);
				}
			}
		}

		private static int capacityFor(int size) {
			int capacity = INITIAL_CAPACITY;
			while (capacity < 2 * size) {
				capacity *= 2;
			}
			return capacity;
		}

	}

}
