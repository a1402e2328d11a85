package dev.taskqueue.dashboard;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.SmartLifecycle;

import dev.taskqueue.events.state.Changes;
import dev.taskqueue.events.state.ClusterState;
import dev.taskqueue.events.state.ObservedTask;
import dev.taskqueue.events.state.ObservedWorker;

/**
 * The dashboard's live updates: server-sent events ({@code {path}/stream}, served by Spring MVC or WebFlux) of the
 * tasks and workers that changed, named {@code task} and {@code worker}, each a JSON row as the pages render it. One
 * thread of its own asks the {@link ClusterState} what changed every {@link #INTERVAL} and writes it to every open
 * stream, so that the events' transport thread never waits for a browser; while no stream is open it reads nothing.
 * The cost does not grow with the event rate: at most {@link #MAX_TASKS_PER_PUSH} tasks per push (the most recently
 * changed), at most {@code maxStreams} streams (more are refused with 503), each closed after
 * {@link #STREAM_TIMEOUT} (the browser reconnects by itself).
 */
public class DashboardStreams implements SmartLifecycle {

	/** How often the changes are pushed. */
	public static final Duration INTERVAL = Duration.ofMillis(500);

	/** How long one stream stays open; {@code EventSource} reconnects after it. */
	public static final Duration STREAM_TIMEOUT = Duration.ofMinutes(10);

	/** How many tasks one push sends at most: a burst beyond it shows on the next reload. */
	public static final int MAX_TASKS_PER_PUSH = 200;

	/** Pushes between two comments that find the streams whose browser went away. */
	private static final int KEEP_ALIVE_EVERY = 30;

	private static final Logger logger = LoggerFactory.getLogger(DashboardStreams.class);

	private final ClusterState state;

	private final int maxStreams;

	private final JsonMapper mapper;

	private final Set<LiveView> streams = ConcurrentHashMap.newKeySet();

	private final Object lock = new Object();

	private long sequence;

	private long pushes;

	private volatile @Nullable ScheduledExecutorService pusher;

	/**
	 * Create the streams.
	 * @param state what changed is read from
	 * @param maxStreams how many streams may be open at once ({@code taskqueue.dashboard.max-streams})
	 * @param mapper writes the rows' JSON
	 */
	public DashboardStreams(ClusterState state, int maxStreams, JsonMapper mapper) {
		this.state = state;
		this.maxStreams = maxStreams;
		this.mapper = mapper;
	}

	/**
	 * Whether another stream may open: fewer than {@code maxStreams} are, and the streams are running.
	 * @return whether {@link #open} may be called
	 */
	boolean accepting() {
		return this.streams.size() < this.maxStreams && this.pusher != null;
	}

	/**
	 * Why a stream was refused, for the 503 that {@link #accepting()} false answers.
	 * @return the message
	 */
	String refusal() {
		return "Too many live views are open (taskqueue.dashboard.max-streams=" + this.maxStreams + ")";
	}

	/**
	 * Open a stream: {@code GET {path}/stream[?since=]}. It first gets what changed since the sequence number
	 * the page was drawn at ({@code since}) or since the last event the browser received ({@code Last-Event-ID}),
	 * then every change. Checked again here, under the streams' lock: a stream refused now (the streams stopped, or
	 * {@code maxStreams} opened since {@link #accepting()}) is completed at once.
	 * @param view the stream
	 * @param since where the stream starts ({@link #since(String, String)}), or {@code null} for now
	 * @return whether it was opened
	 * @throws IOException if the browser went away meanwhile
	 */
	boolean open(LiveView view, @Nullable Long since) throws IOException {
		synchronized (this.lock) {
			if (!accepting()) {
				view.complete();
				return false;
			}
			// what changed between the page's drawing (or the last event this browser had) and now
			Changes missed = (since != null) ? this.state.changesSince(since) : null;
			if (missed != null) {
				for (LiveView.LiveEvent event : events(missed)) {
					view.send(event);
				}
			}
			if (this.streams.isEmpty()) {
				// nothing was read while no stream was open: start from now
				this.sequence = (missed != null) ? missed.sequence() : this.state.changesSince(this.sequence).sequence();
			}
			this.streams.add(view);
			return true;
		}
	}

