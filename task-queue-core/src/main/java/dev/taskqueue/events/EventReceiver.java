package dev.taskqueue.events;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.protocol.LamportClock;
import dev.taskqueue.protocol.LogText;

/**
 * Receives the cluster's events, Celery's workers' and clients' as well as this library's, as Celery's
 * {@code EventReceiver} ({@code app.events.Receiver}) does: each subscription binds a queue of its own to the
 * {@code celeryev} exchange (a pub/sub pattern on Redis), splits a worker's batch ({@code task.multi}) into single
 * events, moves the application's {@link LamportClock} past each event's {@code clock}, moves each
 * {@code timestamp} into this machine's time zone and adds {@code local_received}, as Celery's does.
 * A malformed message is logged and skipped.
 * <pre class="code">
 * try (EventTransport.Subscription events = receiver.subscribe((event) -&gt; {
 *     if (event.type().equals("task-failed")) {
 *         alert(event.hostname(), event.uuid(), event.get("exception"));
 *     }
 * })) {
 *     ...
 * }
 * </pre>
 * Handlers run on the transport's thread, one event at a time per subscription: keep them short.
 */
public class EventReceiver {

	private static final Logger logger = LoggerFactory.getLogger(EventReceiver.class);


	/** Celery's {@code CLIENT_CLOCK_SKEW}: clients never synchronise their clock, so theirs is not trusted. */
	private static final int CLIENT_CLOCK_SKEW = -1;

	private final EventTransport transport;

	private final LamportClock clock;

	private final JsonMapper mapper;

	private final Clock wallClock;

	private final ZoneId zone = ZoneId.systemDefault();

	/**
	 * Create a receiver.
	 * @param transport how the broker carries events
	 * @param clock the application's Lamport clock
	 * @param mapper reads the events' JSON
	 */
	public EventReceiver(EventTransport transport, LamportClock clock, JsonMapper mapper) {
		this(transport, clock, mapper, Clock.systemUTC());
	}

	EventReceiver(EventTransport transport, LamportClock clock, JsonMapper mapper, Clock wallClock) {
		this.transport = transport;
		this.clock = clock;
		this.mapper = mapper;
		this.wallClock = wallClock;
	}

	/**
	 * Receive every event ({@code #}).
	 * @param handler called with each event
	 * @return the subscription; close it to stop receiving
	 */
	public EventTransport.Subscription subscribe(Consumer<CeleryEvent> handler) {
		return subscribe(BindingKey.ALL, handler);
	}

	/**
	 * Receive the events whose routing key matches a binding key: {@code worker.#} for the workers' events,
	 * {@code task.#} for the tasks' (a worker's batches come as {@code task.multi}).
	 * @param bindingKey the binding key
	 * @param handler called with each event
	 * @return the subscription; close it to stop receiving
	 */
	public EventTransport.Subscription subscribe(BindingKey bindingKey, Consumer<CeleryEvent> handler) {
		return this.transport.subscribe(bindingKey.key(),
				(routingKey, body, headers) -> received(routingKey, body, handler));
	}

	/**
	 * Handle one message: one event or a batch.
	 * @param routingKey its routing key, for the log
	 * @param body its JSON
	 * @param handler the subscriber
	 */
	void received(String routingKey, byte[] body, Consumer<CeleryEvent> handler) {
		List<CeleryEvent> events;
		try {
			// straight to maps and lists: no tree, no second copy of each event's fields
			events = events(this.mapper.readValue(body, Object.class));
		}
		catch (JacksonException ex) {
			logger.warn("Ignored a malformed event message ({}): {}", LogText.escape(routingKey),
					LogText.escape(ex.getMessage()));
			return;
		}
		for (CeleryEvent event : events) {
			try {
				handler.accept(event);
			}
			catch (RuntimeException ex) {
				logger.warn("An event handler failed on {}; ignored", LogText.escape(event.type()), ex);
			}
		}
	}

	private List<CeleryEvent> events(@Nullable Object body) {
		List<CeleryEvent> events = new ArrayList<>();
		if (body instanceof List<?> batch) {
			for (Object item : batch) {
				CeleryEvent event = event(item);
				if (event != null) {
					events.add(event);
				}
			}
		}
		else {
			CeleryEvent event = event(body);
			if (event != null) {
				events.add(event);
			}
		}
		return events;
	}

	@SuppressWarnings("unchecked")
	private @Nullable CeleryEvent event(@Nullable Object item) {
		if (!(item instanceof Map<?, ?> map) || !(map.get("type") instanceof String type) || type.isEmpty()) {
			logger.warn("Ignored an event that is not an object with a type: {}",
					LogText.escape(abbreviate(String.valueOf(item))));
			return null;
		}
		// a JSON object read as Object is a LinkedHashMap of String keys, this receiver's own
		return localized(type, (Map<String, @Nullable Object>) map);
	}

	/**
	 * Celery's {@code event_from_message}: the clock adjusted (a client's {@code task-sent} is given the receiver's
	 * own, as clients never synchronise), the timestamp moved into this machine's time zone, and
	 * {@code local_received} added.
	 */
	private CeleryEvent localized(String type, Map<String, @Nullable Object> fields) {
		if ("task-sent".equals(fields.get("type"))) {
			long value = Math.max(this.clock.value(), 1) + CLIENT_CLOCK_SKEW;
			fields.put("clock", value);
			this.clock.adjust(value);
		}
		else if (fields.get("clock") instanceof Number clock) {
			this.clock.adjust(clock.longValue());
		}
		else {
			fields.put("clock", this.clock.forward());
		}
		Instant now = this.wallClock.instant();
		if (fields.get("utcoffset") instanceof Number offset && fields.get("timestamp") instanceof Number timestamp) {
			int here = EventDispatcher.utcoffset(this.zone, now);
			fields.put("timestamp", timestamp.doubleValue() - (offset.doubleValue() - here) * 3600);
		}
		fields.put("local_received", now.toEpochMilli() / 1000.0);
		return CeleryEvent.adopt(type, fields);
	}

	private static String abbreviate(String text) {
		return (text.length() > 200) ? text.substring(0, 200) + "..." : text;
	}

}
