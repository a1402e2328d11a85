package dev.taskqueue.beat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.SmartLifecycle;

import dev.taskqueue.SendOptions;
import dev.taskqueue.TaskClient;
import dev.taskqueue.registry.TaskRegistry;

/**
 * The beat (Celery's {@code celery beat}), run inside any number of applications at once: one of them leads,
 * through a lease with a fencing token in the {@link BeatStore}, and sends each entry's tasks when they fall
 * due; the others wait to take over. Each fire time is sent once: the leader records it as the entry's last
 * run (a compare-and-set that only the current lease may do) before sending, and a scheduler that took over
 * starts from the recorded last runs.
 * <p>
 * A scheduled send is an ordinary protocol v2 message, sent through the {@link TaskClient} with the entry's
 * options, the header {@value #PERIODIC_TASK_NAME} that django-celery-beat adds, and a task id derived from the
 * entry and the fire time ({@link #taskId}), so that a duplicate, if a stale leader ever sent one, carries the
 * same id.
 * <p>
 * <b>Missed times.</b> Fire times that fell while no scheduler led (the leader was killed, or every application
 * was down) are sent once, the latest of them, when a scheduler leads again, or not at all for an entry whose
 * {@link CatchUp} is {@code SKIP}: never once per missed time. Times that fall while this scheduler leads are
 * always sent, the latest once if it was slow. An entry never run before counts from when the leader first
 * sees it, as Celery's does, and that moment is recorded as its last run.
 * <p>
 * <b>Leases.</b> The leader renews its lease every third of it ({@code taskqueue.beat.lease}); the others try
 * to take it every second (at most a third of it), so a dead leader's successor leads within the lease and a
 * second. A leader that cannot reach the store stops sending once its lease has run out by its own clock.
 */
public class BeatScheduler implements BeatSchedule, SmartLifecycle {

	/** After the workers start, before they stop. */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 256;

	/** The header that names the entry a task was sent for, as django-celery-beat writes it. */
	public static final String PERIODIC_TASK_NAME = "periodic_task_name";

	private static final Logger logger = LoggerFactory.getLogger(BeatScheduler.class);

	private static final Duration MAX_WAIT = Duration.ofSeconds(1);

	private static final AtomicInteger INSTANCES = new AtomicInteger();

	private final TaskClient client;

	private final BeatStore store;

	private final Clock clock;

	private final ZoneId zone;

	private final Duration lease;

	private final Duration renewal;

	private final Duration poll;

	private final String owner;

	private final List<BeatEntry> configuredEntries;

	private final @Nullable TaskRegistry registry;

	private final BeatListener listener;

	private final BeatEntryCodec codec;

	private final Object monitor = new Object();

	private final Map<String, BeatEntry> configured = new LinkedHashMap<>();

	private final Map<String, String> sources = new HashMap<>();

	private Map<String, BeatEntry> runtime = Map.of();

	private final Map<String, Instant> lastRuns = new HashMap<>();

	private final Map<String, Instant> retryAt = new HashMap<>();

	private @Nullable BeatLease held;

	private Instant termStart = Instant.MIN;

	private Instant leaseValidUntil = Instant.MIN;

	private Instant nextLeaseCheck = Instant.MIN;

	private @Nullable Instant lastTick;

	private @Nullable String storeError;

	private volatile boolean running;

	private boolean woken;

	private @Nullable Thread thread;

	/**
	 * Start building a scheduler.
	 * @param client what sends the tasks
	 * @param store where the lead, last runs and run-time entries are kept
	 * @return a builder; every other setting has a default
	 */
	public static Builder builder(TaskClient client, BeatStore store) {
		return new Builder(client, store);
	}

