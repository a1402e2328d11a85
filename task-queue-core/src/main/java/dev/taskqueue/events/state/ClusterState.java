package dev.taskqueue.events.state;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.events.CeleryEvent;

/**
 * The cluster as its events show it, Celery's {@code celery.events.state.State}: feed it every event
 * ({@link #event(CeleryEvent)}, for instance from {@code EventReceiver.subscribe(state::event)}) and read the
 * workers, the recent tasks and the throughput from any thread.
 * <p>
 * Bounded whatever the event rate: it keeps at most {@code maxTasks} tasks (the least recently changed are
 * forgotten first, Celery's {@code max_tasks_in_memory}) and {@code maxWorkers} workers (offline ones first,
 * Celery's {@code max_workers_in_memory}), and a fixed number of throughput buckets.
 * <p>
 * Thread-safe; {@link #event(CeleryEvent)} is cheap (a map update under a lock), so that it can run on the
 * transport's thread.
 * <p>
 * Where it differs from Celery's: a worker stays (as offline) after its {@code worker-offline} instead of being
 * dropped, so that a dashboard can show it went away; a field an event carries as {@code null} does not erase
 * what an earlier event said; a task's {@code retries} is the largest any event said; times of life (a worker's
 * liveness, the throughput buckets) are read from this state's {@link Clock} when the event is folded in, as
 * Celery's {@code local_received}, while a task's times ({@code sent}, {@code started}...) are the events'
 * {@code timestamp}s.
 */
public class ClusterState {

	/** Celery's {@code max_tasks_in_memory} default. */
	public static final int DEFAULT_MAX_TASKS = 10_000;

	/** Celery's {@code max_workers_in_memory} default. */
	public static final int DEFAULT_MAX_WORKERS = 5_000;

	/** How many unknown parents the children that came first are kept for (Celery's {@code _tasks_to_resolve}). */
	private static final int MAX_PENDING_PARENTS = 1_000;

	/** How many children are kept for a parent not heard of yet. */
	private static final int MAX_PENDING_CHILDREN = 100;

	private final Object lock = new Object();

	private final int maxTasks;

	private final int maxWorkers;

	private final Clock clock;

	private final Map<String, TaskRecord> tasks = new HashMap<>();

	/** The least recently changed task: the list runs from it to {@link #newest} through {@code newer}. */
	private @Nullable TaskRecord oldest;

	private @Nullable TaskRecord newest;

	private final Map<String, WorkerRecord> workers = new TreeMap<>();

	private final Map<String, Set<String>> pendingChildren = new LinkedHashMap<>(16, 0.75f, false) {

		@Override
		protected boolean removeEldestEntry(Map.Entry<String, Set<String>> eldest) {
			return size() > MAX_PENDING_PARENTS;
		}

	};

	private final ThroughputRing throughput = new ThroughputRing();

	private long sequence;

	/**
	 * A state with Celery's bounds and the system clock.
	 */
	public ClusterState() {
		this(DEFAULT_MAX_TASKS, DEFAULT_MAX_WORKERS, Clock.systemUTC());
	}

	/**
	 * A state of given bounds.
	 * @param maxTasks how many tasks to keep at most
	 * @param maxWorkers how many workers to keep at most
	 * @param clock what tells the time (a worker's liveness, the throughput buckets)
	 * @throws IllegalArgumentException if a bound is less than 1
	 */
	public ClusterState(int maxTasks, int maxWorkers, Clock clock) {
		if (maxTasks < 1 || maxWorkers < 1) {
			throw new IllegalArgumentException(
					"maxTasks and maxWorkers must be at least 1, were " + maxTasks + " and " + maxWorkers);
		}
		this.maxTasks = maxTasks;
		this.maxWorkers = maxWorkers;
		this.clock = clock;
	}

	/**
	 * Fold one event in: a task event ({@code task-*}, with a {@code uuid}) updates (or creates) its task, a worker
	 * event ({@code worker-*}, with a {@code hostname}) its worker; any other event is ignored. A task event from a
	 * worker also counts as a sign of that worker's life, as in Celery. A field that is missing or of the wrong
	 * type is ignored: this never throws for an event's content.
	 * @param event the event, as received
	 */
	public void event(CeleryEvent event) {
		String type = event.type();
		int dash = type.indexOf('-');
		if (dash < 0) {
			return;
		}
		String group = type.substring(0, dash);
		String subject = type.substring(dash + 1);
		synchronized (this.lock) {
			Instant now = this.clock.instant();
			if ("task".equals(group)) {
				taskEvent(subject, event, now);
			}
			else if ("worker".equals(group)) {
				workerEvent(subject, event, now);
			}
		}
	}

