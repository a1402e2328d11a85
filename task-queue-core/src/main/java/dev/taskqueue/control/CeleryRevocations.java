package dev.taskqueue.control;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.protocol.LamportClock;
import dev.taskqueue.revoke.Revocations;

/**
 * Revocations shared with Celery's workers: a revocation made here ({@code TaskControl.revoke}) is kept in the
 * delegate for this project's workers and also broadcast on {@code celery.pidbox} as Celery's {@code revoke}
 * command, without asking for replies, as {@code app.control.revoke(id)} sends it, so that Celery's workers skip
 * (or, with {@code terminate}, stop) the task too. The other way, Celery's {@code revoke} reaching this
 * application's worker, is the {@code revoke} command its {@link CeleryPidbox} answers, which records the
 * revocation in the {@link #local(Revocations) delegate}.
 * <p>
 * As in Celery, a broadcast reaches only the workers listening at that moment; the delegate keeps a revocation
 * for the workers of this project started later.
 */
public class CeleryRevocations implements Revocations, AutoCloseable {

	/** Marks this project's broadcasts, whose revocations the delegate has already shared. */
	static final String ORIGIN_HEADER = "taskqueue_origin";

	private final Revocations delegate;

	private final PidboxTransport transport;

	private final JsonMapper mapper;

	private final Clock clock;

	private final LamportClock lamportClock;

	/**
	 * Create the revocations.
	 * @param delegate where revocations are kept for this project's workers
	 * @param transport how the broker carries remote-control messages
	 * @param mapper writes the commands' JSON
	 * @param clock the clock a command's expiry is set with
	 * @param lamportClock the application's logical clock, stamped on each command
	 */
	public CeleryRevocations(Revocations delegate, PidboxTransport transport, JsonMapper mapper, Clock clock,
			LamportClock lamportClock) {
		this.delegate = delegate;
		this.transport = transport;
		this.mapper = mapper;
		this.clock = clock;
		this.lamportClock = lamportClock;
	}

	/**
	 * Where a revocation received from Celery is recorded: without being broadcast back to it.
	 * @param revocations the application's revocations
	 * @return their delegate if they are shared with Celery, else themselves
	 */
	public static Revocations local(Revocations revocations) {
		return (revocations instanceof CeleryRevocations celery) ? celery.delegate : revocations;
	}

	@Override
	public void revoke(String taskId, boolean terminate) {
		this.delegate.revoke(taskId, terminate);
		Map<String, Object> arguments = new LinkedHashMap<>();
		arguments.put("task_id", taskId);
		arguments.put("terminate", terminate);
		arguments.put("signal", "SIGTERM");
		Map<String, Object> command = new LinkedHashMap<>();
		command.put("method", "revoke");
		command.put("arguments", arguments);
		command.put("destination", null);
		command.put("pattern", null);
		command.put("matcher", null);
		Map<String, Object> headers = new LinkedHashMap<>();
		headers.put("clock", this.lamportClock.forward());
		// as Celery's: a command not delivered within a second is dropped
		headers.put("expires", this.clock.millis() / 1000.0 + 1);
		headers.put(ORIGIN_HEADER, true);
		this.transport.broadcast(this.mapper.writeValueAsBytes(command), headers);
	}

	@Override
	public boolean isRevoked(String taskId) {
		return this.delegate.isRevoked(taskId);
	}

	@Override
	public void onTerminate(Consumer<String> listener) {
		this.delegate.onTerminate(listener);
	}

	@Override
	public Set<String> revokedIds() {
		return this.delegate.revokedIds();
	}

	@Override
	public void close() throws Exception {
		if (this.delegate instanceof AutoCloseable closeable) {
			closeable.close();
		}
	}

}
