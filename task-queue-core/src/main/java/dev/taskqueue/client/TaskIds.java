package dev.taskqueue.client;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * New task ids: random (version 4) UUIDs, as Celery's {@code uuid4()}, drawn from the calling thread's
 * {@link ThreadLocalRandom} rather than {@link UUID#randomUUID()}'s shared {@code SecureRandom} (7.6 % of
 * a producer's time in the enqueue benchmark). An id names a task, it guards nothing: whoever can read
 * the broker or the result backend sees the ids anyway.
 */
final class TaskIds {

	private TaskIds() {
	}

	/**
	 * A new random UUID, in its usual text form.
	 * @return the id
	 */
	static String next() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		// version 4 in the high bits' third group, IETF variant in the low bits' first: as UUID.randomUUID()
		long high = (random.nextLong() & ~0xF000L) | 0x4000L;
		long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
		return new UUID(high, low).toString();
	}

}
