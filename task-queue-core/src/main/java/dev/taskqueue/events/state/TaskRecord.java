package dev.taskqueue.events.state;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.events.CeleryEvent;

/**
 * One task while {@link ClusterState} holds it, Celery's {@code celery.events.state.Task}: mutable, guarded by the
 * state's lock, linked into the state's list in the order of change (oldest change first).
 */
final class TaskRecord {

	/** How many children a task links to at most (the newest kept): a group of thousands stays bounded. */
	static final int MAX_CHILDREN = 1_000;

	final String id;

	String state = "PENDING";

	@Nullable String name;

	@Nullable String worker;

	@Nullable String queue;

	@Nullable String exchange;

	@Nullable String routingKey;

	@Nullable String args;

	@Nullable String kwargs;

	@Nullable String result;

	@Nullable String exception;

	@Nullable String traceback;

	@Nullable Instant sent;

	@Nullable Instant received;

	@Nullable Instant started;

	@Nullable Instant finished;

	@Nullable Double runtime;

	/** The largest {@code retries} an event said. */
	int retries;

	/** How many {@code task-retried} events came. */
	int retriedEvents;

	@Nullable String eta;

	@Nullable String expires;

	@Nullable String parentId;

	@Nullable String rootId;

	boolean terminated;

	@Nullable String signum;

	boolean expired;

	boolean requeued;

	final Set<String> children = new LinkedHashSet<>();

	long sequence;

	/** The throughput bucket its success or failure was counted in, or -1. */
	long countedBucket = -1;

	boolean countedFailure;

	@Nullable TaskRecord older;

	@Nullable TaskRecord newer;

	TaskRecord(String id) {
		this.id = id;
	}

	/**
	 * Celery's {@code Task.event}: the event's fields are taken whatever the order (a field an event does not
	 * carry, or carries as {@code null}, keeps its value), its state only if it does not logically happen before
	 * the current one ({@link #precedence(String)}); a retry's state is always taken, and a task in {@code RETRY}
	 * takes any next state.
	 * @return whether the event's state was taken
	 */
	boolean apply(String subject, CeleryEvent event, Instant when) {
		String eventState = stateOf(subject);
		fields(subject, event, when);
		boolean taken = "RETRY".equals(eventState) || "RETRY".equals(this.state)
				|| precedence(eventState) <= precedence(this.state);
		if (taken) {
			this.state = eventState;
			if (isFinal(eventState)) {
				this.finished = when;
			}
		}
		return taken;
	}

	private void fields(String subject, CeleryEvent event, Instant when) {
		switch (subject) {
			case "sent" -> {
				this.sent = when;
				described(event);
				String queue = EventFields.string(event, "queue");
				String routingKey = EventFields.string(event, "routing_key");
				this.exchange = or(EventFields.text(event, "exchange"), this.exchange);
				this.routingKey = or(routingKey, this.routingKey);
				this.queue = or(or(queue, routingKey), this.queue);
			}
			case "received" -> {
				this.received = when;
				described(event);
				this.worker = or(event.hostname(), this.worker);
			}
			case "started" -> {
				this.started = when;
				this.worker = or(event.hostname(), this.worker);
			}
			case "succeeded" -> {
				this.result = or(EventFields.text(event, "result"), this.result);
				this.runtime = or(EventFields.number(event, "runtime"), this.runtime);
			}
			case "failed" -> failure(event);
			case "retried" -> {
				failure(event);
				this.retriedEvents++;
			}
			case "revoked" -> {
				this.terminated = Boolean.TRUE.equals(EventFields.bool(event, "terminated")) || this.terminated;
				this.signum = or(EventFields.text(event, "signum"), this.signum);
				this.expired = Boolean.TRUE.equals(EventFields.bool(event, "expired")) || this.expired;
			}
			case "rejected" -> this.requeued = Boolean.TRUE.equals(EventFields.bool(event, "requeue"));
			default -> {
			}
		}
	}

	/** What {@code task-sent} and {@code task-received} both say: Celery's merge rule for RECEIVED. */
	private void described(CeleryEvent event) {
		this.name = or(EventFields.text(event, "name"), this.name);
		this.args = or(EventFields.text(event, "args"), this.args);
		this.kwargs = or(EventFields.text(event, "kwargs"), this.kwargs);
		Long retries = EventFields.integer(event, "retries");
		if (retries != null && retries > this.retries) {
			this.retries = (int) Math.min(retries, Integer.MAX_VALUE);
		}
		this.eta = or(EventFields.text(event, "eta"), this.eta);
		this.expires = or(EventFields.text(event, "expires"), this.expires);
		this.rootId = or(EventFields.text(event, "root_id"), this.rootId);
		String parentId = EventFields.text(event, "parent_id");
		// A retry is re-sent with its own id as parent_id: not a parent to show.
		if (parentId != null && !parentId.equals(this.id)) {
			this.parentId = parentId;
		}
	}

	private void failure(CeleryEvent event) {
		this.exception = or(EventFields.text(event, "exception"), this.exception);
		this.traceback = or(EventFields.text(event, "traceback"), this.traceback);
	}

	void addChild(String childId) {
		if (childId.equals(this.id) || !this.children.add(childId)) {
			return;
		}
		if (this.children.size() > MAX_CHILDREN) {
			Iterator<String> oldest = this.children.iterator();
			oldest.next();
			oldest.remove();
		}
	}

	ObservedTask observed(Map<String, TaskRecord> held) {
		List<String> children = new ArrayList<>(this.children.size());
		for (String child : this.children) {
			if (held.containsKey(child)) {
				children.add(child);
			}
		}
		return new ObservedTask(this.id, this.name, this.state, this.worker, this.queue, this.args, this.kwargs,
				this.result, this.exception, this.traceback, this.sent, this.received, this.started, this.finished,
				this.runtime, Math.max(this.retries, this.retriedEvents), this.eta, this.expires, this.parentId, this.rootId, children,
				this.sequence, this.exchange, this.routingKey, this.terminated, this.signum, this.expired,
				this.requeued);
	}

	static boolean isFinal(String state) {
		return switch (state) {
			case "SUCCESS", "FAILURE", "REVOKED", "REJECTED" -> true;
			default -> false;
		};
	}

	/** Celery's {@code TASK_EVENT_TO_STATE}, and a custom event's upper-cased subject. */
	static String stateOf(String subject) {
		return switch (subject) {
			case "sent" -> "PENDING";
			case "received" -> "RECEIVED";
			case "started" -> "STARTED";
			case "succeeded" -> "SUCCESS";
			case "failed" -> "FAILURE";
			case "retried" -> "RETRY";
			case "revoked" -> "REVOKED";
			case "rejected" -> "REJECTED";
			default -> subject.toUpperCase(Locale.ROOT);
		};
	}

	/**
	 * Celery's {@code states.precedence}: lower is later in a task's life; a custom state sits after FAILURE. One
	 * difference: Celery ranks {@code REJECTED} before {@code RECEIVED} (it is a result state there), so that its
	 * state never shows the rejection of a task it saw received or started; here a rejection ends a received or
	 * started task, as a revoke does.
	 */
	static int precedence(String state) {
		return switch (state) {
			case "SUCCESS" -> 0;
			case "FAILURE" -> 1;
			case "REVOKED" -> 3;
			case "REJECTED" -> 4;
			case "STARTED" -> 5;
			case "RECEIVED" -> 6;
			case "RETRY" -> 7;
			case "PENDING" -> 8;
			default -> 2;
		};
	}

	private static <T> @Nullable T or(@Nullable T value, @Nullable T otherwise) {
		return (value != null) ? value : otherwise;
	}

}
