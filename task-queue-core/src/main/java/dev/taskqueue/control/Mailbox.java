package dev.taskqueue.control;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.protocol.LamportClock;
import dev.taskqueue.protocol.LogText;

/**
 * The client's side of kombu's {@code Mailbox} ({@code kombu/pidbox.py}): sends a command to
 * {@code celery.pidbox} with Celery's headers and body, and collects the replies that carry its ticket from this
 * client's reply queue, {@code <oid>.reply.celery.pidbox}.
 * <p>
 * One oid for the client's life, as Celery has one per process. The reply queue is open while at least one call
 * collects, so that concurrent calls share it (each takes the replies of its own ticket), and deleted when the
 * last one is done, as kombu deletes it after each collection.
 */
final class Mailbox {

	private static final Logger logger = LoggerFactory.getLogger(Mailbox.class);

	/** Celery's reply exchange ({@code reply.<control_exchange>.pidbox}). */
	static final String REPLY_EXCHANGE = "reply.celery.pidbox";

	private final PidboxTransport transport;

	private final JsonMapper mapper;

	private final LamportClock lamportClock;

	private final Clock clock;

	private final String oid = UUID.randomUUID().toString();

	private final Map<String, BlockingQueue<JsonNode>> collecting = new ConcurrentHashMap<>();

	private PidboxTransport.@Nullable Subscription replyQueue;

	/** The calls collecting from the reply queue now. */
	private int collectors;

	Mailbox(PidboxTransport transport, JsonMapper mapper, LamportClock lamportClock, Clock clock) {
		this.transport = transport;
		this.mapper = mapper;
		this.lamportClock = lamportClock;
		this.clock = clock;
	}

	String oid() {
		return this.oid;
	}

	/**
	 * Send a command that wants no reply (kombu's {@code cast}): no ticket, no {@code reply_to}.
	 */
	void cast(String method, Map<String, ?> arguments, ControlOptions options) {
		this.transport.broadcast(body(method, arguments, options, null), headers(options.timeout()));
	}

	/**
	 * Send a command and collect its replies (kombu's {@code _broadcast(reply=True)} and {@code _collect}).
	 * @return each reply as it came, {@code {"<nodename>": <reply>}}
	 */
	List<JsonNode> call(String method, Map<String, ?> arguments, ControlOptions options) {
		String ticket = UUID.randomUUID().toString();
		BlockingQueue<JsonNode> replies = new LinkedBlockingQueue<>();
		this.collecting.put(ticket, replies);
		try {
			open();
			try {
				this.transport.broadcast(body(method, arguments, options, ticket), headers(options.timeout()));
				return collect(replies, options.timeout(), options.replyLimit());
			}
			finally {
				release();
			}
		}
		finally {
			this.collecting.remove(ticket);
		}
	}

	/**
	 * As kombu: wait up to the timeout for each next reply, until the limit.
	 */
	private static List<JsonNode> collect(BlockingQueue<JsonNode> replies, Duration timeout, @Nullable Integer limit) {
		List<JsonNode> collected = new ArrayList<>();
		try {
			while (limit == null || collected.size() < limit) {
				JsonNode reply = replies.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
				if (reply == null) {
					break;
				}
				collected.add(reply);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return collected;
	}

	private synchronized void open() {
		if (this.replyQueue == null) {
			this.replyQueue = this.transport.replies(this.oid, this::received);
		}
		this.collectors++;
	}

	private synchronized void release() {
		this.collectors--;
		if (this.collectors == 0 && this.replyQueue != null) {
			this.replyQueue.close();
			this.replyQueue = null;
		}
	}

	/**
	 * A reply arrived: hand it to the call waiting for its ticket (kombu's {@code on_message}).
	 */
	private void received(byte[] body, @Nullable Map<String, Object> headers) {
		Map<String, Object> values = (headers != null) ? headers : Map.of();
		if (values.get("clock") instanceof Number clock) {
			this.lamportClock.adjust(clock.longValue());
		}
		if (values.get("expires") instanceof Number expires && epochSeconds() > expires.doubleValue()) {
			return;
		}
		Object ticket = values.get("ticket");
		BlockingQueue<JsonNode> replies = (ticket != null) ? this.collecting.get(ticket.toString()) : null;
		if (replies == null) {
			logger.debug("Dropped a remote-control reply for ticket {}, which no call waits for",
					LogText.escape(String.valueOf(ticket)));
			return;
		}
		try {
			JsonNode reply = this.mapper.readTree(body);
			if (!reply.isObject()) {
				throw new IllegalArgumentException("not a JSON object");
			}
			replies.add(reply);
		}
		catch (JacksonException | IllegalArgumentException ex) {
			logger.warn("Ignored a malformed remote-control reply: {}", LogText.escape(ex.getMessage()));
		}
	}

	private byte[] body(String method, Map<String, ?> arguments, ControlOptions options, @Nullable String ticket) {
		Map<String, @Nullable Object> body = new LinkedHashMap<>();
		body.put("method", method);
		body.put("arguments", arguments);
		body.put("destination", options.destination().isEmpty() ? null : options.destination());
		body.put("pattern", options.pattern());
		body.put("matcher", options.matcher());
		if (ticket != null) {
			body.put("ticket", ticket);
			body.put("reply_to", Map.of("exchange", REPLY_EXCHANGE, "routing_key", this.oid));
		}
		return this.mapper.writeValueAsBytes(body);
	}

	private Map<String, Object> headers(Duration timeout) {
		long clock = this.lamportClock.forward();
		Map<String, Object> headers = new LinkedHashMap<>();
		// an int as py-amqp writes Celery's (AMQP field type I) while it fits
		headers.put("clock", (clock <= Integer.MAX_VALUE) ? (Object) (int) clock : (Object) clock);
		headers.put("expires", epochSeconds() + timeout.toNanos() / 1e9);
		return headers;
	}

	private double epochSeconds() {
		return this.clock.millis() / 1000.0;
	}

}
