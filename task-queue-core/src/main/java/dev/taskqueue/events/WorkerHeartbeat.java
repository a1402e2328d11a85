package dev.taskqueue.events;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.taskqueue.listener.TaskEvent;
import dev.taskqueue.listener.TaskListener;
import dev.taskqueue.listener.TaskOutcome;
import dev.taskqueue.listener.WorkerEvent;

/**
 * A worker's presence in Celery's events, as Celery's {@code Heart} sends it: {@code worker-online} when the worker
 * is ready, {@code worker-heartbeat} every interval while it runs, {@code worker-offline} when it stops, each with
 * {@code freq} (the interval in seconds), {@code active} (tasks running now), {@code processed} (tasks started
 * since the worker started), {@code loadavg} and the {@link SoftwareInfo}. Celery's monitors count a worker as
 * offline when no heartbeat came for twice its {@code freq}.
 * <p>
 * As a {@link TaskListener} it is told when the worker is ready and stopping, and counts the tasks; with several
 * worker groups the worker is online from the first group ready to the last one stopping.
 */
public class WorkerHeartbeat implements TaskListener, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(WorkerHeartbeat.class);

	private static final Path PROC_LOADAVG = Path.of("/proc/loadavg");

	private final EventDispatcher dispatcher;

	private final Duration interval;

	private final SoftwareInfo software;

	private final AtomicInteger readyGroups = new AtomicInteger();

	private final AtomicInteger active = new AtomicInteger();

	private final AtomicLong processed = new AtomicLong();

	private @Nullable ScheduledExecutorService timer;

	private @Nullable ScheduledFuture<?> beats;

	/**
	 * Create the heartbeat.
	 * @param dispatcher sends the events
	 * @param interval how often to send a heartbeat (Celery's {@code heartbeat_interval}, 2 seconds)
	 */
	public WorkerHeartbeat(EventDispatcher dispatcher, Duration interval) {
		if (interval.isNegative() || interval.isZero()) {
			throw new IllegalArgumentException("the heartbeat interval must be positive, was " + interval);
		}
		this.dispatcher = dispatcher;
		this.interval = interval;
		this.software = SoftwareInfo.current();
	}

	@Override
	public void workerReady(WorkerEvent worker) {
		if (this.readyGroups.getAndIncrement() == 0) {
			start();
		}
	}

	@Override
	public void workerStopping(WorkerEvent worker) {
		if (this.readyGroups.decrementAndGet() == 0) {
			stop();
		}
	}

	@Override
	public void prerun(TaskEvent task) {
		this.processed.incrementAndGet();
		this.active.incrementAndGet();
	}

	@Override
	public void postrun(TaskEvent task, TaskOutcome outcome) {
		if (task.isStarted()) {
			this.active.decrementAndGet();
		}
	}

	/**
	 * Send {@code worker-online} and start the heartbeats.
	 */
	public synchronized void start() {
		if (this.beats != null) {
			return;
		}
		send("worker-online");
		if (this.timer == null) {
			this.timer = Executors.newSingleThreadScheduledExecutor((runnable) -> {
				Thread thread = new Thread(runnable, "taskqueue-events-heartbeat");
				thread.setDaemon(true);
				return thread;
			});
		}
		long millis = this.interval.toMillis();
		this.beats = this.timer.scheduleAtFixedRate(this::beat, millis, millis, TimeUnit.MILLISECONDS);
	}

	/**
	 * Stop the heartbeats and send {@code worker-offline}.
	 */
	public synchronized void stop() {
		if (this.beats == null) {
			return;
		}
		this.beats.cancel(false);
		this.beats = null;
		send("worker-offline");
	}

	private void beat() {
		try {
			send("worker-heartbeat");
		}
		catch (Throwable ex) {
			// a scheduled task that throws is never run again: the worker would look dead to every monitor
			logger.error("Could not send a worker heartbeat; carrying on", ex);
		}
	}

	private void send(String type) {
		this.dispatcher.send(type, fields());
	}

	/**
	 * The fields of a heartbeat now.
	 * @return {@code freq}, {@code active}, {@code processed}, {@code loadavg} and the software's
	 */
	Map<String, Object> fields() {
		Map<String, Object> fields = new LinkedHashMap<>();
		fields.put("freq", this.interval.toMillis() / 1000.0);
		fields.put("active", Math.max(0, this.active.get()));
		fields.put("processed", this.processed.get());
		fields.put("loadavg", loadAverage());
		fields.putAll(this.software.fields());
		return fields;
	}

	/**
	 * The system's load averages over 1, 5 and 15 minutes, rounded up to two decimals as Celery's
	 * {@code load_average()}: from {@code /proc/loadavg} on Linux; elsewhere the JVM's one-minute average and
	 * {@code 0.0} for the others ({@code 0.0} for all where not even that is known, as Celery on Windows).
	 */
	static List<Double> loadAverage() {
		List<Double> averages = new ArrayList<>(3);
		try {
			if (Files.isReadable(PROC_LOADAVG)) {
				String[] parts = Files.readString(PROC_LOADAVG, StandardCharsets.US_ASCII).trim().split("\\s+");
				for (int i = 0; i < 3; i++) {
					averages.add(roundUp(Double.parseDouble(parts[i])));
				}
				return averages;
			}
		}
		catch (IOException | RuntimeException ex) {
			averages.clear();
		}
		double oneMinute = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
		averages.add((oneMinute >= 0) ? roundUp(oneMinute) : 0.0);
		averages.add(0.0);
		averages.add(0.0);
		return averages;
	}

	private static double roundUp(double value) {
		return Math.ceil(value * 1e2) / 1e2;
	}

	/**
	 * Stop the heartbeats (sending {@code worker-offline} if online) and the timer.
	 */
	@Override
	public synchronized void close() {
		stop();
		if (this.timer != null) {
			this.timer.shutdownNow();
			this.timer = null;
		}
	}

}