	private void taskEvent(String subject, CeleryEvent event, Instant now) {
		String id = event.uuid();
		if (id == null || id.isEmpty()) {
			return;
		}
		TaskRecord task = this.tasks.get(id);
		if (task == null) {
			task = new TaskRecord(id);
			this.tasks.put(id, task);
			Set<String> children = this.pendingChildren.remove(id);
			if (children != null) {
				children.forEach(task::addChild);
			}
		}
		else {
			unlink(task);
		}
		String queueBefore = task.queue;
		boolean taken = task.apply(subject, event, EventFields.timestamp(event, now));
		String hostname = event.hostname();
		if (!"sent".equals(subject) && hostname != null && !hostname.isEmpty()) {
			WorkerRecord worker = workerFor(hostname, now);
			worker.heard(now);
			stamp(worker, now);
		}
		linkToParent(task);
		counted(task, taken, queueBefore, ThroughputRing.bucketOf(now));
		task.sequence = ++this.sequence;
		append(task);
		while (this.tasks.size() > this.maxTasks && this.oldest != null) {
			TaskRecord evicted = this.oldest;
			unlink(evicted);
			this.tasks.remove(evicted.id);
		}
	}

	private void linkToParent(TaskRecord task) {
		String parentId = task.parentId;
		if (parentId == null) {
			return;
		}
		TaskRecord parent = this.tasks.get(parentId);
		if (parent != null) {
			parent.addChild(task.id);
			return;
		}
		Set<String> pending = this.pendingChildren.computeIfAbsent(parentId, (key) -> new LinkedHashSet<>());
		if (pending.size() < MAX_PENDING_CHILDREN) {
			pending.add(task.id);
		}
	}

	/**
	 * Count a task in the throughput once, when it first takes {@code SUCCESS} or {@code FAILURE}; and in its
	 * queue's when the queue is known then or becomes known later (a client's {@code task-sent} often comes after
	 * the worker's events).
	 */
	private void counted(TaskRecord task, boolean taken, @Nullable String queueBefore, long now) {
		boolean finished = "SUCCESS".equals(task.state) || "FAILURE".equals(task.state);
		if (taken && finished && task.countedBucket < 0) {
			task.countedBucket = now;
			task.countedFailure = "FAILURE".equals(task.state);
			this.throughput.count(now, now, task.countedFailure);
			if (task.queue != null) {
				this.throughput.countQueue(task.queue, now, now);
			}
		}
		else if (task.countedBucket >= 0 && queueBefore == null && task.queue != null) {
			this.throughput.countQueue(task.queue, task.countedBucket, now);
		}
	}

	private void workerEvent(String subject, CeleryEvent event, Instant now) {
		String hostname = event.hostname();
		if (hostname == null || hostname.isEmpty()) {
			return;
		}
		WorkerRecord worker = workerFor(hostname, now);
		worker.apply(subject, event, now);
		stamp(worker, now);
	}

	private WorkerRecord workerFor(String hostname, Instant now) {
		WorkerRecord worker = this.workers.get(hostname);
		if (worker == null) {
			worker = new WorkerRecord(hostname);
			if (this.workers.size() >= this.maxWorkers) {
				evictWorker(now);
			}
			this.workers.put(hostname, worker);
		}
		return worker;
	}

	/** Forget the worker heard of least recently, among those not alive if there is any. */
	private void evictWorker(Instant now) {
		WorkerRecord victim = null;
		boolean victimAlive = true;
		for (WorkerRecord worker : this.workers.values()) {
			boolean alive = worker.alive(now);
			if (victim == null || (victimAlive && !alive)
					|| (victimAlive == alive && heardBefore(worker, victim))) {
				victim = worker;
				victimAlive = alive;
			}
		}
		if (victim != null) {
			this.workers.remove(victim.hostname);
		}
	}

	private static boolean heardBefore(WorkerRecord worker, WorkerRecord other) {
		if (worker.lastHeard == null || other.lastHeard == null) {
			return worker.lastHeard == null && other.lastHeard != null;
		}
		return worker.lastHeard.isBefore(other.lastHeard);
	}

	private void stamp(WorkerRecord worker, Instant now) {
		worker.sequence = ++this.sequence;
		worker.reportedAlive = worker.alive(now);
	}

	/** A worker that expired since it was last looked at has changed: stamp it so that live views hear of it. */
	private void refreshLiveness(Instant now) {
		for (WorkerRecord worker : this.workers.values()) {
			if (worker.alive(now) != worker.reportedAlive) {
				stamp(worker, now);
			}
		}
	}

	private void append(TaskRecord task) {
		task.older = this.newest;
		task.newer = null;
		if (this.newest != null) {
			this.newest.newer = task;
		}
		this.newest = task;
		if (this.oldest == null) {
			this.oldest = task;
		}
	}

