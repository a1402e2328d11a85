package dev.taskqueue.events.state;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A task as the cluster's events show it, Celery's {@code celery.events.state.Task}: what its {@code task-sent},
 * {@code task-received}, {@code task-started}, {@code task-succeeded}, {@code task-failed}, {@code task-retried},
 * {@code task-revoked} and {@code task-rejected} events said, merged whatever order they came in (a late
 * {@code task-received} never takes a task back from {@code SUCCESS}, Celery's state precedence). A field an event
 * carries as {@code null} does not erase what an earlier event said. A value that is not text (a sender that sends
 * {@code args} as a list) is rendered with {@code String.valueOf}.
 *
 * @param id the task's id ({@code uuid})
 * @param name the task's name, or {@code null} until an event that carries it ({@code task-sent},
 * {@code task-received})
 * @param state Celery's state name: {@code PENDING} (sent), {@code RECEIVED}, {@code STARTED}, {@code SUCCESS},
 * {@code FAILURE}, {@code RETRY}, {@code REVOKED} or {@code REJECTED}; for a task event of an application's own
 * ({@code task-progress}) its upper-cased subject ({@code PROGRESS}), as Celery does
 * @param worker the node name of the worker that received or ran it (the {@code hostname} of its
 * {@code task-received}, {@code task-started}), or {@code null}
 * @param queue the queue it was sent to ({@code task-sent}'s {@code queue}, or the {@code routing_key}), or
 * {@code null} if no event said
 * @param args the positional arguments as the sender rendered them ({@code argsrepr}/{@code args}), or {@code null}
 * @param kwargs the keyword arguments as rendered ({@code kwargsrepr}/{@code kwargs}), or {@code null}
 * @param result the result as rendered ({@code task-succeeded}'s {@code result}), or {@code null}
 * @param exception the exception as rendered ({@code task-failed} or {@code task-retried}), or {@code null}
 * @param traceback the traceback ({@code task-failed}, {@code task-retried}), or {@code null}
 * @param sent when it was sent, or {@code null}; this and the other times are the events' {@code timestamp}s
 * (when the event has none, when it was heard)
 * @param received when a worker received it, or {@code null}
 * @param started when it started running, or {@code null}
 * @param finished when it succeeded, failed, was revoked or rejected (the event that set that state), or
 * {@code null}
 * @param runtime how long it ran in seconds ({@code runtime}), or {@code null}
 * @param retries how many times it has been retried: the largest {@code retries} a {@code task-sent} or
 * {@code task-received} said, or the number of {@code task-retried} events if more (events come out of order)
 * @param eta when it is due if it was sent with one, or {@code null}
 * @param expires when it expires if it was sent with an expiry, or {@code null}
 * @param parentId the task that sent it, or {@code null} (a retry, which Celery sends with its own id as
 * {@code parent_id}, is not its own parent)
 * @param rootId the first task of its workflow, or {@code null}
 * @param children the tasks it sent that the history holds (their {@code parent_id} is this id), in the order
 * heard of, the newest 1000 at most
 * @param sequence the order of its last change in this state: larger is newer, see
 * {@link ClusterState#changesSince(long)}
 * @param exchange the exchange it was sent to ({@code task-sent}'s {@code exchange}; Celery's default is the
 * empty name), or {@code null}
 * @param routingKey the routing key it was sent with ({@code task-sent}'s {@code routing_key}), or {@code null}
 * @param terminated whether a revoke terminated it while it ran ({@code task-revoked}'s {@code terminated})
 * @param signum the signal that terminated it ({@code task-revoked}'s {@code signum}, as sent), or {@code null}
 * @param expired whether it was revoked because it expired ({@code task-revoked}'s {@code expired})
 * @param requeued whether a worker rejected it back onto its queue ({@code task-rejected}'s {@code requeue})
 */
public record ObservedTask(String id, @Nullable String name, String state, @Nullable String worker,
		@Nullable String queue, @Nullable String args, @Nullable String kwargs, @Nullable String result,
		@Nullable String exception, @Nullable String traceback, @Nullable Instant sent, @Nullable Instant received,
		@Nullable Instant started, @Nullable Instant finished, @Nullable Double runtime, int retries,
		@Nullable String eta, @Nullable String expires, @Nullable String parentId, @Nullable String rootId,
		List<String> children, long sequence, @Nullable String exchange, @Nullable String routingKey,
		boolean terminated, @Nullable String signum, boolean expired, boolean requeued) {

	public ObservedTask {
		children = List.copyOf(children);
	}

	/**
	 * A task without the routing and the revoke/reject details (the components before {@code exchange}).
	 * @param id the task's id
	 * @param name its name, or {@code null}
	 * @param state Celery's state name
	 * @param worker the worker's node name, or {@code null}
	 * @param queue its queue, or {@code null}
	 * @param args its positional arguments as rendered, or {@code null}
	 * @param kwargs its keyword arguments as rendered, or {@code null}
	 * @param result its result as rendered, or {@code null}
	 * @param exception its exception as rendered, or {@code null}
	 * @param traceback its traceback, or {@code null}
	 * @param sent when it was sent, or {@code null}; this and the other times are the events' {@code timestamp}s
 * (when the event has none, when it was heard)
	 * @param received when a worker received it, or {@code null}
	 * @param started when it started, or {@code null}
	 * @param finished when it finished, or {@code null}
	 * @param runtime how long it ran in seconds, or {@code null}
	 * @param retries how many times it has been retried: the largest {@code retries} a {@code task-sent} or
 * {@code task-received} said, or the number of {@code task-retried} events if more (events come out of order)
	 * @param eta its eta, or {@code null}
	 * @param expires its expiry, or {@code null}
	 * @param parentId its parent's id, or {@code null}
	 * @param rootId its workflow's first task's id, or {@code null}
	 * @param children its children's ids
	 * @param sequence the order of its last change
	 */
	public ObservedTask(String id, @Nullable String name, String state, @Nullable String worker,
			@Nullable String queue, @Nullable String args, @Nullable String kwargs, @Nullable String result,
			@Nullable String exception, @Nullable String traceback, @Nullable Instant sent, @Nullable Instant received,
			@Nullable Instant started, @Nullable Instant finished, @Nullable Double runtime, int retries,
			@Nullable String eta, @Nullable String expires, @Nullable String parentId, @Nullable String rootId,
			List<String> children, long sequence) {
		this(id, name, state, worker, queue, args, kwargs, result, exception, traceback, sent, received, started,
				finished, runtime, retries, eta, expires, parentId, rootId, children, sequence, null, null, false, null,
				false, false);
	}

	/**
	 * Whether the task has ended: {@code SUCCESS}, {@code FAILURE}, {@code REVOKED} or {@code REJECTED}.
	 * @return whether no event can move it on but a retry's
	 */
	public boolean isReady() {
		return switch (this.state) {
			case "SUCCESS", "FAILURE", "REVOKED", "REJECTED" -> true;
			default -> false;
		};
	}

}
