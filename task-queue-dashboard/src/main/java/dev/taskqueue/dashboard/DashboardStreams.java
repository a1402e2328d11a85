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
import org.springframework.http.HttpStatus;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

import dev.taskqueue.events.state.Changes;
import dev.taskqueue.events.state.ClusterState;
import dev.taskqueue.events.state.ObservedTask;
import dev.taskqueue.events.state.ObservedWorker;

/**
 * The dashboard's live updates: server-sent events ({@code {path}/stream}) of the tasks and workers that changed,
 * named {@code task} and {@code worker}, each a JSON row as the pages render it. One thread of its own asks the
 * {@link ClusterState} what changed every {@link #INTERVAL} and writes it to every open stream, so that the
 * events' transport thread never waits for a browser; while no stream is open it reads nothing. The cost does not
 * grow with the event rate: at most
 * {@link #MAX_TASKS_PER_PUSH} tasks per push (the most recently changed), at most {@code maxStreams} streams
 * (more are refused with 503), each closed after {@link #STREAM_TIMEOUT} (the browser reconnects by itself).
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

	private final Set<ServerResponse.SseBuilder> streams = ConcurrentHashMap.newKeySet();

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
	 * Open a stream: {@code GET {path}/stream}.
	 * @param request the request
	 * @return the stream, or 503 if {@code maxStreams} are open
	 */
	ServerResponse open(ServerRequest request) {
		if (this.streams.size() >= this.maxStreams || this.pusher == null) {
			return ServerResponse.status(HttpStatus.SERVICE_UNAVAILABLE)
				.header("Retry-After", "30")
				.body("Too many live views are open (taskqueue.dashboard.max-streams=" + this.maxStreams + ")");
		}
		return ServerResponse.sse((sse) -> {
			sse.onComplete(() -> this.streams.remove(sse));
			sse.onTimeout(() -> this.streams.remove(sse));
			sse.onError((ex) -> this.streams.remove(sse));
			try {
				// the headers reach the browser now, not with the first change
				sse.comment("taskqueue").send();
				synchronized (this.lock) {
					if (this.streams.isEmpty()) {
						// nothing was read while no stream was open: start from now
						this.sequence = this.state.changesSince(this.sequence).sequence();
					}
					this.streams.add(sse);
				}
			}
			catch (IOException ex) {
				sse.complete();
			}
		}, STREAM_TIMEOUT);
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
		List<String[]> events = new ArrayList<>();
		// oldest change first, so that the newest task ends at the top of the page
		List<ObservedTask> tasks = changes.tasks();
		for (int i = Math.min(tasks.size(), MAX_TASKS_PER_PUSH) - 1; i >= 0; i--) {
			events.add(new String[] { "task", json(Rows.task(tasks.get(i))) });
		}
		for (ObservedWorker worker : changes.workers()) {
			events.add(new String[] { "worker", json(Rows.worker(worker)) });
		}
		for (ServerResponse.SseBuilder stream : this.streams) {
			try {
				for (String[] event : events) {
					stream.event(event[0]).data(event[1]);
				}
				if (keepAlive) {
					stream.comment("keep-alive").send();
				}
			}
			catch (IOException | RuntimeException ex) {
				// the browser went away
				this.streams.remove(stream);
				stream.complete();
			}
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
		ScheduledExecutorService executor = this.pusher;
		this.pusher = null;
		if (executor != null) {
			executor.shutdownNow();
		}
		for (ServerResponse.SseBuilder stream : this.streams) {
			this.streams.remove(stream);
			stream.complete();
		}
	}

	@Override
	public boolean isRunning() {
		return this.pusher != null;
	}

}
