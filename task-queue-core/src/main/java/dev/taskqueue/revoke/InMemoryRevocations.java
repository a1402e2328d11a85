package dev.taskqueue.revoke;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * {@link Revocations} within one application: enough for the in-memory broker, where every worker
 * is in the same JVM. Revocations are forgotten once older than the window, as Celery's workers forget
 * theirs, so the set cannot grow without bound.
 */
public class InMemoryRevocations implements Revocations {

	private final Map<String, Instant> revoked = new ConcurrentHashMap<>();

	private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

	private final Duration window;

	private final Clock clock;

	/**
	 * Create revocations.
	 * @param window how long a revocation is kept ({@code taskqueue.worker.revocation-window})
	 * @param clock the clock the window is measured with
	 */
	public InMemoryRevocations(Duration window, Clock clock) {
		this.window = window;
		this.clock = clock;
	}

	@Override
	public void revoke(String taskId, boolean terminate) {
		revoke(taskId, terminate, this.clock.instant());
	}

	/**
	 * Record a revocation made at another time: one read back from a log that applications share (a Redis or
	 * RabbitMQ stream), so that it leaves the window when it would have where it was made.
	 * @param taskId the task's id
	 * @param terminate whether running tasks of that id are to be terminated
	 * @param revokedAt when it was revoked
	 */
	public void revoke(String taskId, boolean terminate, Instant revokedAt) {
		Instant now = this.clock.instant();
		this.revoked.values().removeIf((at) -> at.plus(this.window).isBefore(now));
		if (revokedAt.plus(this.window).isBefore(now)) {
			return;
		}
		this.revoked.merge(taskId, revokedAt, (known, given) -> known.isAfter(given) ? known : given);
		if (terminate) {
			this.listeners.forEach((listener) -> listener.accept(taskId));
		}
	}

	@Override
	public boolean isRevoked(String taskId) {
		Instant at = this.revoked.get(taskId);
		return at != null && !at.plus(this.window).isBefore(this.clock.instant());
	}

	/**
	 * The ids revoked within the window, read from memory.
	 */
	@Override
	public Set<String> revokedIds() {
		Instant oldest = this.clock.instant().minus(this.window);
		Set<String> ids = new HashSet<>();
		this.revoked.forEach((id, at) -> {
			if (!at.isBefore(oldest)) {
				ids.add(id);
			}
		});
		return ids;
	}

	@Override
	public void onTerminate(Consumer<String> listener) {
		this.listeners.add(listener);
	}

}
