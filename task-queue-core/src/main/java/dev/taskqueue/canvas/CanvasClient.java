package dev.taskqueue.canvas;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.AsyncResult;
import dev.taskqueue.SendOptions;
import dev.taskqueue.TaskClient;

/**
 * A {@link TaskClient} that sends Celery's canvas: signatures, chains, groups and chords. The auto-configured
 * client is one; inject it by this type to compose tasks:
 * <pre>{@code
 * AsyncResult<Integer> sum = client.send(Chain.of(Signature.of(MathTasks::add, 2, 2)).then(Signature.partial(MathTasks::add, 4)));
 * GroupResult parts = client.send(Group.of(Signature.of("py.square", 2), Signature.of(MathTasks::square, 3)));
 * AsyncResult<Object> total = client.send(Chord.of(Group.of(...), Signature.of("py.tsum")));
 * }</pre>
 * A task that sends one while it runs is its parent: the message carries its id as {@code parent_id} and its root
 * as {@code root_id}, and it is listed in the task's {@code children}, as in Celery.
 */
public interface CanvasClient extends TaskClient {

	/**
	 * Send one task and its callbacks (Celery's {@code signature.apply_async()}).
	 * @param <R> the result type
	 * @param signature the task
	 * @return a handle on its result
	 */
	<R> AsyncResult<R> send(Signature<R> signature);

	/**
	 * Send a chain: its first task, which carries the others.
	 * @param <R> the last task's result type
	 * @param chain the chain
	 * @return a handle on the last task's result, whose {@link AsyncResult#parent() parent} is the task before it
	 */
	<R> AsyncResult<R> send(Chain<R> chain);

	/**
	 * Send each task of a group, with the group's id.
	 * @param group the group
	 * @return the group's results (not saved: {@link GroupResult#save() save} it for others to restore)
	 */
	GroupResult send(Group group);

	/**
	 * Send a chord: its header, which sends the body once joined.
	 * @param <R> the body's result type
	 * @param chord the chord
	 * @return a handle on the body's result
	 * @throws UnsupportedOperationException if the result backend cannot carry chords (Celery's {@code rpc})
	 */
	<R> AsyncResult<R> send(Chord<R> chord);

	/**
	 * Apply any canvas with arguments prepended (unless it is immutable) and options merged over its own, as
	 * Celery's {@code signature.apply_async(args, **options)}: what a worker does with a callback, the next step of
	 * a chain or a chord's body.
	 * @param canvas what to send
	 * @param args arguments to prepend
	 * @param options options by Celery's names ({@code parent_id}, {@code root_id}, {@code chain}, ...)
	 * @return Celery's result tuple of what was sent: {@code [[id, null], null]} for a task (a chain's last, a
	 * chord's body), {@code [[group id, null], [...]]} for a group
	 */
	List<@Nullable Object> apply(Canvas<?> canvas, List<?> args, Map<String, ?> options);

	/**
	 * Restore a group saved by any client, a Celery one included (Celery's {@code GroupResult.restore(id)}).
	 * @param groupId the group's id
	 * @return the group's results, or {@code null} if none is saved under that id
	 */
	@Nullable GroupResult restoreGroup(String groupId);

	@Override
	CanvasClient withOptions(SendOptions options);

}
