package dev.taskqueue.beat;

import java.time.Duration;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.SendOptions;

/**
 * The document an entry added at run time is stored as, read by whichever scheduler leads: JSON with the keys
 * of configuration ({@code task}, {@code cron} and {@code timezone} or {@code every}, {@code args},
 * {@code kwargs}, {@code queue}, {@code priority}, {@code expires}, {@code serializer}, {@code compression},
 * {@code headers}, {@code catch-up}), so that an operator reading the broker reads the same words.
 */
final class BeatEntryCodec {

	private final JsonMapper mapper;

	BeatEntryCodec(JsonMapper mapper) {
		this.mapper = mapper;
	}

	/**
	 * Write an entry.
	 * @param entry the entry, with a cron or interval schedule
	 * @return the document
	 * @throws IllegalArgumentException for a schedule of another kind, which only configuration can hold
	 */
	String write(BeatEntry entry) {
		Map<String, @Nullable Object> document = new LinkedHashMap<>();
		document.put("task", entry.task());
		if (entry.schedule() instanceof CronSchedule cron) {
			document.put("cron", cron.expression());
			document.put("timezone", cron.zone().getId());
		}
		else if (entry.schedule() instanceof IntervalSchedule interval) {
			document.put("every", interval.interval().toString());
		}
		else {
			throw new IllegalArgumentException("The beat entry '" + entry.name() + "' has a schedule of its own ("
					+ entry.schedule().describe() + "): only cron and interval schedules can be added at run time");
		}
		document.put("args", entry.args());
		document.put("kwargs", entry.kwargs());
		SendOptions options = entry.options();
		putIfSet(document, "queue", options.queue());
		putIfSet(document, "priority", options.priority());
		putIfSet(document, "expires", (options.expiresIn() != null) ? options.expiresIn().toString() : null);
		putIfSet(document, "serializer", options.serializer());
		putIfSet(document, "compression", options.compression());
		if (!options.headers().isEmpty()) {
			document.put("headers", options.headers());
		}
		document.put("catch-up", entry.catchUp().name().toLowerCase(Locale.ROOT));
		return this.mapper.writeValueAsString(document);
	}

	/**
	 * Read an entry.
	 * @param name the entry's name
	 * @param definition its document
	 * @return the entry
	 * @throws IllegalArgumentException if the document is not one this version reads
	 */
	@SuppressWarnings("unchecked")
	BeatEntry read(String name, String definition) {
		Map<String, Object> document;
		try {
			document = this.mapper.readValue(definition, Map.class);
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException("The beat entry '" + name + "' is not a JSON document: " + ex.getMessage(),
					ex);
		}
		Schedule schedule;
		if (document.get("cron") instanceof String cron) {
			Object zone = document.get("timezone");
			schedule = CronSchedule.parse(cron, ZoneId.of((zone instanceof String id) ? id : "UTC"));
		}
		else if (document.get("every") instanceof String every) {
			schedule = new IntervalSchedule(Duration.parse(every));
		}
		else {
			throw new IllegalArgumentException("The beat entry '" + name + "' has neither a cron nor an interval");
		}
		SendOptions options = SendOptions.defaults();
		if (document.get("queue") instanceof String queue) {
			options = options.withQueue(queue);
		}
		if (document.get("priority") instanceof Number priority) {
			options = options.withPriority(priority.intValue());
		}
		if (document.get("expires") instanceof String expires) {
			options = options.withExpires(Duration.parse(expires));
		}
		if (document.get("serializer") instanceof String serializer) {
			options = options.withSerializer(serializer);
		}
		if (document.get("compression") instanceof String compression) {
			options = options.withCompression(compression);
		}
		if (document.get("headers") instanceof Map<?, ?> headers) {
			for (Map.Entry<?, ?> header : headers.entrySet()) {
				options = options.withHeader(String.valueOf(header.getKey()), header.getValue());
			}
		}
		Object catchUp = document.get("catch-up");
		Object task = document.get("task");
		return new BeatEntry(name, (task instanceof String text) ? text : "", schedule,
				(document.get("args") instanceof List<?> args) ? (List<@Nullable Object>) args : List.of(),
				(document.get("kwargs") instanceof Map<?, ?> kwargs) ? (Map<String, @Nullable Object>) kwargs : Map.of(),
				options, (catchUp instanceof String text) ? CatchUp.valueOf(text.toUpperCase(Locale.ROOT)) : CatchUp.ONCE);
	}

	private static void putIfSet(Map<String, @Nullable Object> document, String key, @Nullable Object value) {
		if (value != null) {
			document.put(key, value);
		}
	}

}
