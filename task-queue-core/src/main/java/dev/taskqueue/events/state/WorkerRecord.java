package dev.taskqueue.events.state;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.events.CeleryEvent;

/**
 * One worker while {@link ClusterState} holds it, Celery's {@code celery.events.state.Worker}: mutable, guarded by
 * the state's lock.
 */
final class WorkerRecord {

	/** Celery's {@code HEARTBEAT_EXPIRE_WINDOW}: a worker is gone after twice its heartbeat interval. */
	static final double HEARTBEAT_EXPIRE_WINDOW = 200;

	final String hostname;

	@Nullable Instant lastHeard;

	boolean offline;

	double freq = 60;

	int active;

	long processed;

	List<Double> loadAverage = List.of();

	@Nullable String swIdent;

	@Nullable String swVer;

	@Nullable String swSys;

	long pid;

	long sequence;

	/** Whether it was alive when last looked at: a change of it is a change of the worker. */
	boolean reportedAlive;

	WorkerRecord(String hostname) {
		this.hostname = hostname;
	}

	/**
	 * A {@code worker-*} event: its fields, and the time it was heard (Celery keeps the receiver's time, not the
	 * sender's, so that a skewed clock cannot make a worker look dead or alive).
	 */
	void apply(String subject, CeleryEvent event, Instant now) {
		Double freq = EventFields.number(event, "freq");
		if (freq != null && freq > 0) {
			this.freq = freq;
		}
		Long active = EventFields.integer(event, "active");
		if (active != null) {
			this.active = (int) Math.max(Math.min(active, Integer.MAX_VALUE), 0);
		}
		Long processed = EventFields.integer(event, "processed");
		if (processed != null) {
			this.processed = processed;
		}
		List<Double> loadAverage = EventFields.numbers(event, "loadavg");
		if (loadAverage != null) {
			this.loadAverage = List.copyOf(loadAverage);
		}
		this.swIdent = or(EventFields.text(event, "sw_ident"), this.swIdent);
		this.swVer = or(EventFields.text(event, "sw_ver"), this.swVer);
		this.swSys = or(EventFields.text(event, "sw_sys"), this.swSys);
		Long pid = EventFields.integer(event, "pid");
		if (pid != null) {
			this.pid = pid;
		}
		this.lastHeard = now;
		this.offline = "offline".equals(subject);
	}

	/** A task event it sent: Celery counts it as a sign of life too. */
	void heard(Instant now) {
		this.lastHeard = now;
	}

	/** Celery's {@code Worker.alive}: heard of within {@code freq * HEARTBEAT_EXPIRE_WINDOW / 100}. */
	boolean alive(Instant now) {
		if (this.offline || this.lastHeard == null) {
			return false;
		}
		long windowMillis = Math.round(this.freq * HEARTBEAT_EXPIRE_WINDOW / 100 * 1000);
		return now.isBefore(this.lastHeard.plusMillis(windowMillis));
	}

	ObservedWorker observed(Instant now) {
		String software = (this.swIdent != null && this.swVer != null) ? this.swIdent + " " + this.swVer
				: (this.swIdent != null) ? this.swIdent : (this.swVer != null) ? this.swVer : "";
		return new ObservedWorker(this.hostname, alive(now), this.lastHeard, this.freq, this.active, this.processed,
				this.loadAverage, software, this.swSys, this.pid);
	}

	private static @Nullable String or(@Nullable String value, @Nullable String otherwise) {
		return (value != null) ? value : otherwise;
	}

}