	/**
	 * A stream ended: its browser went away, or it timed out.
	 * @param view the stream
	 */
	void close(LiveView view) {
		this.streams.remove(view);
	}

	/**
	 * How many streams are open.
	 * @return the number
	 */
	public int openStreams() {
		return this.streams.size();
	}

	/**
	 * Push what changed since the last push to every open stream. Called every {@link #INTERVAL} by the streams'
	 * thread.
	 */
	void push() {
		Changes changes;
		boolean keepAlive;
		synchronized (this.lock) {
			// no stream, no reading: a dashboard nobody looks at costs nothing
			if (this.streams.isEmpty()) {
				return;
			}
			changes = this.state.changesSince(this.sequence);
			this.sequence = changes.sequence();
			keepAlive = ++this.pushes % KEEP_ALIVE_EVERY == 0;
		}
		List<LiveView.LiveEvent> events = events(changes);
		for (LiveView stream : this.streams) {
			send(stream, events, keepAlive);
		}
	}

	/**
	 * The events of some changes, oldest change first, so that the newest task ends at the top of the page; each
	 * with the changes' sequence number as its id, which the browser sends back ({@code Last-Event-ID}) when it
	 * reconnects.
	 */
	private List<LiveView.LiveEvent> events(Changes changes) {
		List<LiveView.LiveEvent> events = new ArrayList<>();
		String id = Long.toString(changes.sequence());
		List<ObservedTask> tasks = changes.tasks();
		for (int i = Math.min(tasks.size(), MAX_TASKS_PER_PUSH) - 1; i >= 0; i--) {
			events.add(new LiveView.LiveEvent("task", json(Rows.task(tasks.get(i))), id));
		}
		for (ObservedWorker worker : changes.workers()) {
			events.add(new LiveView.LiveEvent("worker", json(Rows.worker(worker)), id));
		}
		return events;
	}

	private void send(LiveView stream, List<LiveView.LiveEvent> events, boolean keepAlive) {
		try {
			for (LiveView.LiveEvent event : events) {
				stream.send(event);
			}
			if (keepAlive) {
				stream.keepAlive();
			}
		}
		catch (IOException | RuntimeException ex) {
			// the browser went away
			this.streams.remove(stream);
			stream.complete();
		}
	}

	/**
	 * Where a stream starts: after the last event the browser had ({@code Last-Event-ID}, sent when it
	 * reconnects), else after the sequence its page was drawn at ({@code ?since=}), else from now.
	 * @param lastEventId the request's {@code Last-Event-ID}, or {@code null}
	 * @param since its {@code since} parameter, or {@code null}
	 * @return the sequence number, or {@code null} for now
	 */
	static @Nullable Long since(@Nullable String lastEventId, @Nullable String since) {
		String start = (lastEventId != null) ? lastEventId : since;
		try {
			return (start != null) ? Long.parseLong(start.trim()) : null;
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	private String json(Map<String, String> row) {
		return this.mapper.writeValueAsString(row);
	}

	@Override
	public void start() {
		ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "taskqueue-dashboard-streams");
			thread.setDaemon(true);
			return thread;
		});
		executor.scheduleWithFixedDelay(this::pushSafely, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
		this.pusher = executor;
	}

	private void pushSafely() {
		try {
			push();
		}
		catch (RuntimeException ex) {
			logger.warn("Live updates of the dashboard failed: {}", ex.toString());
		}
	}

	@Override
	public void stop() {
		ScheduledExecutorService executor;
		synchronized (this.lock) {
			// no stream opens after this
			executor = this.pusher;
			this.pusher = null;
		}
		if (executor != null) {
			executor.shutdownNow();
			try {
				// a push under way ends before the streams do: one writer to a stream at a time
				executor.awaitTermination(INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		for (LiveView stream : this.streams) {
			this.streams.remove(stream);
			stream.complete();
		}
	}

	@Override
	public boolean isRunning() {
		return this.pusher != null;
	}

}
