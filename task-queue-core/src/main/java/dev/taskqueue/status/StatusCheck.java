package dev.taskqueue.status;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * A round trip to a server, bounded in time, for a transport's {@code status()}: the check runs on a thread of
 * its own and the caller waits at most the timeout, so that a health check never hangs on a server that does not
 * answer (Lettuce holds a command while it reconnects, for its command timeout of a minute; the AMQP client waits
 * its connection timeout, a minute too). A caller that comes while a check is under way, started less than the
 * timeout ago, waits for that one; a check older than that is left to end on its own and a new one starts, so
 * that a server that returns is seen at once, but never more than {@value #MOST_RUNNING} at a time, so that a
 * server that hangs does not pile up threads. Nothing is cached: each call after the last check ended starts a
 * new one.
 * <pre class="code">
 * StatusCheck check = new StatusCheck("Redis at 127.0.0.1:6379", Map.of("host", "127.0.0.1"), this::ping);
 * ComponentStatus status = check.status(); // down "Redis at 127.0.0.1:6379 did not answer within 3s" if it hangs
 * </pre>
 */
public final class StatusCheck {

	/** How long a caller waits for a check by default: a health check must answer within seconds. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(3);

	private final String server;

	private final Map<String, Object> address;

	private final Supplier<ComponentStatus> check;

	private final Duration timeout;

	/** The most checks under way at once: the newest, and those left to end on their own. */
	static final int MOST_RUNNING = 3;

	private final AtomicReference<Check> last = new AtomicReference<>(
			new Check(CompletableFuture.completedFuture(ComponentStatus.up(Map.of())), 0));

	private final AtomicInteger running = new AtomicInteger();

	/**
	 * Create a check that waits {@link #DEFAULT_TIMEOUT}.
	 * @param server what is checked, for the reason of a down status ("Redis at 127.0.0.1:6379")
	 * @param address what is known of the server without asking it (host, port), the details of a down status
	 * @param check the round trip; returns the status, or throws with the reason the server is down
	 */
	public StatusCheck(String server, Map<String, Object> address, Supplier<ComponentStatus> check) {
		this(server, address, check, DEFAULT_TIMEOUT);
	}

	/**
	 * Create a check.
	 * @param server what is checked, for the reason of a down status ("Redis at 127.0.0.1:6379")
	 * @param address what is known of the server without asking it (host, port), the details of a down status
	 * @param check the round trip; returns the status, or throws with the reason the server is down
	 * @param timeout the longest a caller waits
	 */
	public StatusCheck(String server, Map<String, Object> address, Supplier<ComponentStatus> check, Duration timeout) {
		this.server = server;
		this.address = Map.copyOf(address);
		this.check = check;
		this.timeout = timeout;
	}

	/**
	 * Check now, or join the check under way, and wait for it at most the timeout.
	 * @return what the check returned; down with the reason it threw, or down because it did not answer in time
	 */
	public ComponentStatus status() {
		CompletableFuture<ComponentStatus> future = current();
		try {
			return future.get(this.timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			return ComponentStatus.down(this.server + " did not answer within " + describe(this.timeout), this.address);
		}
		catch (ExecutionException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			return ComponentStatus.down(this.server + ": " + reason(cause), this.address);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return ComponentStatus.down("Interrupted while checking " + this.server, this.address);
		}
	}

	private CompletableFuture<ComponentStatus> current() {
		while (true) {
			Check last = this.last.get();
			if (!last.future().isDone() && (System.nanoTime() - last.startedNanos() < this.timeout.toNanos()
					|| this.running.get() >= MOST_RUNNING)) {
				return last.future();
			}
			Check next = new Check(new CompletableFuture<>(), System.nanoTime());
			if (this.last.compareAndSet(last, next)) {
				start(next.future());
				return next.future();
			}
		}
	}

	private void start(CompletableFuture<ComponentStatus> future) {
		this.running.incrementAndGet();
		Thread thread = new Thread(() -> {
			try {
				future.complete(this.check.get());
			}
			catch (Throwable ex) {
				future.completeExceptionally(ex);
			}
			finally {
				this.running.decrementAndGet();
			}
		}, "taskqueue-status-check");
		thread.setDaemon(true);
		thread.start();
	}

	/** A check under way or done, and when it started. */
	private record Check(CompletableFuture<ComponentStatus> future, long startedNanos) {
	}

	/**
	 * What went wrong, for an operator: the failure's message and, when it differs, its root cause's ("Unable to
	 * connect to Redis: Connection refused: /127.0.0.1:6379").
	 * @param failure what a check threw
	 * @return the reason
	 */
	public static String reason(Throwable failure) {
		Throwable root = failure;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		String message = message(failure);
		String rootMessage = message(root);
		return (root == failure || message.contains(rootMessage)) ? message : message + ": " + rootMessage;
	}

	private static String message(Throwable failure) {
		String message = failure.getMessage();
		return (message != null && !message.isBlank()) ? message : failure.getClass().getSimpleName();
	}

	private static String describe(Duration duration) {
		return (duration.toMillis() % 1000 == 0) ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
	}

}
