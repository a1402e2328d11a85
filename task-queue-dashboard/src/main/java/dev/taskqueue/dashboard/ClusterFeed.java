package dev.taskqueue.dashboard;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

import dev.taskqueue.control.ControlOptions;
import dev.taskqueue.control.TaskControl;
import dev.taskqueue.events.CeleryEvent;
import dev.taskqueue.events.EventReceiver;
import dev.taskqueue.events.EventTransport;
import dev.taskqueue.events.state.ClusterState;

/**
 * Feeds a {@link ClusterState} from the cluster's events while the application runs, and, as Flower does, asks
 * every worker to send task events ({@code enable_events}) at start and every {@link #ENABLE_EVENTS_EVERY}, so
 * that Celery workers started without {@code -E} (and ours without {@code taskqueue.events.enabled}) show their
 * tasks too. A worker heard of for the first time is asked at once, rather than at the next minute. The commands
 * are sent from a thread of the feed's own, never from the events' transport thread.
 */
public class ClusterFeed implements SmartLifecycle {

	/** How often {@code enable_events} is broadcast: Flower's interval. */
	public static final Duration ENABLE_EVENTS_EVERY = Duration.ofMinutes(1);

	private static final Logger logger = LoggerFactory.getLogger(ClusterFeed.class);

	private final EventReceiver receiver;

	private final ClusterState state;

	private final TaskControl control;

	private final boolean enableEvents;

	private EventTransport.@Nullable Subscription subscription;

	private volatile @Nullable ScheduledExecutorService enabler;

	private boolean warned;

	/**
	 * Create the feed.
	 * @param receiver the application's event receiver
	 * @param state what the events are folded into
	 * @param control what broadcasts {@code enable_events}
	 * @param enableEvents whether to broadcast {@code enable_events} at all
	 */
	public ClusterFeed(EventReceiver receiver, ClusterState state, TaskControl control, boolean enableEvents) {
		this.receiver = receiver;
		this.state = state;
		this.control = control;
		this.enableEvents = enableEvents;
	}

	@Override
	public synchronized void start() {
		if (this.enableEvents) {
			ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((task) -> {
				Thread thread = new Thread(task, "taskqueue-dashboard-enable-events");
				thread.setDaemon(true);
				return thread;
			});
			executor.scheduleWithFixedDelay(() -> enableEvents(), 0, ENABLE_EVENTS_EVERY.toSeconds(), TimeUnit.SECONDS);
			this.enabler = executor;
		}
		this.subscription = this.receiver.subscribe(this::received);
	}

	private void received(CeleryEvent event) {
		String hostname = event.hostname();
		boolean newWorker = hostname != null && event.group().equals("worker") && this.state.worker(hostname) == null;
		this.state.event(event);
		ScheduledExecutorService executor = this.enabler;
		if (newWorker && executor != null) {
			try {
				executor.execute(() -> enableEvents(hostname));
			}
			catch (RejectedExecutionException ex) {
				// stopping
			}
		}
	}

	/**
	 * Broadcast Celery's {@code enable_events}, waiting for no reply (Flower's {@code app.control.enable_events()}).
	 * @param destination the workers addressed; none for every worker
	 */
	void enableEvents(String... destination) {
		try {
			this.control.cast("enable_events", Map.of(), ControlOptions.defaults().withDestination(destination));
		}
		catch (RuntimeException ex) {
			if (!this.warned) {
				this.warned = true;
				logger.info("The dashboard could not ask the workers to send task events (enable_events): {}",
						ex.getMessage());
			}
		}
	}

	@Override
	public synchronized void stop() {
		ScheduledExecutorService executor = this.enabler;
		this.enabler = null;
		if (executor != null) {
			executor.shutdownNow();
		}
		if (this.subscription != null) {
			this.subscription.close();
			this.subscription = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.subscription != null;
	}

}
