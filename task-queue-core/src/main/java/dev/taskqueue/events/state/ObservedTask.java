package dev.taskqueue.events.state;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A task as the cluster's events show it, Celery's {@code celery.events.state.Task}: what its {@code task-sent},
 * {@code task-received}, {@code task-started}, {@code task-succeeded}, {@code task-failed}, {@code task-retried},
 * {@code task-revoked} and {@code task-rejected} events said, merged whatever order they came in (a late
 * {@code task-received} never takes a task back from {@code SUCCESS}, Celery's state precedence).
 *
 * @param id the task's id ({@code uuid})
 * @param name the task's name, or {@code null} until an event that carries it ({@code task-sent},
 * {@code task-received})
 * @param state Celery's state name: {@code PENDING} (sent), {@code RECEIVED}, {@code STARTED}, {@code SUCCESS},
 * {@code FAILURE}, {@code RETRY}, {@code REVOKED} or {@code REJECTED}
 * @param worker the node name of the worker that received it, or {@code null}
 * @param queue the queue it was sent to ({@code task-sent}'s {@code queue}, or the {@code routing_key}), or
 * {@code null} if no event said
 * @param args the positional arguments as the sender rendered them ({@code argsrepr}/{@code args}), or {@code null}
 * @param kwargs the keyword arguments as rendered ({@code kwargsrepr}/{@code kwargs}), or {@code null}
 * @param result the result as rendered ({@code task-succeeded}'s {@code result}), or {@code null}
 * @param exception the exception as rendered ({@code task-failed} or {@code task-retried}), or {@code null}
 * @param traceback the traceback ({@code task-failed}, {@code task-retried}), or {@code null}
 * @param sent when it was sent, or {@code null}
 * @param received when a worker received it, or {@code null}
 * @param started when it started running, or {@code null}
 * @param finished when it succeeded, failed, was revoked or rejected, or {@code null}
 * @param runtime how long it ran in seconds ({@code runtime}), or {@code null}
 * @param retries how many times it has been retried
 * @param eta when it is due if it was sent with one, or {@code null}
 * @param expires when it expires if it was sent with an expiry, or {@code null}
 * @param parentId the task that sent it, or {@code null}
 * @param rootId the first task of its workflow, or {@code null}
 * @param children the tasks it sent that the history holds (their {@code parent_id} is this id)
 * @param sequence the order of its last change in this state: larger is newer, see
 * {@link ClusterState#changesSince(long)}
 */
public record ObservedTask(String id, @Nullable String name, String state, @Nullable String worker,
		@Nullable String queue, @Nullable String args, @Nullable String kwargs, @Nullable String result,
		@Nullable String exception, @Nullable String traceback, @Nullable Instant sent, @Nullable Instant received,
		@Nullable Instant started, @Nullable Instant finished, @Nullable Double runtime, int retries,
		@Nullable String eta, @Nullable String expires, @Nullable String parentId, @Nullable String rootId,
		List<String> children, long sequence) {

	public ObservedTask {
		children = List.copyOf(children);
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
