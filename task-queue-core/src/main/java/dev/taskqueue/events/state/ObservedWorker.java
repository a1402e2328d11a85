package dev.taskqueue.events.state;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A worker as its events show it, Celery's {@code celery.events.state.Worker}: from its {@code worker-online},
 * {@code worker-heartbeat} and {@code worker-offline} events, Celery's workers and this library's alike (a task
 * event it sent counts as a sign of life too, as in Celery).
 *
 * @param hostname the worker's node name ({@code name@host}), Celery's {@code hostname}
 * @param online whether it is alive, Celery's {@code Worker.alive}: it was last heard of less than its heartbeat
 * interval ({@code freq}) times Celery's {@code HEARTBEAT_EXPIRE_WINDOW} (200%) ago, and its last worker event
 * was not {@code worker-offline}
 * @param lastHeartbeat when it was last heard of (any of its events), by this application's clock when the event
 * was folded in (Celery's {@code local_received}, so that a worker's skewed clock does not matter), or
 * {@code null} if never
 * @param heartbeatInterval its heartbeat interval in seconds ({@code freq}), Celery's default 60 until it says
 * @param active how many tasks it runs now, from its last heartbeat ({@code active})
 * @param processed how many tasks it has received since it started, from its last heartbeat ({@code processed})
 * @param loadAverage its machine's load average over 1, 5 and 15 minutes ({@code loadavg}), empty if not sent
 * @param software what it runs ({@code sw_ident} and {@code sw_ver}: {@code py-celery 5.2.6},
 * {@code java-taskqueue 0.1.0}), empty if it never said
 * @param system its operating system ({@code sw_sys}), or {@code null}
 * @param pid its process id, 0 if it never said
 */
public record ObservedWorker(String hostname, boolean online, @Nullable Instant lastHeartbeat, double heartbeatInterval,
		int active, long processed, List<Double> loadAverage, String software, @Nullable String system, long pid) {

	public ObservedWorker {
		loadAverage = List.copyOf(loadAverage);
	}

}
