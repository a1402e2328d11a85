package dev.taskqueue.events;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.protocol.LamportClock;

/**
 * Sends Celery's events, as Celery's {@code EventDispatcher} does: each event stamped with the sender's
 * {@code hostname}, {@code utcoffset}, {@code pid}, {@code clock} (the application's {@link LamportClock}, moved
 * forward), {@code timestamp} and {@code type}, published with the header {@code hostname} and routed by its type
 * ({@code worker-heartbeat} as {@code worker.heartbeat}).
 * <p>
 * A worker's task events are buffered and sent together, as a JSON array under the routing key
 * {@code task.multi}, as Celery's prefork worker sends them: when {@code bufferLimit} of them are waiting, and at
 * the latest after {@code flushInterval}. Other events (the workers', a client's {@code task-sent}) go one by one.
 * Task events can be switched on and off while running (Celery's {@code enable_events} / {@code disable_events});
 * worker events are always sent.
 * <p>
 * Nothing is published on the caller's thread: {@link #send} stamps the event and hands it to the dispatcher's own
 * thread, so that a task never waits for the broker. While the broker does not take them, events are dropped (with
 * one log line when that starts and one when it ends): they describe the moment, and Celery's receivers do not
 * expect old ones.
 */
public class EventDispatcher implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(EventDispatcher.class);

	/** The group of task events ({@code task-*}), which {@code enable_events} switches. */
	public static final String TASK_GROUP = "task";

	private static final long PID = ProcessHandle.current().pid();

	private static final Outgoing STOP = new Outgoing("", List.of());

	/** The fields every event is stamped with, before its own. */
	private static final Set<String> STAMPS = Set.of("hostname", "utcoffset", "pid", "clock", "type");

	private final EventTransport transport;

	private final JsonMapper mapper;

	private final LamportClock clock;

	private final Clock wallClock;

	/** The machine's time zone, as Python's time.timezone reads it when the process starts. */
	private final ZoneId zone = ZoneId.systemDefault();

	private final String hostname;

	private final Map<String, Object> headers;

	private final boolean batchTaskEvents;

	private final int bufferLimit;

	private final long flushIntervalNanos;

	private final Duration closeTimeout;

	private final BlockingQueue<Outgoing> outgoing;

	private final Object bufferLock = new Object();

	private List<Stamped> buffer;

	private volatile boolean taskEvents;

	private final AtomicLong dropped = new AtomicLong();

	private final AtomicBoolean warnedFull = new AtomicBoolean();

	/** Whether the last publish failed: touched by the publishing thread only. */
	private boolean failing;

	private volatile @Nullable Thread publisher;

	private volatile boolean closed;

	EventDispatcher(Builder builder) {
		this.transport = builder.transport;
		this.mapper = builder.mapper;
		this.clock = builder.clock;
		this.wallClock = builder.wallClock;
		this.hostname = builder.hostname;
		this.headers = Map.of("hostname", builder.hostname);
		this.batchTaskEvents = builder.batchTaskEvents;
		this.bufferLimit = builder.bufferLimit;
		this.flushIntervalNanos = builder.flushInterval.toNanos();
		this.closeTimeout = builder.closeTimeout;
		this.outgoing = new ArrayBlockingQueue<>(builder.maxPending);
		this.buffer = new ArrayList<>(this.bufferLimit);
		this.taskEvents = builder.taskEvents;
	}

	/**
	 * Start building a dispatcher.
	 * @param transport how the broker carries events
	 * @param mapper writes the events' JSON
	 * @param clock the application's Lamport clock
	 * @param hostname the sender's name: a worker's {@code name@host}, a client's {@code gen<pid>@<host>}
	 * @return a builder; every other setting has a default
	 */
	public static Builder builder(EventTransport transport, JsonMapper mapper, LamportClock clock, String hostname) {
		return new Builder(transport, mapper, clock, hostname);
	}

	/**
	 * The name events are sent under.
	 * @return the hostname
	 */
	public String hostname() {
		return this.hostname;
	}

	/**
	 * Whether task events ({@code task-*}) are sent.
	 * @return whether they are
	 */
	public boolean isTaskEventsEnabled() {
		return this.taskEvents;
	}

	/**
	 * Send task events from now on (Celery's {@code enable_events}).
	 * @return {@code true} if they were off
	 */
	public boolean enableTaskEvents() {
		boolean was = this.taskEvents;
		this.taskEvents = true;
		return !was;
	}

	/**
	 * Send no more task events (Celery's {@code disable_events}); worker events go on.
	 * @return {@code true} if they were on
	 */
	public boolean disableTaskEvents() {
		boolean was = this.taskEvents;
		this.taskEvents = false;
		return was;
	}

	/**
	 * Send an event, as Celery's {@code EventDispatcher.send(type, **fields)}: a task event only while task events
	 * are on, buffered if this dispatcher batches them; any other at once. Never blocks.
	 * @param type the event's type ({@code task-succeeded}, {@code worker-heartbeat}...)
	 * @param fields its own fields, in order; {@code hostname}, {@code utcoffset}, {@code pid}, {@code clock},
	 * {@code timestamp} and {@code type} are added (a {@code timestamp} given is kept). The map is written later, on
	 * the dispatcher's thread: leave it as it is once given
	 */
	public void send(String type, Map<String, ? extends @Nullable Object> fields) {
		boolean task = TASK_GROUP.equals(CeleryEvent.groupOf(type));
		if ((task && !this.taskEvents) || this.closed) {
			return;
		}
		Instant now = this.wallClock.instant();
		Stamped event = new Stamped(type, utcoffset(this.zone, now), this.clock.forward(), micros(now), fields);
		if (task && this.batchTaskEvents) {
			buffer(event);
		}
		else {
			enqueue(new Outgoing(type.replace('-', '.'), event));
		}
	}

	/**
	 * Hand the buffered task events to the publishing thread now.
	 */
	public void flush() {
		synchronized (this.bufferLock) {
			handOverBuffer();
		}
	}

	/**
	 * Now, as events write it, to stamp a moment on an event sent later.
	 */
	EventTime timestampNow() {
		return new EventTime(micros(this.wallClock.instant()));
	}

	private static long micros(Instant instant) {
		return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
	}

	/**
	 * Seconds since the epoch with microseconds, as Python writes a float ({@code 1795475428.426847}).
	 */
	static String seconds(long micros) {
		String fraction = Long.toString(Math.floorMod(micros, 1_000_000L));
		return Math.floorDiv(micros, 1_000_000L) + "." + "000000".substring(fraction.length()) + fraction;
	}

	/**
	 * Celery's {@code utcoffset()}: Python's {@code time.timezone // 3600} (or {@code altzone} in summer), hours
	 * west of Greenwich, rounded down.
	 */
	static int utcoffset(ZoneId zone, Instant now) {
		int east = zone.getRules().getOffset(now).getTotalSeconds();
		return Math.floorDiv(-east, 3600);
	}

	private void buffer(Stamped event) {
		synchronized (this.bufferLock) {
			this.buffer.add(event);
			if (this.buffer.size() >= this.bufferLimit) {
				handOverBuffer();
			}
		}
		started();
	}

	/** Under the buffer's lock, so that batches reach the queue in the order they were filled. */
	private void handOverBuffer() {
		if (this.buffer.isEmpty()) {
			return;
		}
		List<Stamped> batch = this.buffer;
		this.buffer = new ArrayList<>(this.bufferLimit);
		enqueue(new Outgoing(TASK_GROUP + ".multi", batch));
	}

	private void enqueue(Outgoing message) {
		started();
		if (!this.outgoing.offer(message)) {
			this.dropped.incrementAndGet();
			if (this.warnedFull.compareAndSet(false, true)) {
				logger.warn("Events from {} are dropped: {} messages wait for the broker already; dropping until they "
						+ "are sent", this.hostname, this.outgoing.size());
			}
		}
	}

	private void started() {
		if (this.publisher == null) {
			synchronized (this) {
				if (this.publisher == null && !this.closed) {
					Thread thread = new Thread(this::publishLoop, "taskqueue-events");
					thread.setDaemon(true);
					thread.start();
					this.publisher = thread;
				}
			}
		}
	}

	private void publishLoop() {
		long nextFlush = System.nanoTime() + this.flushIntervalNanos;
		while (true) {
			Outgoing next;
			try {
				next = this.outgoing.poll(Math.max(0, nextFlush - System.nanoTime()), TimeUnit.NANOSECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			if (next == STOP) {
				publishWaiting();
				return;
			}
			if (next != null) {
				publish(next);
			}
			if (System.nanoTime() - nextFlush >= 0) {
				publishWaiting();
				nextFlush = System.nanoTime() + this.flushIntervalNanos;
			}
		}
	}

	/** Publish what is queued, then the buffer, in that order (a batch queued before is older). */
	private void publishWaiting() {
		List<Outgoing> waiting = new ArrayList<>();
		synchronized (this.bufferLock) {
			this.outgoing.drainTo(waiting);
			if (!this.buffer.isEmpty()) {
				waiting.add(new Outgoing(TASK_GROUP + ".multi", this.buffer));
				this.buffer = new ArrayList<>(this.bufferLimit);
			}
		}
		for (Outgoing message : waiting) {
			if (message != STOP) {
				publish(message);
			}
		}
	}

	private void publish(Outgoing message) {
		try {
			this.transport.publish(message.routingKey(), json(message.body()), this.headers);
			if (this.failing) {
				this.failing = false;
				logger.info("Publishing events again ({} dropped meanwhile)", this.dropped.getAndSet(0));
			}
			else if (this.warnedFull.get() && this.outgoing.isEmpty()) {
				this.warnedFull.set(false);
				logger.info("Events from {} are sent again ({} dropped meanwhile)", this.hostname,
						this.dropped.getAndSet(0));
			}
		}
		catch (RuntimeException ex) {
			this.dropped.incrementAndGet();
			if (!this.failing) {
				this.failing = true;
				logger.warn("Could not publish events ({}); dropping them until the broker takes them again",
						ex.toString());
			}
		}
		catch (Error ex) {
			// the loop goes on: a thread that dies here would end events for good, without a word
			logger.error("The event publisher of {} failed; carrying on", this.hostname, ex);
		}
	}

	/**
	 * An event or a batch as JSON, written field by field: an event holds strings, numbers, booleans, nulls and
	 * lists of them, which a generator writes without looking up a serializer for each value (what a worker's
	 * thousands of events a second spend most in); anything else is written by the mapper.
	 */
	byte[] json(Object body) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(256);
		try (JsonGenerator generator = this.mapper.createGenerator(out)) {
			write(generator, body);
		}
		return out.toByteArray();
	}

	/**
	 * An event as Celery's {@code Event(type, hostname=..., utcoffset=..., pid=..., clock=..., **fields)} writes it:
	 * the stamps first, its own fields in order, then {@code timestamp} (unless the fields hold one) and
	 * {@code type}.
	 */
	private void writeEvent(JsonGenerator generator, Stamped event) {
		generator.writeStartObject();
		generator.writeName("hostname");
		generator.writeString(this.hostname);
		generator.writeName("utcoffset");
		generator.writeNumber(event.utcoffset());
		generator.writeName("pid");
		generator.writeNumber(PID);
		generator.writeName("clock");
		generator.writeNumber(event.clock());
		boolean timestamped = false;
		for (Map.Entry<String, ? extends @Nullable Object> field : event.fields().entrySet()) {
			String name = field.getKey();
			if (STAMPS.contains(name)) {
				continue;
			}
			timestamped |= name.equals("timestamp");
			generator.writeName(name);
			write(generator, field.getValue());
		}
		if (!timestamped) {
			generator.writeName("timestamp");
			generator.writeNumber(seconds(event.micros()));
		}
		generator.writeName("type");
		generator.writeString(event.type());
		generator.writeEndObject();
	}

	private void write(JsonGenerator generator, @Nullable Object value) {
		if (value == null) {
			generator.writeNull();
		}
		else if (value instanceof String text) {
			generator.writeString(text);
		}
		else if (value instanceof Integer || value instanceof Long) {
			generator.writeNumber(((Number) value).longValue());
		}
		else if (value instanceof Double number) {
			generator.writeNumber(number);
		}
		else if (value instanceof Stamped event) {
			writeEvent(generator, event);
		}
		else if (value instanceof EventTime time) {
			generator.writeNumber(seconds(time.micros()));
		}
		else if (value instanceof BigDecimal number) {
			generator.writeNumber(number);
		}
		else if (value instanceof Boolean bool) {
			generator.writeBoolean(bool);
		}
		else if (value instanceof Map<?, ?> map) {
			generator.writeStartObject();
			for (Map.Entry<?, ?> entry : map.entrySet()) {
				Object key = entry.getKey();
				generator.writeName((key instanceof String name) ? name : String.valueOf(key));
				write(generator, entry.getValue());
			}
			generator.writeEndObject();
		}
		else if (value instanceof List<?> list) {
			generator.writeStartArray();
			for (Object item : list) {
				write(generator, item);
			}
			generator.writeEndArray();
		}
		else {
			generator.writePOJO(value);
		}
	}

	/**
	 * Send what is buffered and waiting, then stop: waits at most the close timeout for the broker.
	 */
	@Override
	public void close() {
		Thread thread;
		synchronized (this) {
			if (this.closed) {
				return;
			}
			this.closed = true;
			thread = this.publisher;
		}
		if (thread == null) {
			return;
		}
		try {
			// the stop comes after what is queued; if the queue is full, the thread is told by an interrupt
			if (!this.outgoing.offer(STOP, this.closeTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
				thread.interrupt();
			}
			thread.join(this.closeTimeout.toMillis());
			if (thread.isAlive()) {
				logger.warn("Events from {} not sent within {} of closing; given up", this.hostname, this.closeTimeout);
				thread.interrupt();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * A message to publish: one event, or a batch of task events.
	 */
	private record Outgoing(String routingKey, Object body) {
	}

	/**
	 * An event as sent: its stamps and its own fields, written as JSON on the publishing thread.
	 */
	private record Stamped(String type, int utcoffset, long clock, long micros,
			Map<String, ? extends @Nullable Object> fields) {
	}

	/**
	 * A moment, written as events write {@code timestamp}.
	 *
	 * @param micros microseconds since the epoch
	 */
	record EventTime(long micros) {
	}

	/**
	 * Builds an {@link EventDispatcher}.
	 */
	public static final class Builder {

		private final EventTransport transport;

		private final JsonMapper mapper;

		private final LamportClock clock;

		private final String hostname;

		private Clock wallClock = Clock.systemUTC();

		private boolean taskEvents;

		private boolean batchTaskEvents;

		private int bufferLimit = 64;

		private Duration flushInterval = Duration.ofMillis(100);

		private int maxPending = 1000;

		private Duration closeTimeout = Duration.ofSeconds(2);

		private Builder(EventTransport transport, JsonMapper mapper, LamportClock clock, String hostname) {
			this.transport = transport;
			this.mapper = mapper;
			this.clock = clock;
			this.hostname = hostname;
		}

		/**
		 * Whether task events are sent from the start (Celery's {@code -E}, {@code worker_send_task_events}).
		 * @param taskEvents whether they are; {@code false} by default
		 * @return this builder
		 */
		public Builder taskEvents(boolean taskEvents) {
			this.taskEvents = taskEvents;
			return this;
		}

		/**
		 * Send task events in batches ({@code task.multi}), as a worker does; a client sends them one by one.
		 * @param bufferLimit send a batch once this many wait
		 * @param flushInterval send a batch at the latest this long after its first event
		 * @return this builder
		 */
		public Builder batchTaskEvents(int bufferLimit, Duration flushInterval) {
			if (bufferLimit < 1 || flushInterval.isNegative() || flushInterval.isZero()) {
				throw new IllegalArgumentException(
						"a batch needs a limit of at least 1 and a positive interval, had " + bufferLimit + " and "
								+ flushInterval);
			}
			this.batchTaskEvents = true;
			this.bufferLimit = bufferLimit;
			this.flushInterval = flushInterval;
			return this;
		}

		/**
		 * How many messages may wait for the broker before new ones are dropped.
		 * @param maxPending the bound; 1000 by default
		 * @return this builder
		 */
		public Builder maxPending(int maxPending) {
			if (maxPending < 1) {
				throw new IllegalArgumentException("maxPending must be at least 1, was " + maxPending);
			}
			this.maxPending = maxPending;
			return this;
		}

		/**
		 * How long {@link EventDispatcher#close()} waits for the broker to take what is left.
		 * @param closeTimeout the wait; 2 seconds by default
		 * @return this builder
		 */
		public Builder closeTimeout(Duration closeTimeout) {
			this.closeTimeout = closeTimeout;
			return this;
		}

		/**
		 * The clock events are timestamped with.
		 * @param wallClock the clock; the system's by default
		 * @return this builder
		 */
		public Builder wallClock(Clock wallClock) {
			this.wallClock = wallClock;
			return this;
		}

		/**
		 * Build the dispatcher; its thread starts with the first event.
		 * @return the dispatcher
		 */
		public EventDispatcher build() {
			return new EventDispatcher(this);
		}

	}

}
