package dev.taskqueue.actuate.health;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.SmartApplicationListener;

import dev.taskqueue.worker.WorkerSnapshot;
import dev.taskqueue.worker.Workers;

/**
 * Makes the application's readiness follow its workers, through Spring Boot's application availability (what
 * {@code /actuator/health/readiness} reports): a worker that has lost the consumer of a queue it should consume
 * (its broker is away), or that is shutting down, is not ready, and the application is set to
 * {@link ReadinessState#REFUSING_TRAFFIC}; once every worker consumes again, the readiness it refused is given
 * back ({@link ReadinessState#ACCEPTING_TRAFFIC}). Liveness is never touched: restarting the application would
 * not bring its broker back.
 * <p>
 * The workers are looked at every {@code interval} from the moment the application is ready (their own state
 * only, no call to the broker) until its context closes. Readiness refused by another part of the application is
 * left alone: only a refusal made here is taken back here.
 */
public class WorkerReadiness implements SmartApplicationListener, DisposableBean {

	/** How often the workers are looked at. */
	public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);

	private static final Logger logger = LoggerFactory.getLogger(WorkerReadiness.class);

	private final Workers workers;

	private final ApplicationAvailability availability;

	private final ApplicationEventPublisher publisher;

	private final Duration interval;

	private @Nullable ScheduledExecutorService timer;

	private boolean refused;

	/**
	 * Create the watcher.
	 * @param workers the application's workers
	 * @param availability the application's availability, read before it is changed
	 * @param publisher where {@link AvailabilityChangeEvent}s are published: the application context, whose
	 * ready and closed events (not those of a child context) start and stop the watch
	 * @param interval how often the workers are looked at
	 */
	public WorkerReadiness(Workers workers, ApplicationAvailability availability, ApplicationEventPublisher publisher,
			Duration interval) {
		this.workers = workers;
		this.availability = availability;
		this.publisher = publisher;
		this.interval = interval;
	}

	@Override
	public boolean supportsEventType(Class<? extends ApplicationEvent> eventType) {
		return ApplicationReadyEvent.class.isAssignableFrom(eventType)
				|| ContextClosedEvent.class.isAssignableFrom(eventType);
	}

	@Override
	public void onApplicationEvent(ApplicationEvent event) {
		if (event instanceof ApplicationReadyEvent ready && ready.getApplicationContext() == this.publisher) {
			start();
		}
		else if (event instanceof ContextClosedEvent closed && closed.getApplicationContext() == this.publisher) {
			stop();
			// a worker that is shutting down is not ready (a web application's context says so too)
			publish(ReadinessState.REFUSING_TRAFFIC);
		}
	}

	private synchronized void start() {
		if (this.timer != null) {
			return;
		}
		ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "taskqueue-readiness");
			thread.setDaemon(true);
			return thread;
		});
		long millis = this.interval.toMillis();
		timer.scheduleWithFixedDelay(this::checkSafely, millis, millis, TimeUnit.MILLISECONDS);
		this.timer = timer;
	}

	private synchronized void stop() {
		if (this.timer != null) {
			this.timer.shutdownNow();
			this.timer = null;
		}
	}

	@Override
	public void destroy() {
		stop();
	}

	private void checkSafely() {
		try {
			check();
		}
		catch (RuntimeException ex) {
			// a scheduled task that throws is never run again
			logger.warn("Could not check whether the workers are ready", ex);
		}
	}

	/**
	 * Look at the workers once, and refuse or give back readiness if their state changed.
	 */
	public synchronized void check() {
		List<WorkerSnapshot> snapshots = this.workers.snapshot();
		boolean ready = snapshots.stream().allMatch(WorkerSnapshot::isConsumingAll);
		ReadinessState current = this.availability.getReadinessState();
		if (!ready && current != ReadinessState.REFUSING_TRAFFIC) {
			logger.warn("Workers not consuming {}: the application refuses traffic until they consume again",
					notConsumed(snapshots));
			this.refused = true;
			publish(ReadinessState.REFUSING_TRAFFIC);
		}
		else if (ready && this.refused) {
			this.refused = false;
			if (current == ReadinessState.REFUSING_TRAFFIC) {
				logger.info("Workers consume all their queues again: the application accepts traffic");
				publish(ReadinessState.ACCEPTING_TRAFFIC);
			}
		}
	}

	private static List<String> notConsumed(List<WorkerSnapshot> snapshots) {
		return snapshots.stream()
			.flatMap((worker) -> worker.queues()
				.stream()
				.filter((queue) -> !worker.pausedQueues().contains(queue)
						&& !(worker.running() && Boolean.TRUE.equals(worker.consuming().get(queue))))
				.map((queue) -> worker.name() + "/" + queue))
			.toList();
	}

	private void publish(ReadinessState state) {
		AvailabilityChangeEvent.publish(this.publisher, this, state);
	}

}