	private BeatScheduler(Builder builder) {
		this.client = builder.client;
		this.store = builder.store;
		this.clock = builder.clock;
		this.zone = builder.zone;
		this.lease = builder.lease;
		this.renewal = builder.lease.dividedBy(3);
		this.poll = (this.renewal.compareTo(MAX_WAIT) < 0) ? this.renewal : MAX_WAIT;
		this.owner = (builder.owner != null) ? builder.owner : defaultOwner();
		this.configuredEntries = List.copyOf(builder.entries);
		this.registry = builder.registry;
		this.listener = builder.listener;
		this.codec = new BeatEntryCodec((builder.jsonMapper != null) ? builder.jsonMapper : JsonMapper.builder().build());
		for (BeatEntry entry : this.configuredEntries) {
			if (this.configured.put(entry.name(), entry) != null) {
				throw new IllegalArgumentException("Two beat entries are named '" + entry.name() + "'");
			}
			this.sources.put(entry.name(), "configuration");
		}
	}

	/**
	 * The id of the task sent for an entry's fire time: a name-based UUID (version 3) of
	 * {@code "beat:<entry>:<epoch milliseconds>"}, the same in every application.
	 * @param entry the entry's name
	 * @param scheduledAt the fire time
	 * @return the task id
	 */
	public static String taskId(String entry, Instant scheduledAt) {
		return UUID.nameUUIDFromBytes(("beat:" + entry + ":" + scheduledAt.toEpochMilli()).getBytes(StandardCharsets.UTF_8))
			.toString();
	}

	/**
	 * Read the {@link Periodic @Periodic} tasks (configuration's entries win over theirs), then tick on a
	 * thread of its own until stopped.
	 */
	@Override
	public void start() {
		synchronized (this) {
			if (this.running) {
				return;
			}
			if (this.registry != null) {
				for (BeatEntry entry : PeriodicEntries.of(this.registry, this.zone)) {
					if (this.configured.putIfAbsent(entry.name(), entry) == null) {
						this.sources.put(entry.name(), "annotation");
					}
				}
			}
			this.running = true;
		}
		// not a daemon: an application that only runs the beat (no web server, no worker) stays up for it, as
		// Celery's beat process does, until the context closes
		Thread loop = new Thread(this::loop, "taskqueue-beat");
		this.thread = loop;
		loop.start();
		logger.info("Beat started as {} with {} entries (lease {}, timezone {})", this.owner, this.configured.size(),
				this.lease, this.zone);
	}

