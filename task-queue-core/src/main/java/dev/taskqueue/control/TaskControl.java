package dev.taskqueue.control;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.protocol.LamportClock;
import dev.taskqueue.result.ResultBackend;
import dev.taskqueue.result.TaskResult;
import dev.taskqueue.revoke.Revocations;

/**
 * Remote control of tasks and workers, as Celery's {@code app.control}: the same commands, sent the same way
 * (Celery's {@code celery.pidbox} mailbox), so that Python and Java workers alike answer.
 * <pre>{@code
 * control.revoke(id);                                   // app.control.revoke(id)
 * control.ping();                                       // app.control.ping()
 * control.inspect().active();                           // app.control.inspect().active()
 * control.rateLimit("sample.add", "10/s");              // app.control.rate_limit('sample.add', '10/s', reply=True)
 * control.inspect(ControlOptions.defaults().withDestination("w1@host").withTimeout(Duration.ofSeconds(3)))
 *        .stats();                                      // app.control.inspect(['w1@host'], timeout=3).stats()
 * }</pre>
 * A command that expects replies waits for them as Celery does: up to the {@linkplain ControlOptions#timeout()
 * timeout} (one second by default) for each next reply, or until the {@linkplain ControlOptions#limit() limit} is
 * reached (with a destination, as many replies as workers named). Unlike Celery's {@code app.control.rate_limit}
 * and the other control commands, which wait for no reply unless given {@code reply=True}, these always collect
 * the replies, as {@code celery control} does; only {@link #shutdown} and {@link #cast} do not. A worker that does
 * not answer within the timeout is missing from the {@link Replies}; one that fails answers an
 * {@linkplain Replies#errors() error}. Each method throws {@link dev.taskqueue.broker.BrokerException} if the
 * broker cannot be reached.
 * <p>
 * Thread-safe. One reply queue per {@code TaskControl} ({@code <oid>.reply.celery.pidbox}), as Celery has one per
 * process; it exists while a call collects replies.
 */
public class TaskControl {

	private final Revocations revocations;

	private final ResultBackend results;

	private final Clock clock;

	private final @Nullable Mailbox mailbox;

	/**
	 * Create a control that only revokes: the commands sent to workers ({@link #ping()}, {@link #inspect()} and
	 * the others) need {@link #TaskControl(Revocations, ResultBackend, Clock, PidboxTransport, JsonMapper,
	 * LamportClock) a transport}.
	 * @param revocations where revocations are shared with the workers
	 * @param results where the REVOKED outcome is stored
	 * @param clock the clock the outcome is dated with
	 */
	public TaskControl(Revocations revocations, ResultBackend results, Clock clock) {
		this.revocations = revocations;
		this.results = results;
		this.clock = clock;
		this.mailbox = null;
	}

	/**
	 * Create a control.
	 * @param revocations where revocations are shared with the workers
	 * @param results where the REVOKED outcome is stored
	 * @param clock the clock the outcome is dated with, and commands' expiry stamped with
	 * @param transport how the broker carries commands and replies
	 * @param mapper writes the commands' and reads the replies' JSON
	 * @param lamportClock the application's logical clock, stamped on each command and moved by each reply
	 */
	public TaskControl(Revocations revocations, ResultBackend results, Clock clock, PidboxTransport transport,
			JsonMapper mapper, LamportClock lamportClock) {
		this.revocations = revocations;
		this.results = results;
		this.clock = clock;
		this.mailbox = new Mailbox(transport, mapper, lamportClock, clock);
	}

	/**
	 * Revoke a task: no worker runs it while the revocation is kept.
	 * @param taskId the task's id
	 */
	public void revoke(String taskId) {
		revoke(taskId, false);
	}

	/**
	 * Revoke a task, and with {@code terminate} interrupt a run already under way.
	 * @param taskId the task's id
	 * @param terminate whether a running task's thread is interrupted
	 */
	public void revoke(String taskId, boolean terminate) {
		this.revocations.revoke(taskId, terminate);
		TaskResult current = this.results.fetch(taskId);
		// a finished task keeps its outcome; anything else is REVOKED at once, so waiters need no worker
		if (current == null || !current.state().isReady()) {
			this.results.store(TaskResult.revoked(taskId, "revoked", this.clock.instant()));
		}
	}

	/**
	 * Ask workers whether they are there: Celery's {@code app.control.ping(destination)}.
	 * @param destination the workers' names; none for every worker
	 * @return {@code pong} by worker
	 */
	public Replies<String> ping(String... destination) {
		return ping(to(destination));
	}

	/**
	 * Ask workers whether they are there: Celery's {@code app.control.ping(destination, timeout)}.
	 * @param options the workers addressed and how long to wait
	 * @return {@code pong} by worker
	 */
	public Replies<String> ping(ControlOptions options) {
		return command("ping", Map.of(), options);
	}

	/**
	 * Ask every worker what it holds, waiting one second for each reply: Celery's {@code app.control.inspect()}.
	 * @return the inspector
	 */
	public Inspector inspect() {
		return inspect(ControlOptions.defaults());
	}