	private void unlink(TaskRecord task) {
		if (task.older != null) {
			task.older.newer = task.newer;
		}
		else {
			this.oldest = task.newer;
		}
		if (task.newer != null) {
			task.newer.older = task.older;
		}
		else {
			this.newest = task.older;
		}
		task.older = null;
		task.newer = null;
	}

	/**
	 * The workers heard of, by node name, offline ones among them until forgotten.
	 * @return the workers, sorted by node name
	 */
	public List<ObservedWorker> workers() {
		synchronized (this.lock) {
			Instant now = this.clock.instant();
			refreshLiveness(now);
			List<ObservedWorker> workers = new ArrayList<>(this.workers.size());
			for (WorkerRecord worker : this.workers.values()) {
				workers.add(worker.observed(now));
			}
			return workers;
		}
	}

	/**
	 * One worker.
	 * @param hostname its node name
	 * @return the worker, or {@code null} if never heard of (or forgotten)
	 */
	public @Nullable ObservedWorker worker(String hostname) {
		synchronized (this.lock) {
			WorkerRecord worker = this.workers.get(hostname);
			return (worker != null) ? worker.observed(this.clock.instant()) : null;
		}
	}

	/**
	 * The recent tasks that match, newest (most recently changed) first.
	 * @param query which, and how many at most (none if its limit is 0 or less)
	 * @return the tasks
	 */
	public List<ObservedTask> tasks(TaskQuery query) {
		String name = (query.name() != null) ? query.name().toLowerCase(Locale.ROOT) : null;
		List<ObservedTask> tasks = new ArrayList<>(Math.max(Math.min(query.limit(), 1_000), 0));
		synchronized (this.lock) {
			for (TaskRecord task = this.newest; task != null && tasks.size() < query.limit(); task = task.older) {
				if (matches(task, query, name)) {
					tasks.add(task.observed(this.tasks));
				}
			}
		}
		return tasks;
	}

	private static boolean matches(TaskRecord task, TaskQuery query, @Nullable String name) {
		return (query.state() == null || query.state().equals(task.state))
				&& (query.worker() == null || query.worker().equals(task.worker))
				&& (name == null || (task.name != null && task.name.toLowerCase(Locale.ROOT).contains(name)));
	}

	/**
	 * One task.
	 * @param id its id
	 * @return the task, or {@code null} if never heard of (or forgotten)
	 */
	public @Nullable ObservedTask task(String id) {
		synchronized (this.lock) {
			TaskRecord task = this.tasks.get(id);
			return (task != null) ? task.observed(this.tasks) : null;
		}
	}

	/**
	 * What changed since a sequence number: what a live view pushes to its page. Cheap: the tasks are kept in
	 * the order of their changes, so this walks back from the newest change only as far as {@code sequence}
	 * (and over the workers, to notice those whose heartbeat expired). A worker that expired counts as changed.
	 * Forgotten tasks are not reported.
	 * @param sequence the {@link Changes#sequence()} of the last call, or 0 for everything held (a sequence this
	 * state never reached, say from before a restart, also means everything)
	 * @return the changes
	 */
	public Changes changesSince(long sequence) {
		synchronized (this.lock) {
			Instant now = this.clock.instant();
			refreshLiveness(now);
			long since = (sequence < 0 || sequence > this.sequence) ? 0 : sequence;
			List<ObservedTask> tasks = new ArrayList<>();
			for (TaskRecord task = this.newest; task != null && task.sequence > since; task = task.older) {
				tasks.add(task.observed(this.tasks));
			}
			List<ObservedWorker> workers = new ArrayList<>();
			for (WorkerRecord worker : this.workers.values()) {
				if (worker.sequence > since) {
					workers.add(worker.observed(now));
				}
			}
			return new Changes(this.sequence, tasks, workers);
		}
	}

	/**
	 * The sequence number of the newest change: a page drawn now passes it to its live view, which then asks
	 * {@link #changesSince(long)} from there, so that nothing changed between the drawing and the view's first push
	 * is missed.
	 * @return the newest sequence number, 0 before any event
	 */
	public long sequence() {
		synchronized (this.lock) {
			return this.sequence;
		}
	}

	/**
	 * How many tasks finished over the last minutes: ten-second buckets over the last ten minutes, the last
	 * bucket the one the clock is in now. A task is counted once, in the bucket it was heard to succeed or fail.
	 * @return the throughput
	 */
	public Throughput throughput() {
		synchronized (this.lock) {
			return this.throughput.read(ThroughputRing.bucketOf(this.clock.instant()));
		}
	}

	/**
	 * How many tasks the history holds now (never more than {@code maxTasks}).
	 * @return the number
	 */
	public int taskCount() {
		synchronized (this.lock) {
			return this.tasks.size();
		}
	}

}