	/**
	 * Stop ticking and give the lead up, so that another application takes it at once.
	 */
	@Override
	public void stop() {
		synchronized (this.monitor) {
			this.running = false;
			this.monitor.notifyAll();
		}
		Thread loop = this.thread;
		if (loop != null) {
			try {
				loop.join(Duration.ofSeconds(10).toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		synchronized (this) {
			BeatLease current = this.held;
			if (current != null) {
				try {
					this.store.release(current);
				}
				catch (RuntimeException ex) {
					logger.warn("Beat could not give the lead up; it passes on when the lease runs out: {}", ex.toString());
				}
				lost("stopped");
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	private void loop() {
		while (this.running) {
			Instant wake;
			try {
				wake = tick();
			}
			catch (RuntimeException ex) {
				logger.warn("Beat tick failed: {}", ex.toString(), ex);
				wake = this.clock.instant().plus(this.poll);
			}
			waitUntil(wake);
		}
	}

	private void waitUntil(Instant wake) {
		synchronized (this.monitor) {
			Duration wait = Duration.between(this.clock.instant(), wake);
			if (wait.compareTo(MAX_WAIT) > 0) {
				wait = MAX_WAIT;
			}
			if (this.running && !this.woken && !wait.isNegative() && !wait.isZero()) {
				try {
					this.monitor.wait(wait.toMillis() + 1);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					this.running = false;
				}
			}
			this.woken = false;
		}
	}

	private void wake() {
		synchronized (this.monitor) {
			this.woken = true;
			this.monitor.notifyAll();
		}
	}

	/**
	 * One look at the schedule: take or keep the lead when it is time to, then, when leading, send what is due.
	 * @return when to look again
	 */
	public synchronized Instant tick() {
		// to the millisecond, which every store keeps and task ids count in
		Instant now = this.clock.instant().truncatedTo(ChronoUnit.MILLIS);
		this.lastTick = now;
		if (!now.isBefore(this.nextLeaseCheck) || (this.held != null && !now.isBefore(this.leaseValidUntil))) {
			lead(now);
		}
		if (this.held == null) {
			return this.nextLeaseCheck;
		}
		Instant wake = this.nextLeaseCheck;
		for (BeatEntry entry : schedule().values()) {
			Instant next = fire(entry, now);
			if (this.held == null) {
				return this.nextLeaseCheck;
			}
			if (next.isBefore(wake)) {
				wake = next;
			}
		}
		return wake;
	}

	private void lead(Instant now) {
		try {
			BeatLease current = this.held;
			if (current == null) {
				BeatLease acquired = this.store.acquire(this.owner, this.lease);
				if (acquired != null) {
					this.held = acquired;
					this.termStart = now;
					this.leaseValidUntil = now.plus(this.lease);
					this.lastRuns.clear();
					this.lastRuns.putAll(this.store.lastRuns());
					this.retryAt.clear();
					this.runtime = readRuntime();
					logger.info("Beat: {} leads now (lease {}), with {} entries", this.owner, acquired.token(),
							schedule().size());
					notifyListener(() -> this.listener.leadershipChanged(true));
				}
				this.nextLeaseCheck = now.plus((acquired != null) ? this.renewal : this.poll);
			}
			else if (this.store.renew(current, this.lease)) {
				this.leaseValidUntil = now.plus(this.lease);
				this.runtime = readRuntime();
				this.nextLeaseCheck = now.plus(this.renewal);
			}
			else {
				lost("its lease ran out, or another scheduler took the lead");
				this.nextLeaseCheck = now.plus(this.poll);
			}
			if (this.storeError != null) {
				this.storeError = null;
				logger.info("Beat reaches its store again");
			}
		}
		catch (RuntimeException ex) {
			if (this.storeError == null) {
				logger.warn("Beat cannot reach its store, trying every {}: {}", this.poll, ex.toString());
			}
			this.storeError = ex.toString();
			if (this.held != null && !now.isBefore(this.leaseValidUntil)) {
				lost("its lease ran out while the store was unreachable");
			}
			this.nextLeaseCheck = now.plus(this.poll);
		}
	}

	private void lost(String reason) {
		if (this.held != null) {
			this.held = null;
			logger.info("Beat: {} no longer leads: {}", this.owner, reason);
			notifyListener(() -> this.listener.leadershipChanged(false));
		}
	}

	/**
	 * Send an entry's due fire time, if any.
	 * @return when the entry is due next
	 */
	private Instant fire(BeatEntry entry, Instant now) {
		Schedule schedule = entry.schedule();
		Instant last = this.lastRuns.get(entry.name());
		if (last == null) {
			// as Celery, an entry never run counts from when it is first seen, and that is kept
			record(entry.name(), null, now);
			return schedule.next(now);
		}
		Instant due = schedule.next(last);
		Instant retry = this.retryAt.get(entry.name());
		if (due.isAfter(now) || (retry != null && retry.isAfter(now))) {
			return (retry != null && retry.isAfter(due)) ? retry : due;
		}
		Instant latest = schedule.latest(last, now);
		if (latest == null) {
			return due;
		}
		if (latest.isBefore(this.termStart) && entry.catchUp() == CatchUp.SKIP) {
			if (record(entry.name(), last, latest)) {
				logger.info("Beat skipped {} ({}) due at {}, missed while no scheduler led", entry.name(), entry.task(),
						latest);
			}
			return schedule.next(latest);
		}
		if (!record(entry.name(), last, latest)) {
			return schedule.next(latest);
		}
		send(entry, last, latest, now);
		return schedule.next(latest);
	}

	private void send(BeatEntry entry, Instant previous, Instant scheduledAt, Instant now) {
		String taskId = taskId(entry.name(), scheduledAt);
		SendOptions options = entry.options().withTaskId(taskId).withHeader(PERIODIC_TASK_NAME, entry.name());
		try {
			this.client.withOptions(options).send(entry.task(), entry.args(), entry.kwargs());
		}
		catch (RuntimeException ex) {
			// not sent: give the fire time back, so that the next try sends it
			logger.warn("Beat could not send {} ({}) due at {}, trying again in {}: {}", entry.name(), entry.task(),
					scheduledAt, this.poll, ex.toString());
			this.retryAt.put(entry.name(), now.plus(this.poll));
			record(entry.name(), scheduledAt, previous);
			return;
		}
		this.retryAt.remove(entry.name());
		logger.debug("Beat sent {} ({}) due at {}: task {}", entry.name(), entry.task(), scheduledAt, taskId);
		notifyListener(() -> this.listener.sent(entry, scheduledAt, taskId));
	}

	/**
	 * Record a last run under the lease; when refused, find out whether the lead was lost or the value moved.
	 */
	private boolean record(String entry, @Nullable Instant expected, Instant lastRun) {
		BeatLease current = this.held;
		if (current == null) {
			return false;
		}
		try {
			if (this.store.recordRun(current, entry, expected, lastRun)) {
				this.lastRuns.put(entry, lastRun);
				return true;
			}
			if (this.store.renew(current, this.lease)) {
				logger.info("Beat: the last run of {} changed in the store; reading the last runs again", entry);
				this.lastRuns.clear();
				this.lastRuns.putAll(this.store.lastRuns());
			}
			else {
				lost("its lease ran out, or another scheduler took the lead");
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Beat could not record the last run of {}: {}", entry, ex.toString());
		}
		return false;
	}

	private Map<String, BeatEntry> readRuntime() {
		Map<String, BeatEntry> entries = new LinkedHashMap<>();
		this.store.entries().forEach((name, definition) -> {
			try {
				entries.put(name, this.codec.read(name, definition));
			}
			catch (RuntimeException ex) {
				logger.warn("Beat ignores the entry {} kept in its store: {}", name, ex.getMessage());
			}
		});
		return entries;
	}

	private Map<String, BeatEntry> schedule() {
		Map<String, BeatEntry> schedule = new LinkedHashMap<>(this.configured);
		schedule.putAll(this.runtime);
		return schedule;
	}

	private void notifyListener(Runnable call) {
		try {
			call.run();
		}
		catch (RuntimeException ex) {
			logger.warn("A beat listener failed: {}", ex.toString(), ex);
		}
	}

	@Override
	public void put(BeatEntry entry) {
		String definition = this.codec.write(entry);
		this.store.putEntry(entry.name(), definition);
		synchronized (this) {
			Map<String, BeatEntry> updated = new LinkedHashMap<>(this.runtime);
			updated.put(entry.name(), entry);
			this.runtime = updated;
		}
		wake();
	}

	@Override
	public void remove(String name) {
		this.store.removeEntry(name);
		synchronized (this) {
			Map<String, BeatEntry> updated = new LinkedHashMap<>(this.runtime);
			if (updated.remove(name) != null) {
				this.lastRuns.remove(name);
			}
			this.runtime = updated;
		}
		wake();
	}

	@Override
	public synchronized Map<String, BeatEntry> entries() {
		return Map.copyOf(schedule());
	}

	@Override
	public ZoneId timezone() {
		return this.zone;
	}

	@Override
	public synchronized BeatStatus status() {
		boolean leading = this.held != null;
		Map<String, Instant> runs = this.lastRuns;
		String leader = leading ? this.owner : null;
		if (!leading) {
			try {
				runs = this.store.lastRuns();
				leader = this.store.leader();
			}
			catch (RuntimeException ex) {
				// the store is away: say what is known here
			}
		}
		List<BeatStatus.Entry> entries = new ArrayList<>();
		for (BeatEntry entry : schedule().values()) {
			Instant last = runs.get(entry.name());
			entries.add(new BeatStatus.Entry(entry.name(), entry.task(), entry.schedule().describe(),
					this.runtime.containsKey(entry.name()) ? "runtime" : this.sources.getOrDefault(entry.name(), "runtime"),
					last, (last != null) ? entry.schedule().next(last) : null));
		}
		return new BeatStatus(this.running, leading, this.owner, leader, this.lastTick, this.zone.getId(), this.lease,
				this.storeError, entries);
	}

	/**
	 * This scheduler's name in leases and logs.
	 * @return the name
	 */
	public String owner() {
		return this.owner;
	}

	private static String defaultOwner() {
		String host;
		try {
			host = InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			host = "localhost";
		}
		// a second scheduler of the same JVM (tests run several) gets a number of its own
		int instance = INSTANCES.incrementAndGet();
		return "beat-" + ProcessHandle.current().pid() + "@" + host + ((instance > 1) ? "#" + instance : "");
	}

	/**
	 * Builds a {@link BeatScheduler}: what it cannot do without is given up front, the rest has defaults.
	 */
	public static final class Builder {

		private final TaskClient client;

		private final BeatStore store;

		private Clock clock = Clock.systemUTC();

		private ZoneId zone = ZoneOffset.UTC;

		private Duration lease = Duration.ofSeconds(10);

		private @Nullable String owner;

		private final List<BeatEntry> entries = new ArrayList<>();

		private @Nullable TaskRegistry registry;

		private BeatListener listener = new BeatListener() {
		};

		private @Nullable JsonMapper jsonMapper;

		private Builder(TaskClient client, BeatStore store) {
			this.client = client;
			this.store = store;
		}

		/**
		 * The clock fire times are computed by; by default the system's.
		 * @param clock the clock
		 * @return this builder
		 */
		public Builder clock(Clock clock) {
			this.clock = clock;
			return this;
		}

		/**
		 * The zone the crontabs of {@link Periodic @Periodic} are read in, and that {@link #cron} uses
		 * ({@code taskqueue.beat.timezone}); by default UTC.
		 * @param zone the zone
		 * @return this builder
		 */
		public Builder timezone(ZoneId zone) {
			this.zone = zone;
			return this;
		}

		/**
		 * How long the lead lasts unless renewed ({@code taskqueue.beat.lease}); by default 10 seconds. It is
		 * renewed every third of it.
		 * @param lease the lease, at least 300 milliseconds
		 * @return this builder
		 */
		public Builder lease(Duration lease) {
			if (lease.compareTo(Duration.ofMillis(300)) < 0) {
				throw new IllegalArgumentException("The beat's lease must be at least 300ms, was " + lease);
			}
			this.lease = lease;
			return this;
		}

		/**
		 * This scheduler's name in leases and logs; by default {@code beat-<pid>@<host>}, and {@code #2},
		 * {@code #3}... for more schedulers of one JVM.
		 * @param owner the name
		 * @return this builder
		 */
		public Builder owner(String owner) {
			this.owner = owner;
			return this;
		}

		/**
		 * Entries of the configuration.
		 * @param entries the entries, with unique names
		 * @return this builder
		 */
		public Builder entries(Collection<BeatEntry> entries) {
			this.entries.addAll(entries);
			return this;
		}

		/**
		 * The tasks whose {@link Periodic @Periodic} entries are read when the scheduler starts.
		 * @param registry the application's tasks
		 * @return this builder
		 */
		public Builder periodicTasks(TaskRegistry registry) {
			this.registry = registry;
			return this;
		}

		/**
		 * Who is told of sends and leader changes.
		 * @param listener the listener
		 * @return this builder
		 */
		public Builder listener(BeatListener listener) {
			this.listener = listener;
			return this;
		}

		/**
		 * The mapper that writes the entries put at run time; by default Jackson's defaults.
		 * @param jsonMapper the mapper
		 * @return this builder
		 */
		public Builder jsonMapper(JsonMapper jsonMapper) {
			this.jsonMapper = jsonMapper;
			return this;
		}

		/**
		 * Build the scheduler; {@link BeatScheduler#start()} starts it.
		 * @return the scheduler
		 */
		public BeatScheduler build() {
			return new BeatScheduler(this);
		}

	}

}
