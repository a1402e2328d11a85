package dev.taskqueue.control;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

import org.springframework.context.SmartLifecycle;

import dev.taskqueue.protocol.LamportClock;
import dev.taskqueue.protocol.LogText;
import dev.taskqueue.protocol.PythonRepr;

/**
 * A worker's side of Celery's remote control: its pidbox node (kombu's {@code Node}, Celery's worker
 * {@code Pidbox}). It listens on {@code celery.pidbox} under the worker's name ({@code name@host}), takes the
 * commands addressed to it (by {@code destination}, or {@code pattern} and {@code matcher}, or to all), runs each
 * with the {@link ControlCommand} of its name, and replies only when the command has a {@code reply_to}, with
 * {@code {"<name>": <reply>}} and the headers {@code ticket} and {@code clock}, as kombu does:
 * <ul>
 * <li>an unknown command replies {@code {"error": "KeyError('<method>')"}}, what a Celery 5.2 worker replies;</li>
 * <li>a command that throws replies {@code {"error": "<Python-like repr of the exception>"}};</li>
 * <li>a command switched off ({@link AllowedCommands}) replies {@code {"error": "..."}} saying so, and is not
 * run.</li>
 * </ul>
 * Commands run one at a time, in the order received, on a thread of the node's own, never on the transport's.
 * The application's {@link LamportClock} moves past the clock of every command received and advances for each
 * reply. The node answers only while the workers it serves run ({@link Builder#answeringWhile}): a worker shut
 * down by Celery's {@code shutdown} no longer answers {@code ping}, as a Celery worker whose process has exited.
 */
