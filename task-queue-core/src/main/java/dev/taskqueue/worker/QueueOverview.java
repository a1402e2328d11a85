package dev.taskqueue.worker;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.DeadLetterQueue;
import dev.taskqueue.registry.TaskDefinition;
import dev.taskqueue.registry.TaskRegistry;

/**
 * The queues an application knows and what its broker says of them: what the {@code taskqueue} Actuator endpoint
 * and the dashboard read (Celery's {@code celery inspect active_queues} beside {@code celery purge}'s counts).
 * <p>
 * The queues known are the default queue, the queues of the application's workers and those its tasks declare
 * ({@link #knownQueues()}); {@link #read(Collection)} adds those with dead letters and any others asked for. A
 * broker that is away answers the first read with an error: the reads after it are not tried (each would wait
 * for the broker's timeout again) and carry the same error.
 */
public class QueueOverview {

	/** The part of {@link Report#errors()} that the dead letters' error is under. */
	public static final String DEAD_LETTERS = "deadLetters";

	private final Broker broker;

	private final @Nullable Workers workers;

	private final TaskRegistry registry;

	private final String defaultQueue;

	/**
	 * Create an overview.
	 * @param broker the broker: queue depths, and its dead letters if it keeps them
	 * @param workers the application's workers, or {@code null} in an application that only sends
	 * @param registry the registered tasks, whose own queues are known
	 * @param defaultQueue the default queue ({@code taskqueue.default-queue})
	 */
	public QueueOverview(Broker broker, @Nullable Workers workers, TaskRegistry registry, String defaultQueue) {
		this.broker = broker;
		this.workers = workers;
		this.registry = registry;
		this.defaultQueue = defaultQueue;
	}

	/**
	 * What the application's workers do now.
	 * @return their snapshots, empty in an application that runs no worker
	 */
	public List<WorkerSnapshot> snapshots() {
		return (this.workers != null) ? this.workers.snapshot() : List.of();
	}

	/**
	 * The default queue, the workers' queues and the queues the tasks declare.
	 * @return the names, sorted
	 */
	public Set<String> knownQueues() {
		Set<String> queues = new TreeSet<>();
		queues.add(this.defaultQueue);
		queues.addAll(workerQueues());
		for (TaskDefinition task : this.registry.all()) {
			if (task.options().queue() != null) {
				queues.add(task.options().queue());
			}
		}
		return queues;
	}

	/**
	 * The queues the application's workers are configured to consume.
	 * @return the names, sorted
	 */
	public Set<String> workerQueues() {
		Set<String> queues = new TreeSet<>();
		snapshots().forEach((worker) -> queues.addAll(worker.queues()));
		return queues;
	}

	/**
	 * The queues that a worker of the application consumes now (a consumer is attached).
	 * @return the names, sorted
	 */
	public Set<String> consumedQueues() {
		Set<String> queues = new TreeSet<>();
		snapshots().forEach((worker) -> worker.consuming().forEach((queue, attached) -> {
			if (attached) {
				queues.add(queue);
			}
		}));
		return queues;
	}

	/**
	 * The broker's dead letters.
	 * @return the broker as a {@link DeadLetterQueue}, or {@code null} if it keeps none
	 */
	public @Nullable DeadLetterQueue deadLetterQueue() {
		return (this.broker instanceof DeadLetterQueue letters) ? letters : null;
	}

	/**
	 * How many dead letters each queue has.
	 * @return the counts by queue, or {@code null} if the broker keeps none
	 */
	public @Nullable Map<String, Long> deadLetterCounts() {
		DeadLetterQueue letters = deadLetterQueue();
		return (letters != null) ? new TreeMap<>(letters.countDeadLetters()) : null;
	}

	/**
	 * Read the known queues, those with dead letters and the others given. Never throws for the broker: a part
	 * that could not be read is left empty and its reason given.
	 * @param others more queues to read (those events named, for instance)
	 * @return the queues by name, and the errors
	 */
	public Report read(Collection<String> others) {
		Reads reads = new Reads();
		Map<String, Long> deadLetters = reads.read(DEAD_LETTERS, this::deadLetterCounts);
		Set<String> names = new TreeSet<>(knownQueues());
		names.addAll(others);
		if (deadLetters != null) {
			names.addAll(deadLetters.keySet());
		}
		Set<String> consumed = consumedQueues();
		Map<String, QueueStatus> queues = new TreeMap<>();
		for (String name : names) {
			queues.put(name, queue(name, deadLetters, consumed, reads));
		}
		return new Report(queues, reads.errors);
	}

	/**
	 * Read one queue.
	 * @param name the queue
	 * @return what the broker says of it; its error if it could not be read
	 */
	public QueueStatus read(String name) {
		Reads reads = new Reads();
		Map<String, Long> deadLetters = reads.read(DEAD_LETTERS, this::deadLetterCounts);
		return queue(name, deadLetters, consumedQueues(), reads);
	}

	private QueueStatus queue(String name, @Nullable Map<String, Long> deadLetters, Set<String> consumed,
			Reads reads) {
		Long depth = reads.read(name, () -> {
			long value = this.broker.queueDepth(name);
			return (value >= 0) ? value : null;
		});
		Long letters = (deadLetters != null) ? deadLetters.getOrDefault(name, 0L) : null;
		return new QueueStatus(name, depth, letters, consumed.contains(name), reads.errors.remove(name));
	}

	/**
	 * One queue.
	 *
	 * @param name its name
	 * @param depth how many messages wait in it, ready to be delivered, or {@code null} if the broker cannot tell
	 * (or could not be reached)
	 * @param deadLetters how many of its messages were dead-lettered, or {@code null} if the broker keeps none (or
	 * could not be reached)
	 * @param consumed whether a worker of this application consumes it now
	 * @param error why it could not be read, or {@code null}
	 */
	public record QueueStatus(String name, @Nullable Long depth, @Nullable Long deadLetters, boolean consumed,
			@Nullable String error) {
	}

	/**
	 * The queues read at once.
	 *
	 * @param queues the queues by name, sorted
	 * @param errors why a part could not be read, by part ({@value #DEAD_LETTERS}, or a queue's name)
	 */
	public record Report(Map<String, QueueStatus> queues, Map<String, String> errors) {

		public Report {
			queues = java.util.Collections.unmodifiableMap(new TreeMap<>(queues));
			errors = java.util.Collections.unmodifiableMap(new TreeMap<>(errors));
		}

	}

	/**
	 * Reads from the broker for one answer: after the first failure the others are not tried and fail with the
	 * same reason.
	 */
	private static final class Reads {

		private final Map<String, String> errors = new TreeMap<>();

		private @Nullable String brokerDown;

		<T> @Nullable T read(String part, Supplier<@Nullable T> reader) {
			if (this.brokerDown != null) {
				this.errors.put(part, this.brokerDown);
				return null;
			}
			try {
				return reader.get();
			}
			catch (RuntimeException ex) {
				this.brokerDown = (ex.getMessage() != null) ? ex.getMessage() : ex.getClass().getName();
				this.errors.put(part, this.brokerDown);
				return null;
			}
		}

	}

}
