package dev.taskqueue.broker;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;

/**
 * The prefetch slots of one consumer thread: a counting semaphore whose single taker can ask to be woken
 * only once several slots are free, so that a settle does not wake the consumer for every message.
 * Lock-free: a release is one atomic add, plus an unpark only when the waiting consumer can go on.
 */
final class PrefetchSlots {

	private final AtomicInteger free;

	/** How many free slots the parked consumer waits for; 0 when it does not wait. */
	private volatile int wanted;

	private volatile @Nullable Thread taker;

	PrefetchSlots(int slots) {
		this.free = new AtomicInteger(slots);
	}

	/**
	 * Wait until at least {@code least} slots are free, then take up to {@code most} of them; after
	 * {@code lingerNanos} of waiting, one free slot is enough. Called by one thread only.
	 * @param least how many free slots to wait for (at least 1)
	 * @param most the most slots to take
	 * @param lingerNanos how long to wait for {@code least} slots before settling for one
	 * @return how many slots were taken, at least 1 and at most {@code most}
	 * @throws InterruptedException if interrupted while waiting
	 */
	int acquire(int least, int most, long lingerNanos) throws InterruptedException {
		long deadline = (least > 1) ? System.nanoTime() + lingerNanos : 0;
		while (true) {
			if (least > 1 && System.nanoTime() - deadline >= 0) {
				least = 1;
			}
			int taken = tryTake(least, most);
			if (taken > 0) {
				return taken;
			}
			this.taker = Thread.currentThread();
			this.wanted = least;
			try {
				// checked again after saying what it waits for: a release in between either sees the wish or
				// is seen here
				taken = tryTake(least, most);
				if (taken > 0) {
					return taken;
				}
				if (least > 1) {
					LockSupport.parkNanos(this, deadline - System.nanoTime());
				}
				else {
					LockSupport.park(this);
				}
			}
			finally {
				this.wanted = 0;
			}
			if (Thread.interrupted()) {
				throw new InterruptedException();
			}
		}
	}

	private int tryTake(int least, int most) {
		while (true) {
			int available = this.free.get();
			if (available < least) {
				return 0;
			}
			int taken = Math.min(available, most);
			if (this.free.compareAndSet(available, available - taken)) {
				return taken;
			}
		}
	}

	/**
	 * Give slots back, waking the consumer if it now has what it waits for.
	 * @param slots how many
	 */
	void release(int slots) {
		if (slots == 0) {
			return;
		}
		int available = this.free.addAndGet(slots);
		int least = this.wanted;
		if (least > 0 && available >= least) {
			LockSupport.unpark(this.taker);
		}
	}

}
