package dev.taskqueue.autoconfigure;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The dashboard, under {@code taskqueue.dashboard}: a Flower-like web UI served by the application's own Spring
 * MVC or WebFlux, off unless enabled, read-only unless told otherwise.
 * <pre>{@code
 * taskqueue:
 *   dashboard:
 *     enabled: true
 *     path: /taskqueue
 *     read-only: false     # revoke, purge, redrive... from the pages
 * }</pre>
 */
@ConfigurationProperties("taskqueue.dashboard")
public class TaskQueueDashboardProperties {

	/**
	 * Whether the application serves the dashboard (a Spring MVC or a WebFlux application). Protect it as any
	 * other page, with Spring Security.
	 */
	private boolean enabled;

	/**
	 * The path the dashboard is served under: the workers there, the tasks at path/tasks, the queues at
	 * path/queues, the beat at path/beat.
	 */
	private String path = "/taskqueue";

	/**
	 * Whether the dashboard only shows: no action form is rendered and every action's POST is refused (403). Set to
	 * false to revoke and terminate tasks, purge queues, redrive and drop dead letters, rate-limit tasks, add and
	 * cancel consumers, resize pools and shut workers down from the pages.
	 */
	private boolean readOnly = true;

	/**
	 * How many recent tasks the dashboard keeps in memory, from the cluster's events (Celery's
	 * max_tasks_in_memory); the least recently changed are forgotten first.
	 */
	private int maxTasks = 10_000;

	/**
	 * How many live views (browser tabs) may be open at once; more are refused until one closes.
	 */
	private int maxStreams = 16;

	/**
	 * How long a page waits for the workers' answers to remote control (their queues and concurrency, a worker's
	 * tasks).
	 */
	private Duration remoteControlTimeout = Duration.ofMillis(500);

	/**
	 * Whether the dashboard broadcasts Celery's enable_events at start and every minute, as Flower does, so that
	 * workers started without -E send task events.
	 */
	private boolean enableEvents = true;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getPath() {
		return this.path;
	}

	public void setPath(String path) {
		this.path = path;
	}

	public boolean isReadOnly() {
		return this.readOnly;
	}

	public void setReadOnly(boolean readOnly) {
		this.readOnly = readOnly;
	}

	public int getMaxTasks() {
		return this.maxTasks;
	}

	public void setMaxTasks(int maxTasks) {
		this.maxTasks = maxTasks;
	}

	public int getMaxStreams() {
		return this.maxStreams;
	}

	public void setMaxStreams(int maxStreams) {
		this.maxStreams = maxStreams;
	}

	public Duration getRemoteControlTimeout() {
		return this.remoteControlTimeout;
	}

	public void setRemoteControlTimeout(Duration remoteControlTimeout) {
		this.remoteControlTimeout = remoteControlTimeout;
	}

	public boolean isEnableEvents() {
		return this.enableEvents;
	}

	public void setEnableEvents(boolean enableEvents) {
		this.enableEvents = enableEvents;
	}

}