	/**
	 * Ask workers what they hold: Celery's {@code app.control.inspect(destination, timeout, limit, pattern,
	 * matcher)}.
	 * @param options the workers addressed and how long to wait
	 * @return the inspector
	 */
	public Inspector inspect(ControlOptions options) {
		return new Inspector(mailbox(), options);
	}

	/**
	 * Set a task's rate limit on workers: Celery's {@code app.control.rate_limit(task_name, rate_limit)}.
	 * @param taskName the task's name
	 * @param rateLimit the limit, as {@code @Task(rateLimit)} and Celery write it: {@code 10/s}, {@code 100/m},
	 * {@code 5/h}; {@code 0} for none
	 * @param destination the workers' names; none for every worker
	 * @return each worker's answer ({@code new rate limit set successfully}), or its error ({@code unknown task})
	 */
	public Replies<String> rateLimit(String taskName, String rateLimit, String... destination) {
		return rateLimit(taskName, rateLimit, to(destination));
	}

	/**
	 * Set a task's rate limit on workers: Celery's {@code app.control.rate_limit}.
	 * @param taskName the task's name
	 * @param rateLimit the limit, such as {@code 10/s}; {@code 0} for none
	 * @param options the workers addressed and how long to wait
	 * @return each worker's answer, or its error
	 */
	public Replies<String> rateLimit(String taskName, String rateLimit, ControlOptions options) {
		return command("rate_limit", arguments("task_name", taskName, "rate_limit", rateLimit), options);
	}

	/**
	 * Set a task's time limits on workers: Celery's {@code app.control.time_limit(task_name, soft, hard)}.
	 * @param taskName the task's name
	 * @param soft the soft limit, or {@code null} for none
	 * @param hard the hard limit, or {@code null} for none
	 * @param destination the workers' names; none for every worker
	 * @return each worker's answer ({@code time limits set successfully}), or its error
	 */
	public Replies<String> timeLimit(String taskName, @Nullable Duration soft, @Nullable Duration hard,
			String... destination) {
		return timeLimit(taskName, soft, hard, to(destination));
	}

	/**
	 * Set a task's time limits on workers: Celery's {@code app.control.time_limit}.
	 * @param taskName the task's name
	 * @param soft the soft limit, or {@code null} for none
	 * @param hard the hard limit, or {@code null} for none
	 * @param options the workers addressed and how long to wait
	 * @return each worker's answer, or its error
	 */
	public Replies<String> timeLimit(String taskName, @Nullable Duration soft, @Nullable Duration hard,
			ControlOptions options) {
		return command("time_limit", arguments("task_name", taskName, "hard", seconds(hard), "soft", seconds(soft)),
				options);
	}

	/**
	 * Have workers consume one more queue: Celery's {@code app.control.add_consumer(queue)}, with the exchange
	 * and routing key named after the queue, as Celery does then.
	 * @param queue the queue's name
	 * @param destination the workers' names; none for every worker
	 * @return each worker's answer ({@code add consumer <queue>}), or its error
	 */
	public Replies<String> addConsumer(String queue, String... destination) {
		return addConsumer(queue, to(destination));
	}

	/**
	 * Have workers consume one more queue: Celery's {@code app.control.add_consumer}.
	 * @param queue the queue's name
	 * @param options the workers addressed and how long to wait
	 * @return each worker's answer, or its error
	 */
	public Replies<String> addConsumer(String queue, ControlOptions options) {
		return command("add_consumer",
				arguments("queue", queue, "exchange", null, "exchange_type", "direct", "routing_key", null), options);
	}

	/**
	 * Have workers stop consuming a queue: Celery's {@code app.control.cancel_consumer(queue)}.
	 * @param queue the queue's name
	 * @param destination the workers' names; none for every worker
	 * @return each worker's answer ({@code no longer consuming from <queue>}), or its error
	 */
	public Replies<String> cancelConsumer(String queue, String... destination) {
		return cancelConsumer(queue, to(destination));
	}

	/**
	 * Have workers stop consuming a queue: Celery's {@code app.control.cancel_consumer}.
	 * @param queue the queue's name
	 * @param options the workers addressed and how long to wait
	 * @return each worker's answer, or its error
	 */
	public Replies<String> cancelConsumer(String queue, ControlOptions options) {
		return command("cancel_consumer", Map.of("queue", queue), options);
	}

	/**
	 * Have workers run more tasks at once: Celery's {@code app.control.pool_grow(n)}.
	 * @param n by how many
	 * @param destination the workers' names; none for every worker
	 * @return each worker's answer ({@code pool will grow}), or its error
	 */
	public Replies<String> poolGrow(int n, String... destination) {
		return poolGrow(n, to(destination));
	}

	/**
	 * Have workers run more tasks at once: Celery's {@code app.control.pool_grow}.
	 * @param n by how many
	 * @param options the workers addressed and how long to wait
	 * @return each worker's answer, or its error
	 */
	public Replies<String> poolGrow(int n, ControlOptions options) {
		return command("pool_grow", Map.of("n", n), options);
	}