public class CeleryPidbox implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(CeleryPidbox.class);

	/** Commands waiting to run at most; more are dropped with a warning. */
	private static final int BACKLOG = 1000;

	private final PidboxTransport transport;

	private final String hostname;

	private final JsonMapper mapper;

	private final Map<String, ControlCommand> commands;

	private final AllowedCommands allowed;

	private final LamportClock clock;

	private final BooleanSupplier answering;

	private @Nullable ThreadPoolExecutor executor;

	private CeleryPidbox(Builder builder) {
		this.transport = builder.transport;
		this.hostname = builder.hostname;
		this.mapper = builder.mapper;
		this.commands = Collections.unmodifiableMap(new LinkedHashMap<>(builder.commands));
		this.allowed = builder.allowed;
		this.clock = builder.clock;
		this.answering = builder.answering;
	}

	/**
	 * Start building a node.
	 * @param transport how the broker carries remote-control messages
	 * @param hostname the worker's name, Celery's node name ({@code name@host})
	 * @param mapper reads the commands' and writes the replies' JSON
	 * @return a builder
	 */
	public static Builder builder(PidboxTransport transport, String hostname, JsonMapper mapper) {
		return new Builder(transport, hostname, mapper);
	}

	/**
	 * The node's name.
	 * @return the worker's name
	 */
	public String getHostname() {
		return this.hostname;
	}

	/**
	 * The commands the node knows, allowed or not.
	 * @return their names
	 */
	public Set<String> getCommandNames() {
		return this.commands.keySet();
	}

	/**
	 * Whether a command is known and allowed.
	 * @param name the command's name
	 * @return whether the node runs it
	 */
	public boolean accepts(String name) {
		ControlCommand command = this.commands.get(name);
		return command != null && this.allowed.allows(command);
	}

	/**
	 * A message arrived on the mailbox: queue it for the node's thread.
	 * @param body the command's JSON
	 * @param headers its headers
	 */
	private void received(byte[] body, @Nullable Map<String, Object> headers) {
		if (headers != null && headers.containsKey(CeleryRevocations.ORIGIN_HEADER)) {
			// a revocation broadcast by this project: its revocations are already shared
			return;
		}
		ThreadPoolExecutor current = this.executor;
		if (current == null) {
			return;
		}
		try {
			current.execute(() -> handle(body, headers));
		}
		catch (RejectedExecutionException ex) {
			logger.warn("Dropped a Celery remote-control command: {} are waiting already", BACKLOG);
		}
	}

	/**
	 * Handle one message of the mailbox: take it if addressed to this node, run its command, reply if asked.
	 * Never throws.
	 * @param body the command's JSON
	 * @param headers its headers, or {@code null}
	 */
	void handle(byte[] body, @Nullable Map<String, Object> headers) {
		JsonNode message;
		try {
			message = this.mapper.readTree(body);
		}
		catch (JacksonException ex) {
			logger.warn("Ignored a malformed Celery remote-control message: {}", LogText.escape(ex.getMessage()));
			return;
		}
		// as Celery's worker: its clock moves on for every message, and past the sender's
		this.clock.forward();
		this.clock.adjust(clockOf(headers));
		if (!message.isObject() || !this.answering.getAsBoolean()) {
			return;
		}
		try {
			if (!Addressing.includes(message, this.hostname)) {
				return;
			}
		}
		catch (IllegalArgumentException ex) {
			logger.warn("Ignored a Celery remote-control command: {}", LogText.escape(ex.getMessage()));
			return;
		}
		String method = message.path("method").asString("");
		JsonNode arguments = message.path("arguments").isObject() ? message.path("arguments")
				: JsonNodeFactory.instance.objectNode();
		Object reply = dispatch(method, arguments);
		JsonNode replyTo = message.path("reply_to");
		if (reply != ControlCommand.NO_REPLY && replyTo.isObject()) {
			reply(replyTo, message.path("ticket").asString(null), reply);
		}
	}

	private @Nullable Object dispatch(String method, JsonNode arguments) {
		ControlCommand command = this.commands.get(method);
		if (command == null) {
			logger.warn("Unknown Celery remote-control command '{}'", LogText.escape(method));
			return error("KeyError(" + PythonRepr.of(method) + ")");
		}
		if (!this.allowed.allows(command)) {
			logger.warn("Refused Celery remote-control command '{}': not allowed on this worker ({})", method,
					this.allowed);
			return error("command '" + method + "' is not allowed on this worker (taskqueue.control.allowed and "
					+ "taskqueue.control.denied)");
		}
		logger.debug("Celery remote-control command '{}' {}", method, arguments);
		try {
			return command.handle(arguments);
		}
		catch (RuntimeException ex) {
			logger.error("Celery remote-control command '{}' failed", method, ex);
			return error(repr(ex));
		}
	}

	private void reply(JsonNode replyTo, @Nullable String ticket, @Nullable Object reply) {
		Map<String, @Nullable Object> body = new LinkedHashMap<>();
		body.put(this.hostname, reply);
		Map<String, Object> headers = new LinkedHashMap<>();
		if (ticket != null) {
			headers.put("ticket", ticket);
		}
		headers.put("clock", this.clock.forward());
		try {
			this.transport.reply(replyTo.path("exchange").asString(""), replyTo.path("routing_key").asString(""),
					this.mapper.writeValueAsBytes(body), headers);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not reply to a Celery remote-control command: {}", LogText.escape(ex.toString()));
		}
	}

	private static long clockOf(@Nullable Map<String, Object> headers) {
		Object clock = (headers != null) ? headers.get("clock") : null;
		if (clock instanceof Number number) {
			return number.longValue();
		}
		if (clock != null) {
			try {
				return Long.parseLong(clock.toString().trim());
			}
			catch (NumberFormatException ex) {
				return 0;
			}
		}
		return 0;
	}

	private static Map<String, Object> error(String text) {
		return Map.of("error", text);
	}

	/**
	 * An exception as Python's {@code repr} shows one: {@code IllegalArgumentException('bad value')}.
	 */
	private static String repr(Throwable ex) {
		String name = ex.getClass().getSimpleName();
		return (ex.getMessage() != null) ? name + "(" + PythonRepr.of(ex.getMessage()) + ")" : name + "()";
	}

	/**
	 * Start listening on the mailbox.
	 */
	@Override
	public synchronized void start() {
		if (this.executor != null) {
			return;
		}
		ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
				new ArrayBlockingQueue<>(BACKLOG), (runnable) -> {
					Thread thread = new Thread(runnable, "taskqueue-pidbox");
					thread.setDaemon(true);
					return thread;
				});
		this.executor = executor;
		this.transport.listen(this.hostname, this::received);
		logger.info("Worker {} answers Celery's remote control ({} commands, {})", this.hostname,
				this.commands.size(), this.allowed);
	}

	/**
	 * Stop listening; a command under way finishes, those waiting are dropped.
	 */
	@Override
	public synchronized void stop() {
		ThreadPoolExecutor current = this.executor;
		if (current != null) {
			this.executor = null;
			this.transport.close();
			current.shutdownNow();
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.executor != null;
	}

	/**
	 * Builds a {@link CeleryPidbox}.
	 */
	public static final class Builder {

		private final PidboxTransport transport;

		private final String hostname;

		private final JsonMapper mapper;

		private final Map<String, ControlCommand> commands = new LinkedHashMap<>();

		private AllowedCommands allowed = AllowedCommands.ALL;

		private LamportClock clock = new LamportClock();

		private BooleanSupplier answering = () -> true;

		private Builder(PidboxTransport transport, String hostname, JsonMapper mapper) {
			this.transport = transport;
			this.hostname = hostname;
			this.mapper = mapper;
		}

		/**
		 * Add commands; one of a name already added replaces it, so that an application's own command replaces a
		 * built-in one.
		 * @param commands the commands
		 * @return this builder
		 */
		public Builder commands(List<? extends ControlCommand> commands) {
			commands.forEach((command) -> this.commands.put(command.name(), command));
			return this;
		}

		/**
		 * Which commands are run; by default all.
		 * @param allowed the policy
		 * @return this builder
		 */
		public Builder allowed(AllowedCommands allowed) {
			this.allowed = allowed;
			return this;
		}

		/**
		 * The application's logical clock ({@code app.clock}); by default one of the node's own.
		 * @param clock the clock
		 * @return this builder
		 */
		public Builder clock(LamportClock clock) {
			this.clock = clock;
			return this;
		}

		/**
		 * When the node answers: while the workers it serves run; by default always.
		 * @param answering whether it answers now
		 * @return this builder
		 */
		public Builder answeringWhile(BooleanSupplier answering) {
			this.answering = answering;
			return this;
		}

		/**
		 * Build the node, not listening.
		 * @return the node
		 */
		public CeleryPidbox build() {
			return new CeleryPidbox(this);
		}

	}

}
