package dev.taskqueue.protocol;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The task messages real Celery 5.2.6 clients and workers published, read from the captured samples in this
 * module's test resources ({@code celery-wire/samples}, see the README there) into {@link Envelope envelopes} as
 * our brokers would hand them to a worker. They are read from the class path, so the modules that build on core
 * read them from its test-jar.
 */
public final class CelerySamples {

	private static final String FOLDER = "/celery-wire/samples/";

	private static final JsonMapper mapper = JsonMapper.builder().build();

	private static List<CapturedTask> all;

	private CelerySamples() {
	}

	/**
	 * The names of every captured sample, from the folder's {@code INDEX}.
	 * @return the file names, {@code .json} included
	 */
	public static List<String> names() {
		return new String(bytes("INDEX"), StandardCharsets.UTF_8).lines().filter((line) -> !line.isBlank()).toList();
	}

	/**
	 * One sample as Jackson reads it.
	 * @param sample the file name without {@code .json}
	 * @return the whole captured document
	 * @throws AssertionError if there is no such sample
	 */
	public static JsonNode read(String sample) {
		return mapper.readTree(bytes(sample + ".json"));
	}

	private static byte[] bytes(String file) {
		try (InputStream in = CelerySamples.class.getResourceAsStream(FOLDER + file)) {
			if (in == null) {
				throw new AssertionError("The captured Celery sample '" + file + "' is not on the class path under "
						+ FOLDER);
			}
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new AssertionError("Cannot read the captured Celery sample " + file, ex);
		}
	}

	/**
	 * Every task message in the {@code redis_publish_*}, {@code redis_worker_*}, {@code amqp_publish_*} and
	 * {@code extra_chord_unlock} samples, in file order then capture order.
	 * @return the messages
	 */
	public static synchronized List<CapturedTask> taskMessages() {
		if (all == null) {
			List<CapturedTask> found = new ArrayList<>();
			names().stream().filter(CelerySamples::holdsTaskMessages).sorted().forEach((name) -> collect(name, found));
			all = List.copyOf(found);
		}
		return all;
	}

	/**
	 * The task messages of one sample.
	 * @param sample the file name without {@code .json}
	 * @return its messages, at least one
	 */
	public static List<CapturedTask> of(String sample) {
		List<CapturedTask> messages = taskMessages().stream().filter((task) -> task.sample().equals(sample)).toList();
		if (messages.isEmpty()) {
			throw new AssertionError("No task message in sample '" + sample + "'");
		}
		return messages;
	}

	/**
	 * The first task message of one sample.
	 * @param sample the file name without {@code .json}
	 * @return the message
	 */
	public static CapturedTask first(String sample) {
		return of(sample).get(0);
	}

	private static boolean holdsTaskMessages(String name) {
		return name.endsWith(".json") && (name.startsWith("redis_publish_") || name.startsWith("redis_worker_")
				|| name.startsWith("amqp_publish_") || name.startsWith("extra_chord_unlock"));
	}

	private static void collect(String file, List<CapturedTask> found) {
		String sample = file.replaceFirst("\\.json$", "");
		Object document = mapper.readValue(bytes(file), Object.class);
		List<Map<String, Object>> records = new ArrayList<>();
		walk(document, records);
		int index = 0;
		for (Map<String, Object> record : records) {
			CapturedTask task = sample.startsWith("amqp_") ? fromAmqp(sample, index, record) : fromRedis(sample, index, record);
			if (task != null) {
				found.add(task);
				index++;
			}
		}
	}

	@SuppressWarnings("unchecked")
	private static void walk(Object node, List<Map<String, Object>> records) {
		if (node instanceof Map<?, ?> map) {
			records.add((Map<String, Object>) map);
			map.values().forEach((value) -> walk(value, records));
		}
		else if (node instanceof List<?> list) {
			list.forEach((value) -> walk(value, records));
		}
	}

