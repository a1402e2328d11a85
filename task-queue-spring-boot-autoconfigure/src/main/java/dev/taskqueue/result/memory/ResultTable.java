package dev.taskqueue.result.memory;

import java.time.Instant;
import java.util.function.LongPredicate;

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
		if (result.state() != TaskState.SUCCESS || result.traceback() != null || done == null
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
	TaskResult fetch(String id, long now) {
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
	 * One stripe: a linear-probing table at most half full. Slot {@code i} holds its hash in
	 * {@code hashes[i]} (0: free), its id and result in {@code entries[2i]} and {@code entries[2i + 1]} (one
	 * cache line), its expiry in {@code expiries[i]}. The result is a {@link TaskResult} if {@code dones[i]} is
	 * {@link #WHOLE}, otherwise a SUCCESS's value, done at {@code dones[i]}.
	 */
	private static final class Stripe {

		private static final int INITIAL_CAPACITY = 16;

		private int[] hashes = new int[INITIAL_CAPACITY];

		private Object[] entries = new Object[2 * INITIAL_CAPACITY];

		private long[] expiries = new long[INITIAL_CAPACITY];

		private long[] dones = new long[INITIAL_CAPACITY];

		private int size;

		synchronized void store(String id, int hash, Object result, long done, long now, long expiresAt) {
			int slot = find(id, hash);
			if (slot >= 0) {
				if (!isSuccess(slot) || this.expiries[slot] <= now) {
					this.entries[2 * slot + 1] = result;
					this.expiries[slot] = expiresAt;
					this.dones[slot] = done;
				}
				return;
			}
			if (2 * (this.size + 1) > this.hashes.length) {
				resize(2 * this.hashes.length);
			}
			insert(hash, id, result, expiresAt, done);
			this.size++;
		}

		private boolean isSuccess(int slot) {
			return this.dones[slot] != WHOLE
					|| ((TaskResult) this.entries[2 * slot + 1]).state() == TaskState.SUCCESS;
		}

		private TaskResult resultAt(int slot) {
			Object result = this.entries[2 * slot + 1];
			long done = this.dones[slot];
			if (done == WHOLE) {
				return (TaskResult) result;
			}
			Instant dateDone = Instant.ofEpochSecond(Math.floorDiv(done, 1_000_000_000L),
					Math.floorMod(done, 1_000_000_000L));
			return TaskResult.success((String) this.entries[2 * slot], result, dateDone);
		}

		synchronized TaskResult fetch(String id, int hash, long now) {
			int slot = find(id, hash);
			if (slot < 0) {
				return null;
			}
			if (this.expiries[slot] <= now) {
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
			for (int i = 0; i < this.hashes.length; i++) {
				if (this.hashes[i] != 0 && !expired.test(this.expiries[i])) {
					kept++;
				}
			}
			if (kept == this.size) {
				return;
			}
			// rebuilt rather than deleted one by one: a table that shrank by a lot gets smaller too
			int[] oldHashes = this.hashes;
			Object[] oldEntries = this.entries;
			long[] oldExpiries = this.expiries;
			long[] oldDones = this.dones;
			allocate(capacityFor(kept));
			for (int i = 0; i < oldHashes.length; i++) {
				if (oldHashes[i] != 0 && !expired.test(oldExpiries[i])) {
					insert(oldHashes[i], oldEntries[2 * i], oldEntries[2 * i + 1], oldExpiries[i], oldDones[i]);
				}
			}
			this.size = kept;
		}

		synchronized int size() {
			return this.size;
		}

		private int find(String id, int hash) {
			int mask = this.hashes.length - 1;
			for (int i = hash & mask;; i = (i + 1) & mask) {
				int h = this.hashes[i];
				if (h == 0) {
					return -1;
				}
				if (h == hash && id.equals(this.entries[2 * i])) {
					return i;
				}
			}
		}

		private void insert(int hash, Object id, Object result, long expiresAt, long done) {
			int mask = this.hashes.length - 1;
			int i = hash & mask;
			while (this.hashes[i] != 0) {
				i = (i + 1) & mask;
			}
			this.hashes[i] = hash;
			this.entries[2 * i] = id;
			this.entries[2 * i + 1] = result;
			this.expiries[i] = expiresAt;
			this.dones[i] = done;
		}

		/**
		 * Empty a slot, moving back the entries after it that would no longer be found (Knuth's algorithm R
		 * for linear probing: no tombstones).
		 */
		private void delete(int slot) {
			int mask = this.hashes.length - 1;
			int free = slot;
			for (int i = (slot + 1) & mask; this.hashes[i] != 0; i = (i + 1) & mask) {
				int home = this.hashes[i] & mask;
				// the entry at i stays if its home lies cyclically in (free, i]
				boolean stays = (free <= i) ? (free < home && home <= i) : (free < home || home <= i);
				if (!stays) {
					this.hashes[free] = this.hashes[i];
					this.entries[2 * free] = this.entries[2 * i];
					this.entries[2 * free + 1] = this.entries[2 * i + 1];
					this.expiries[free] = this.expiries[i];
					this.dones[free] = this.dones[i];
					free = i;
				}
			}
			this.hashes[free] = 0;
			this.entries[2 * free] = null;
			this.entries[2 * free + 1] = null;
			this.size--;
		}

		private void resize(int capacity) {
			int[] oldHashes = this.hashes;
			Object[] oldEntries = this.entries;
			long[] oldExpiries = this.expiries;
			long[] oldDones = this.dones;
			allocate(capacity);
			for (int i = 0; i < oldHashes.length; i++) {
				if (oldHashes[i] != 0) {
					insert(oldHashes[i], oldEntries[2 * i], oldEntries[2 * i + 1], oldExpiries[i], oldDones[i]);
				}
			}
		}

		private void allocate(int capacity) {
			this.hashes = new int[capacity];
			this.entries = new Object[2 * capacity];
			this.expiries = new long[capacity];
			this.dones = new long[capacity];
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
