package dev.taskqueue.micrometer;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.DeadLetterQueue;

/**
 * Gauges read from the broker: {@value #QUEUE_DEPTH} (messages waiting, per consumed queue) and
 * {@value #DEAD_LETTERS} (dead letters, per queue they were rejected from), both tagged {@code queue}.
 * <p>
 * The broker is read at most once per refresh interval however often the gauges are scraped, never per task:
 * the first gauge read after the interval starts one read of every queue (and of the dead letters) on a thread
 * of its own, waits for it a short time (so a healthy broker gives fresh values), and otherwise serves the
 * values of the last read. A broker that is away never holds a scrape for longer than that wait: the gauges
 * keep their last values (NaN before the first read) until a read succeeds, and no second read starts while
 * one is under way. Each queue that has dead letters gets its gauge when they are first counted.
 */
public final class QueueMetrics implements MeterBinder, AutoCloseable {

	/** Messages waiting in a consumed queue: a gauge tagged {@code queue}. */
	public static final String QUEUE_DEPTH = "taskqueue.queue.depth";

	/** Dead letters rejected from a queue: a gauge tagged {@code queue}. */
	public static final String DEAD_LETTERS = "taskqueue.dead.letters";

	/** How long a scrape waits for the read it started, at most. */
	public static final Duration DEFAULT_WAIT = Duration.ofMillis(500);

	private static final Logger logger = LoggerFactory.getLogger(QueueMetrics.class);

	private final Broker broker;

	private final @Nullable DeadLetterQueue deadLetters;

	private final List<String> queues;

	private final long refreshNanos;

	private final long waitNanos;

	private final LongSupplier nanoTime;

	private final ExecutorService reader = Executors.newSingleThreadExecutor((task) -> {
		Thread thread = new Thread(task, "taskqueue-metrics");
		thread.setDaemon(true);
		return thread;
	});

	private final AtomicBoolean reading = new AtomicBoolean();

	private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();

	private final Set<String> deadLetterGauges = ConcurrentHashMap.newKeySet();

	private volatile boolean readStarted;

	private volatile long nextRead;

	private volatile Map<String, Long> depths = Map.of();

	private volatile @Nullable Map<String, Long> deadLetterCounts;

	private volatile boolean failing;

	/**
	 * Create the gauges' source.
	 * @param broker where the depths are read
	 * @param deadLetters where the dead letters are counted, or {@code null} for no {@value #DEAD_LETTERS} gauges
	 * @param queues the queues the application's workers consume
	 * @param refresh how long values are served before the broker is read again
	 */
	public QueueMetrics(Broker broker, @Nullable DeadLetterQueue deadLetters, List<String> queues, Duration refresh) {
		this(broker, deadLetters, queues, refresh, DEFAULT_WAIT, System::nanoTime);
	}

	/**
	 * Create the gauges' source with a wait and a time source of its own.
	 * @param broker where the depths are read
	 * @param deadLetters where the dead letters are counted, or {@code null}
	 * @param queues the queues the application's workers consume
	 * @param refresh how long values are served before the broker is read again
	 * @param wait how long a scrape waits for the read it started
	 * @param nanoTime the time source, as {@link System#nanoTime()}
	 */
	QueueMetrics(Broker broker, @Nullable DeadLetterQueue deadLetters, List<String> queues, Duration refresh,
			Duration wait, LongSupplier nanoTime) {
		this.broker = broker;
		this.deadLetters = deadLetters;
		this.queues = List.copyOf(new LinkedHashSet<>(queues));
		this.refreshNanos = refresh.toNanos();
		this.waitNanos = wait.toNanos();
		this.nanoTime = nanoTime;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.registries.add(registry);
		for (String queue : this.queues) {
			Gauge.builder(QUEUE_DEPTH, this, (metrics) -> metrics.depth(queue))
				.description("Messages waiting in a consumed queue, ready to be delivered")
				.tag(TaskTags.QUEUE, queue)
				.strongReference(true)
				.register(registry);
			if (this.deadLetters != null) {
				registerDeadLetters(registry, queue);
			}
		}
		Map<String, Long> counts = this.deadLetterCounts;
		if (counts != null) {
			counts.keySet().forEach((queue) -> registerDeadLetters(registry, queue));
		}
	}

	/**
	 * The queues whose depth is measured.
	 * @return the consumed queues
	 */
	public List<String> getQueues() {
		return this.queues;
	}

	double depth(String queue) {
		refreshIfDue();
		Long depth = this.depths.get(queue);
		return (depth != null && depth >= 0) ? depth : Double.NaN;
	}

	double deadLetters(String queue) {
		refreshIfDue();
		Map<String, Long> counts = this.deadLetterCounts;
		return (counts != null) ? counts.getOrDefault(queue, 0L) : Double.NaN;
	}

	private void registerDeadLetters(MeterRegistry registry, String queue) {
		this.deadLetterGauges.add(queue);
		Gauge.builder(DEAD_LETTERS, this, (metrics) -> metrics.deadLetters(queue))
			.description("Dead letters rejected from a queue")
			.tag(TaskTags.QUEUE, queue)
			.strongReference(true)
			.register(registry);
	}

	/**
	 * Start a read if the last one is older than the refresh interval and none is under way, and wait for it a
	 * short time; otherwise serve what was read.
	 */
	private void refreshIfDue() {
		long now = this.nanoTime.getAsLong();
		if (this.readStarted && now - this.nextRead < 0) {
			return;
		}
		if (!this.reading.compareAndSet(false, true)) {
			return;
		}
		if (this.readStarted && now - this.nextRead < 0) {
			this.reading.set(false);
			return;
		}
		this.readStarted = true;
		this.nextRead = now + this.refreshNanos;
		Future<?> reading;
		try {
			reading = this.reader.submit(this::read);
		}
		catch (RuntimeException ex) {
			// closed
			this.reading.set(false);
			return;
		}
		try {
			reading.get(this.waitNanos, TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException | ExecutionException ex) {
			// served from the last read; the read logs its own failure
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Read every queue's depth and the dead letters, on the reader's thread. The first failure ends the read
	 * (the broker is likely away, and each further call would wait as long) and every gauge keeps its value.
	 */
	private void read() {
		try {
			Map<String, Long> depths = new HashMap<>();
			for (String queue : this.queues) {
				depths.put(queue, this.broker.queueDepth(queue));
			}
			this.depths = Map.copyOf(depths);
			DeadLetterQueue deadLetters = this.deadLetters;
			if (deadLetters != null) {
				Map<String, Long> counts = Map.copyOf(deadLetters.countDeadLetters());
				this.deadLetterCounts = counts;
				for (String queue : counts.keySet()) {
					if (!this.deadLetterGauges.contains(queue)) {
						this.registries.forEach((registry) -> registerDeadLetters(registry, queue));
					}
				}
			}
			if (this.failing) {
				logger.info("Queue depths are read from the broker again");
				this.failing = false;
			}
		}
		catch (RuntimeException ex) {
			if (!this.failing) {
				logger.warn("Could not read queue depths or dead letters from the broker; the gauges keep their "
						+ "last values until it answers: {}", ex.toString());
				this.failing = true;
			}
			else {
				logger.debug("Could not read queue depths from the broker", ex);
			}
		}
		finally {
			this.reading.set(false);
		}
	}

	/**
	 * Stop the reader's thread; the gauges then keep their last values.
	 */
	@Override
	public void close() {
		this.reader.shutdownNow();
	}

}