	// a Redis LPUSH of a kombu envelope: JSON with a base64 body, headers and properties
	@SuppressWarnings("unchecked")
	private static CapturedTask fromRedis(String sample, int index, Map<String, Object> record) {
		if (!(record.get("args") instanceof List<?> args) || args.isEmpty() || !"LPUSH".equals(args.get(0))
				|| !(record.get("envelope") instanceof Map<?, ?> envelope)) {
			return null;
		}
		Map<String, Object> headers = (Map<String, Object>) envelope.get("headers");
		if (headers == null || !headers.containsKey("task")) {
			return null;
		}
		Map<String, Object> properties = (Map<String, Object>) envelope.get("properties");
		if (!"base64".equals(properties.get("body_encoding"))) {
			throw new AssertionError(sample + ": kombu's Redis envelopes always carry a base64 body");
		}
		byte[] body = Base64.getDecoder().decode((String) envelope.get("body"));
		Envelope decoded = new Envelope(body, (String) envelope.get("content-type"),
				(String) envelope.get("content-encoding"), headers, (String) properties.get("correlation_id"),
				(String) properties.get("reply_to"), ((Number) properties.getOrDefault("priority", 0)).intValue(),
				(String) properties.get("expiration"));
		return new CapturedTask(sample, index, "redis", decoded, headers, record.get("decoded_body"),
				((Number) record.get("time")).doubleValue());
	}

	// an AMQP basic.publish: headers tagged {name: [type, value]}, the body as text or hex
	@SuppressWarnings("unchecked")
	private static CapturedTask fromAmqp(String sample, int index, Map<String, Object> record) {
		if (!"basic.publish".equals(record.get("method")) || !(record.get("properties") instanceof Map<?, ?> properties)
				|| !(properties.get("headers") instanceof Map<?, ?> tagged) || !tagged.containsKey("task")) {
			return null;
		}
		Map<String, Object> headers = (Map<String, Object>) untag(tagged);
		byte[] body = (record.get("body_hex") instanceof String hex) ? HexFormat.of().parseHex(hex)
				: ((String) record.get("body_raw")).getBytes(StandardCharsets.UTF_8);
		Envelope decoded = new Envelope(body, (String) properties.get("content_type"),
				(String) properties.get("content_encoding"), headers, (String) properties.get("correlation_id"),
				(String) properties.get("reply_to"), ((Number) ((Map<String, Object>) properties).getOrDefault("priority", 0)).intValue(),
				(String) properties.get("expiration"));
		return new CapturedTask(sample, index, "amqp", decoded, (Map<String, Object>) tagged, record.get("body"),
				((Number) record.get("t")).doubleValue());
	}

	/**
	 * An AMQP field value without its type tags: {@code ["A", [["I", 1]]]} is {@code [1]}.
	 * @param value a tagged value, or a table of them
	 * @return the plain value
	 */
	private static Object untag(Object value) {
		if (value instanceof Map<?, ?> table) {
			Map<String, Object> plain = new LinkedHashMap<>();
			table.forEach((name, field) -> plain.put((String) name, untag(field)));
			return plain;
		}
		List<?> field = (List<?>) value;
		String tag = (String) field.get(0);
		return switch (tag) {
			case "A" -> ((List<?>) field.get(1)).stream().map(CelerySamples::untag).toList();
			case "F" -> untag(field.get(1));
			default -> field.get(1);
		};
	}

	/**
	 * One task message as Celery published it.
	 *
	 * @param sample the sample file, without {@code .json}
	 * @param index the message's position among the sample's task messages
	 * @param transport {@code redis} or {@code amqp}
	 * @param envelope the message as our broker would deliver it
	 * @param wireHeaders the headers as captured: JSON values (Redis) or {@code [tag, value]} pairs (AMQP)
	 * @param celeryBody the body as the capture decoded it with Python ({@code [args, kwargs, embed]})
	 * @param time when it was published, in epoch seconds
	 */
	public record CapturedTask(String sample, int index, String transport, Envelope envelope,
			Map<String, Object> wireHeaders, Object celeryBody, double time) {

		/**
		 * A header as the sender wrote it, untagged.
		 * @param name the header
		 * @return its value
		 */
		public Object header(String name) {
			return this.envelope.headers().get(name);
		}

		/**
		 * The body part Celery decoded: 0 args, 1 kwargs, 2 embed.
		 * @param part the index
		 * @return the part
		 */
		public Object bodyPart(int part) {
			return ((List<?>) this.celeryBody).get(part);
		}

		@Override
		public String toString() {
			return this.sample + "#" + this.index;
		}

	}

}
