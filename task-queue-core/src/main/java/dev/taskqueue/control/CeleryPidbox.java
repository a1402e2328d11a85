package dev.taskqueue.control;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.SmartLifecycle;

import dev.taskqueue.protocol.LogText;
import dev.taskqueue.revoke.Revocations;

/**
 * Revocations shared with Celery through its remote-control exchange, {@code celery.pidbox}:
 * <ul>
 * <li>a revocation made here ({@code TaskControl.revoke}) is kept in the delegate for this project's workers and
 * also broadcast as Celery's {@code revoke} command, so that Celery workers skip (or, with {@code terminate},
 * stop) the task too;</li>
 * <li>a {@code revoke} command from Celery ({@code app.control.revoke(id)}, {@code celery control revoke}) is
 * recorded in the delegate, so that this project's workers skip the task, and answered as a Celery worker
 * answers ({@code {"<worker>": {"ok": "tasks <id> flagged as revoked"}}}) when the sender asked for replies.</li>
 * </ul>
 * Only an application that runs a worker listens. Other remote-control commands are ignored. As in Celery, a
 * broadcast reaches only the workers listening at that moment; the delegate keeps a revocation for the
 * workers of this project started later.
 */
public class CeleryPidbox implements Revocations, SmartLifecycle, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(CeleryPidbox.class);

	/** Marks this project's broadcasts, whose revocations the delegate has already shared. */
	static final String ORIGIN_HEADER = "taskqueue_origin";

	private final Revocations delegate;

	private final PidboxTransport transport;

	private final @Nullable String hostname;

	private final JsonMapper mapper;

	private final Clock clock;

	private boolean listening;

	/**
	 * Create the pidbox.
	 * @param delegate where revocations are kept for this project's workers
	 * @param transport how the broker carries remote-control messages
	 * @param hostname the name this application's worker answers Celery with, or {@code null} if it runs none
	 * @param mapper reads and writes the commands' JSON
	 * @param clock the clock a command's expiry is set with
	 */
	public CeleryPidbox(Revocations delegate, PidboxTransport transport, @Nullable String hostname, JsonMapper mapper,
			Clock clock) {
		this.delegate = delegate;
		this.transport = transport;
		this.hostname = hostname;
		this.mapper = mapper;
		this.clock = clock;
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
		command.put("ticket", UUID.randomUUID().toString());
		Map<String, Object> headers = new LinkedHashMap<>();
		headers.put("clock", 0);
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
	public java.util.Set<String> revokedIds() {
		return this.delegate.revokedIds();
	}

	/**
	 * Handle a remote-control command.
	 * @param body the command's JSON
	 * @param headers its headers
	 */
	void received(byte[] body, @Nullable Map<String, Object> headers) {
		if (headers != null && headers.containsKey(ORIGIN_HEADER)) {
			return;
		}
		try {
			JsonNode command = this.mapper.readTree(body);
			if (!"revoke".equals(command.path("method").asString())) {
				logger.debug("Celery remote-control command '{}' ignored",
						LogText.escape(command.path("method").asString()));
				return;
			}
			List<String> ids = taskIds(command.path("arguments").path("task_id"));
			boolean terminate = command.path("arguments").path("terminate").asBoolean(false);
			ids.forEach((id) -> this.delegate.revoke(id, terminate));
			logger.info("Celery revoked {}{}", LogText.escape(ids), terminate ? " (terminate)" : "");
			reply(command, ids);
		}
		catch (JacksonException | IllegalArgumentException ex) {
			logger.warn("Ignored a malformed Celery remote-control message: {}", LogText.escape(ex.getMessage()));
		}
	}

	private static List<String> taskIds(JsonNode taskId) {
		List<String> ids = new ArrayList<>();
		if (taskId.isArray()) {
			taskId.forEach((id) -> ids.add(id.asString()));
		}
		else if (taskId.isString()) {
			ids.add(taskId.asString());
		}
		return ids;
	}

	private void reply(JsonNode command, List<String> ids) {
		JsonNode replyTo = command.path("reply_to");
		JsonNode destination = command.path("destination");
		boolean addressed = destination.isNull() || destination.isMissingNode() || (destination.isArray()
				&& destination.valueStream().anyMatch((name) -> name.asString().equals(this.hostname)));
		if (!replyTo.isObject() || !addressed) {
			return;
		}
		Map<String, Object> reply = Map.of(this.hostname,
				Map.of("ok", "tasks " + String.join(", ", ids) + " flagged as revoked"));
		Map<String, Object> headers = new LinkedHashMap<>();
		headers.put("ticket", command.path("ticket").asString());
		headers.put("clock", 0);
		this.transport.reply(replyTo.path("exchange").asString(), replyTo.path("routing_key").asString(),
				this.mapper.writeValueAsBytes(reply), headers);
	}

	/**
	 * Start listening to Celery's remote-control commands, if this application runs a worker.
	 */
	@Override
	public synchronized void start() {
		if (!this.listening && this.hostname != null) {
			this.transport.listen(this.hostname, this::received);
			this.listening = true;
		}
	}

	@Override
	public synchronized void stop() {
		if (this.listening) {
			this.transport.close();
			this.listening = false;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.listening;
	}

	@Override
	public void close() throws Exception {
		stop();
		this.transport.close();
		if (this.delegate instanceof AutoCloseable closeable) {
			closeable.close();
		}
	}

}
