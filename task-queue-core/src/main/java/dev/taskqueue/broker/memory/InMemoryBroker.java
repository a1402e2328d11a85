package dev.taskqueue.broker.memory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.taskqueue.broker.AbstractDelivery;
import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.DeadLetter;
import dev.taskqueue.broker.DeadLetterQueue;
import dev.taskqueue.broker.DeadLetterRetention;
import dev.taskqueue.broker.DeliveryHandler;
import dev.taskqueue.broker.DeliverySource;
import dev.taskqueue.broker.PollingSubscription;
import dev.taskqueue.broker.Subscription;
import dev.taskqueue.broker.memory.MemoryQueue.Entry;
import dev.taskqueue.protocol.Envelope;
import dev.taskqueue.protocol.LogText;

/**
 * A broker inside the application's JVM: the default, so that an application runs with nothing installed.
 * Real queue semantics: FIFO per queue and priority (a higher priority is served first, as on RabbitMQ),
 * acknowledgements, requeue of what was not acknowledged, deferral of messages not yet due, and dead
 * letters, kept per queue within a {@link DeadLetterRetention} (the oldest dropped first, and those too old
 * dropped on each reject and every minute). Messages live as long as the JVM: use Redis or RabbitMQ for anything
 * that must survive it.
 */
public class InMemoryBroker implements Broker, DeliverySource, DeadLetterQueue, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(InMemoryBroker.class);

	/** How often dead letters older than the retention's age are dropped when no reject does it. */
	private static final Duration EXPIRY_INTERVAL = Duration.ofMinutes(1);

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition arrived = this.lock.newCondition();

	private final Map<String, MemoryQueue> queues = new HashMap<>();

	private final List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();

	private final AtomicInteger nextQueue = new AtomicInteger();

	/** Messages delivered and not settled yet. */
	private final LongAdder unsettled = new LongAdder();

	/** Messages deferred until due, on the timer. */
	private final AtomicInteger deferred = new AtomicInteger();

	/** Counts every publish, delivery and settlement, so that a waiter can tell nothing moved between looks. */
	private final LongAdder activity = new LongAdder();

	private final ScheduledExecutorService timer;

	private final Clock clock;

	private final DeadLetterRetention retention;

	/** Held while dead letters are added or dropped for retention, so that each drop is counted once. */
	private final Object retaining = new Object();

	private long sequence;

	/** How many consumers wait in {@link #poll}: a publish signals only when someone listens. */
	private int waiting;

	/**
	 * Create a broker that tells time by the system clock.
	 */
	public InMemoryBroker() {
		this(Clock.systemUTC());
	}

	/**
	 * Create a broker that keeps dead letters within the {@linkplain DeadLetterRetention#defaults() defaults}.
	 * @param clock the clock deferred messages are released by and dead letters are stamped and aged by
	 */
	public InMemoryBroker(Clock clock) {
		this(clock, DeadLetterRetention.defaults());
	}

	/**
	 * Create a broker.
	 * @param clock the clock deferred messages are released by and dead letters are stamped and aged by
	 * @param retention how many dead letters each queue keeps, and for how long
	 */
	public InMemoryBroker(Clock clock, DeadLetterRetention retention) {
		this.clock = clock;
		this.retention = retention;
		this.timer = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "taskqueue-memory-timer");
			thread.setDaemon(true);
			return thread;
		});
		this.timer.scheduleWithFixedDelay(this::expireDeadLetters, EXPIRY_INTERVAL.toMillis(),
				EXPIRY_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
	}

	@Override
	public void publish(String queue, Envelope envelope) {
		enqueue(queue, envelope, false, -1);
	}

	@Override
	public Subscription subscribe(List<String> queues, int prefetch, DeliveryHandler handler) {
		// a short wait costs nothing here (a condition wait) and lets a stopping worker cancel at once; a poll
		// costs less than waking the consumer, so it refills a quarter of its prefetch at a time, not one
		return PollingSubscription.start(this, queues, prefetch, handler, "taskqueue-memory-consumer",
				Duration.ofMillis(100), Math.max(1, prefetch / 4));
	}

	@Override
	public @Nullable AbstractDelivery poll(List<String> queues, Duration timeout) throws InterruptedException {
		List<AbstractDelivery> taken = poll(queues, 1, timeout);
		return taken.isEmpty() ? null : taken.get(0);
	}

	@Override
	public List<AbstractDelivery> poll(List<String> queues, int max, Duration timeout) throws InterruptedException {
		long nanos = timeout.toNanos();
		this.lock.lockInterruptibly();
		try {
			while (true) {
				AbstractDelivery first = takeFirst(queues);
				if (first != null) {
					return takeMore(queues, first, max);
				}
				if (nanos <= 0) {
					return List.of();
				}
				this.waiting++;
				try {
					nanos = this.arrived.awaitNanos(nanos);
				}
				finally {
					this.waiting--;
				}
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	private List<AbstractDelivery> takeMore(List<String> queues, AbstractDelivery first, int max) {
		if (max == 1) {
			return List.of(first);
		}
		// one lock for the batch; each take still rotates over the queues, as successive polls would
		List<AbstractDelivery> taken = new ArrayList<>(Math.min(max, 16));
		taken.add(first);
		AbstractDelivery next;
		while (taken.size() < max && (next = takeFirst(queues)) != null) {
			taken.add(next);
		}
		return taken;
	}

	private @Nullable AbstractDelivery takeFirst(List<String> names) {
		// start at a different queue each time, so that a busy queue does not starve the others
		int start = Math.floorMod(this.nextQueue.getAndIncrement(), names.size());
		for (int i = 0; i < names.size(); i++) {
			String name = names.get((start + i) % names.size());
			MemoryQueue queue = this.queues.get(name);
			Entry entry = (queue != null) ? queue.poll() : null;
			if (entry != null) {
				return new MemoryDelivery(name, entry);
			}
		}
		return null;
	}

	private void enqueue(String queue, Envelope envelope, boolean redelivered, long sequence) {
		this.lock.lock();
		try {
			this.activity.increment();
			MemoryQueue entries = this.queues.computeIfAbsent(queue, (name) -> new MemoryQueue());
			if (sequence >= 0) {
				entries.requeue(new Entry(envelope, envelope.priority(), sequence, redelivered));
			}
			else {
				entries.add(new Entry(envelope, envelope.priority(), this.sequence++, redelivered));
			}
			if (this.waiting > 0) {
				this.arrived.signalAll();
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * How many messages wait in a queue (not counting those delivered and not yet settled).
	 * @param queue the queue
	 * @return the number of ready messages
	 */
	public int size(String queue) {
		this.lock.lock();
		try {
			MemoryQueue entries = this.queues.get(queue);
			return (entries != null) ? entries.size() : 0;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Whether the broker has nothing left to hand out or hear back about: no message waits in a queue, none is
	 * deferred until due, and every one delivered was settled (acknowledged, returned, dead-lettered or deferred).
	 * Together with idle workers ({@code Workers.isIdle()}), every task sent so far has run;
	 * {@code dev.taskqueue.test.TaskQueueTestSupport} waits for both.
	 * @return {@code true} if nothing is waiting, deferred or delivered and unsettled
	 */
	public boolean isIdle() {
		this.lock.lock();
		try {
			// deferred and delivered first: a message moves from there into a queue before it leaves them
			return this.deferred.get() == 0 && this.unsettled.sum() == 0
					&& this.queues.values().stream().allMatch((queue) -> queue.size() == 0);
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * A number that changes whenever a message is published, delivered or settled: equal before and after a look
	 * at this broker and its workers, it says that no message moved meanwhile.
	 * @return the count of publishes, deliveries and settlements so far
	 */
	public long activity() {
		return this.activity.sum();
	}

	@Override
	public long queueDepth(String queue) {
		return size(queue);
	}

	/**
	 * Remove every message waiting in a queue.
	 * @param queue the queue
	 * @return how many were removed
	 */
	@Override
	public int purge(String queue) {
		this.lock.lock();
		try {
			MemoryQueue entries = this.queues.remove(queue);
			return (entries != null) ? entries.size() : 0;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * How many dead letters this broker keeps, and for how long.
	 * @return the retention
	 */
	public DeadLetterRetention getDeadLetterRetention() {
		return this.retention;
	}

	/**
	 * The messages rejected so far, oldest first.
	 * @return the dead letters
	 */
	public List<DeadLetter> deadLetters() {
		return Collections.unmodifiableList(new ArrayList<>(this.deadLetters));
	}

	@Override
	public List<DeadLetter> listDeadLetters(@Nullable String queue, int limit) {
		return this.deadLetters.stream().filter((letter) -> matches(letter, queue)).limit(limit).toList();
	}

	/**
	 * Count the dead letters per queue in one pass over them, copying none.
	 */
	@Override
	public Map<String, Long> countDeadLetters() {
		Map<String, Long> counts = new TreeMap<>();
		for (DeadLetter letter : this.deadLetters) {
			counts.merge(letter.queue(), 1L, Long::sum);
		}
		return counts;
	}

	@Override
	public boolean redriveDeadLetter(String id) {
		return this.deadLetters.stream().filter((letter) -> letter.id().equals(id)).findFirst().map(this::redrive).orElse(false);
	}

	@Override
	public int redriveDeadLetters(@Nullable String queue) {
		return (int) this.deadLetters.stream().filter((letter) -> matches(letter, queue)).filter(this::redrive).count();
	}

	@Override
	public boolean purgeDeadLetter(String id) {
		return this.deadLetters.removeIf((letter) -> letter.id().equals(id));
	}

	@Override
	public int purgeDeadLetters(@Nullable String queue) {
		List<DeadLetter> matching = listDeadLetters(queue, Integer.MAX_VALUE);
		return (int) matching.stream().filter(this.deadLetters::remove).count();
	}

	private boolean redrive(DeadLetter letter) {
		// remove first so two concurrent redrives cannot publish the same letter twice
		if (!this.deadLetters.remove(letter)) {
			return false;
		}
		publish(letter.queue(), letter.envelope());
		return true;
	}

	private void deadLetter(DeadLetter letter) {
		synchronized (this.retaining) {
			this.deadLetters.add(letter);
			this.retention.droppedOverMaxAge("queue '" + letter.queue() + "'", expire(letter.queue()));
			List<DeadLetter> ofQueue = listDeadLetters(letter.queue(), Integer.MAX_VALUE);
			int excess = ofQueue.size() - this.retention.maxCount();
			if (excess > 0) {
				// oldest first: the list is in the order they were rejected
				this.deadLetters.removeAll(ofQueue.subList(0, excess));
				this.retention.droppedOverMaxCount("queue '" + letter.queue() + "'", excess);
			}
		}
	}

	/**
	 * Drop the dead letters older than the retention's age, of every queue, and count them in the log.
	 */
	void expireDeadLetters() {
		synchronized (this.retaining) {
			this.deadLetters.stream().map(DeadLetter::queue).distinct().toList().forEach((queue) -> this.retention
				.droppedOverMaxAge("queue '" + queue + "'", expire(queue)));
		}
	}

	private int expire(String queue) {
		Instant cutoff = this.retention.cutoff(this.clock.instant());
		List<DeadLetter> expired = this.deadLetters.stream()
			.filter((letter) -> letter.queue().equals(queue) && letter.rejectedAt().isBefore(cutoff))
			.toList();
		this.deadLetters.removeAll(expired);
		return expired.size();
	}

	private static boolean matches(DeadLetter letter, @Nullable String queue) {
		return queue == null || letter.queue().equals(queue);
	}

	@Override
	public void close() {
		this.timer.shutdownNow();
	}

	private final class MemoryDelivery extends AbstractDelivery {

		private final Entry entry;

		MemoryDelivery(String queue, Entry entry) {
			super(entry.envelope(), queue, entry.redelivered());
			this.entry = entry;
			InMemoryBroker.this.unsettled.increment();
			InMemoryBroker.this.activity.increment();
		}

		@Override
		protected void doAck() {
			InMemoryBroker.this.activity.increment();
			InMemoryBroker.this.unsettled.decrement();
		}

		@Override
		protected void doRequeue() {
			// back in its original place, ahead of what arrived later
			enqueue(queue(), envelope(), true, this.entry.sequence());
			InMemoryBroker.this.unsettled.decrement();
		}

		@Override
		protected void doReject(String reason) {
			InMemoryBroker.this.activity.increment();
			try {
				deadLetter(new DeadLetter(queue(), envelope(), reason, InMemoryBroker.this.clock.instant()));
			}
			finally {
				InMemoryBroker.this.unsettled.decrement();
			}
			logger.warn("Dead-lettered a message from queue '{}' (task {}): {}", queue(),
					LogText.escape(envelope().taskName()), LogText.escape(reason));
		}

		@Override
		protected void doDefer(Instant due) {
			long delay = Math.max(0, Duration.between(InMemoryBroker.this.clock.instant(), due).toMillis());
			InMemoryBroker.this.deferred.incrementAndGet();
			InMemoryBroker.this.activity.increment();
			try {
				InMemoryBroker.this.timer.schedule(() -> {
					enqueue(queue(), envelope(), false, -1);
					InMemoryBroker.this.deferred.decrementAndGet();
				}, delay, TimeUnit.MILLISECONDS);
			}
			catch (RuntimeException ex) {
				// the broker is closed: the message is gone with it
				InMemoryBroker.this.deferred.decrementAndGet();
				throw ex;
			}
			finally {
				InMemoryBroker.this.unsettled.decrement();
			}
		}

	}

}