	/**
	 * Have workers run fewer tasks at once: Celery's {@code app.control.pool_shrink(n)}.
	 * @param n by how many
	 * @param destination the workers' names; none for every worker
	 * @return each worker's answer ({@code pool will shrink}), or its error
	 */
	public Replies<String> poolShrink(int n, String... destination) {
		return poolShrink(n, to(destination));
	}

	/**
	 * Have workers run fewer tasks at once: Celery's {@code app.control.pool_shrink}.
	 * @param n by how many
	 * @param options the workers addressed and how long to wait
	 * @return each worker's answer, or its error
	 */
	public Replies<String> poolShrink(int n, ControlOptions options) {
		return command("pool_shrink", Map.of("n", n), options);
	}

	/**
	 * Have workers send task events: Celery's {@code app.control.enable_events()}.
	 * @param destination the workers' names; none for every worker
	 * @return each worker's answer ({@code task events enabled}), or its error
	 */
	public Replies<String> enableEvents(String... destination) {
		return enableEvents(to(destination));
	}

	/**
	 * Have workers send task events: Celery's {@code app.control.enable_events()}.
	 * @param options the workers addressed and how long to wait
	 * @return each worker's answer, or its error
	 */
	public Replies<String> enableEvents(ControlOptions options) {
		return command("enable_events", Map.of(), options);
	}

	/**
	 * Have workers stop sending task events: Celery's {@code app.control.disable_events()}.
	 * @param destination the workers' names; none for every worker
	 * @return each worker's answer ({@code task events disabled}), or its error
	 */
	public Replies<String> disableEvents(String... destination) {
		return disableEvents(to(destination));
	}

	/**
	 * Have workers stop sending task events: Celery's {@code app.control.disable_events()}.
	 * @param options the workers addressed and how long to wait
	 * @return each worker's answer, or its error
	 */
	public Replies<String> disableEvents(ControlOptions options) {
		return command("disable_events", Map.of(), options);
	}

	/**
	 * Have workers shut down warmly, finishing the tasks they run: Celery's {@code app.control.shutdown()}. A
	 * worker does not answer it, so nothing is waited for.
	 * @param destination the workers' names; none for every worker
	 */
	public void shutdown(String... destination) {
		shutdown(to(destination));
	}

	/**
	 * Have workers shut down warmly: Celery's {@code app.control.shutdown()}. Nothing is waited for.
	 * @param options the workers addressed; the timeout is how long the command stays valid
	 */
	public void shutdown(ControlOptions options) {
		cast("shutdown", Map.of(), options);
	}

	/**
	 * Send any command and collect the replies: Celery's {@code app.control.broadcast(command, arguments,
	 * reply=True, ...)}.
	 * @param command the command's name
	 * @param arguments its arguments (Celery's keyword arguments), written as JSON
	 * @param options the workers addressed and how long to wait
	 * @return the replies' JSON by worker
	 */
	public Replies<JsonNode> broadcast(String command, Map<String, ?> arguments, ControlOptions options) {
		return Replies.read(mailbox().call(command, arguments, options), (reply) -> reply);
	}

	/**
	 * Send any command and wait for no reply: Celery's {@code app.control.broadcast(command, arguments)}
	 * ({@code reply=False}). The command carries no ticket, so workers do not answer it.
	 * @param command the command's name
	 * @param arguments its arguments, written as JSON
	 * @param options the workers addressed; the timeout is how long the command stays valid
	 */
	public void cast(String command, Map<String, ?> arguments, ControlOptions options) {
		mailbox().cast(command, arguments, options);
	}

	private Replies<String> command(String command, Map<String, ?> arguments, ControlOptions options) {
		return Replies.read(mailbox().call(command, arguments, options), TaskControl::ok);
	}

	/**
	 * Read Celery's {@code {"ok": "..."}} reply.
	 */
	static String ok(JsonNode reply) {
		JsonNode ok = reply.path("ok");
		if (ok.isMissingNode()) {
			throw new IllegalArgumentException("no 'ok' in " + reply);
		}
		return ok.isString() ? ok.asString() : ok.toString();
	}

	private Mailbox mailbox() {
		if (this.mailbox == null) {
			throw new IllegalStateException("This TaskControl was made without a PidboxTransport: it can only revoke");
		}
		return this.mailbox;
	}

	private static ControlOptions to(String... destination) {
		return ControlOptions.defaults().withDestination(destination);
	}

	/**
	 * Celery's keyword arguments, in Celery's order, {@code None} included.
	 */
	private static Map<String, @Nullable Object> arguments(@Nullable Object... namesAndValues) {
		Map<String, @Nullable Object> arguments = new LinkedHashMap<>();
		for (int i = 0; i < namesAndValues.length; i += 2) {
			arguments.put(String.valueOf(namesAndValues[i]), namesAndValues[i + 1]);
		}
		return arguments;
	}

	private static @Nullable Double seconds(@Nullable Duration duration) {
		return (duration != null) ? duration.toNanos() / 1e9 : null;
	}

}
