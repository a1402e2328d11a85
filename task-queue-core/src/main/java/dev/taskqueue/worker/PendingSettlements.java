package dev.taskqueue.worker;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The deliveries whose settlement waits for something still under way (an outcome being stored without
 * blocking the task's thread), so that a stopping worker can wait for them as it waits for running tasks.
 */
final class PendingSettlements {

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition none = this.lock.newCondition();

	private int pending;

	/** One more settlement under way. */
	void begin() {
		this.lock.lock();
		try {
			this.pending++;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** A settlement done (either way). */
	void end() {
		this.lock.lock();
		try {
			if (--this.pending == 0) {
				this.none.signalAll();
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Whether no settlement is under way.
	 * @return {@code true} if none is
	 */
	boolean isEmpty() {
		this.lock.lock();
		try {
			return this.pending == 0;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Wait until no settlement is under way.
	 * @param timeout how long to wait at most
	 * @return whether none is left
	 * @throws InterruptedException if interrupted while waiting
	 */
	boolean await(Duration timeout) throws InterruptedException {
		long nanos = timeout.toNanos();
		this.lock.lock();
		try {
			while (this.pending > 0) {
				if (nanos <= 0) {
					return false;
				}
				nanos = this.none.awaitNanos(nanos);
			}
			return true;
		}
		finally {
			this.lock.unlock();
		}
	}

}
