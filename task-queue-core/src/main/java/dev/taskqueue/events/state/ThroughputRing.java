package dev.taskqueue.events.state;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Finished tasks counted in fixed ten-second buckets over the last ten minutes: a ring of slots, each remembering
 * which bucket (seconds since the epoch / 10) it counts, so that a slot left behind by the clock reads as zero and
 * is reset when reused. Guarded by {@link ClusterState}'s lock.
 */
final class ThroughputRing {

	static final int BUCKET_SECONDS = 10;

	static final int BUCKETS = 60;

	/** How many queues are counted at most: an application with more sees its other queues in the totals only. */
	static final int MAX_QUEUES = 256;

	private final long[] slotBucket = new long[BUCKETS];

	private final long[] succeeded = new long[BUCKETS];

	private final long[] failed = new long[BUCKETS];

	private final Map<String, long[]> perQueue = new HashMap<>();

	ThroughputRing() {
		Arrays.fill(this.slotBucket, -1);
	}

	static long bucketOf(Instant when) {
		return Math.floorDiv(when.getEpochSecond(), BUCKET_SECONDS);
	}

	/** Count one finished task in the bucket of {@code bucket}, if that bucket is still in the window. */
	void count(long bucket, long now, boolean failure) {
		int slot = slot(bucket, now);
		if (slot >= 0) {
			(failure ? this.failed : this.succeeded)[slot]++;
		}
	}

	/** Count one finished task of a queue, in {@code bucket}, if it is still in the window. */
	void countQueue(String queue, long bucket, long now) {
		int slot = slot(bucket, now);
		if (slot < 0) {
			return;
		}
		long[] counts = this.perQueue.get(queue);
		if (counts == null) {
			if (this.perQueue.size() >= MAX_QUEUES) {
				prune(now);
				if (this.perQueue.size() >= MAX_QUEUES) {
					return;
				}
			}
			counts = new long[BUCKETS];
			this.perQueue.put(queue, counts);
		}
		counts[slot]++;
	}

	/** The slot of a bucket in the window ending at {@code now}, reset if it held an older bucket; -1 if out. */
	private int slot(long bucket, long now) {
		if (bucket > now || bucket <= now - BUCKETS) {
			return -1;
		}
		int slot = (int) Math.floorMod(bucket, (long) BUCKETS);
		if (this.slotBucket[slot] != bucket) {
			this.slotBucket[slot] = bucket;
			this.succeeded[slot] = 0;
			this.failed[slot] = 0;
			for (long[] counts : this.perQueue.values()) {
				counts[slot] = 0;
			}
		}
		return slot;
	}

	Throughput read(long now) {
		long first = now - BUCKETS + 1;
		List<Long> succeeded = new ArrayList<>(BUCKETS);
		List<Long> failed = new ArrayList<>(BUCKETS);
		prune(now);
		Map<String, List<Long>> perQueue = new HashMap<>();
		for (Map.Entry<String, long[]> queue : this.perQueue.entrySet()) {
			perQueue.put(queue.getKey(), new ArrayList<>(BUCKETS));
		}
		for (long bucket = first; bucket <= now; bucket++) {
			int slot = (int) Math.floorMod(bucket, (long) BUCKETS);
			boolean current = this.slotBucket[slot] == bucket;
			succeeded.add(current ? this.succeeded[slot] : 0L);
			failed.add(current ? this.failed[slot] : 0L);
			for (Map.Entry<String, long[]> queue : this.perQueue.entrySet()) {
				perQueue.get(queue.getKey()).add(current ? queue.getValue()[slot] : 0L);
			}
		}
		return new Throughput(Instant.ofEpochSecond(first * BUCKET_SECONDS), Duration.ofSeconds(BUCKET_SECONDS),
				succeeded, failed, perQueue);
	}

	/** Forget the queues that counted nothing in the window. */
	private void prune(long now) {
		Iterator<long[]> queues = this.perQueue.values().iterator();
		while (queues.hasNext()) {
			long[] counts = queues.next();
			boolean any = false;
			for (int slot = 0; slot < BUCKETS && !any; slot++) {
				long bucket = this.slotBucket[slot];
				any = counts[slot] > 0 && bucket > now - BUCKETS && bucket <= now;
			}
			if (!any) {
				queues.remove();
			}
		}
	}

}
