package dev.taskqueue.control;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import dev.taskqueue.protocol.LogText;

/**
 * The replies to one remote-control command, by worker: what Celery's {@code app.control.inspect().<command>()}
 * returns ({@code {"<nodename>": <reply>}}, kombu's replies flattened). A worker's reply is read into a
 * {@linkplain #values() value} of the command's type; a worker that answered Celery's
 * {@code {"error": "..."}} is among the {@linkplain #errors() errors} instead, and every reply stays reachable
 * as it came ({@link #raw()}). Workers that did not answer within the timeout are absent.
 *
 * @param <T> the type a reply is read into
 */
public final class Replies<T> {

	private static final Logger logger = LoggerFactory.getLogger(Replies.class);

	private final Map<String, JsonNode> raw;

	private final Map<String, T> values;

	private final Map<String, String> errors;

	private Replies(Map<String, JsonNode> raw, Map<String, T> values, Map<String, String> errors) {
		this.raw = Collections.unmodifiableMap(raw);
		this.values = Collections.unmodifiableMap(values);
		this.errors = Collections.unmodifiableMap(errors);
	}

	/**
	 * Read the replies collected for a command.
	 * @param <T> the type a reply is read into
	 * @param replies each reply as it came: {@code {"<nodename>": <reply>}}
	 * @param reader reads one worker's reply; what it throws makes that reply an error
	 * @return the replies by worker
	 */
	static <T> Replies<T> read(List<JsonNode> replies, Function<JsonNode, T> reader) {
		Map<String, JsonNode> raw = new LinkedHashMap<>();
		for (JsonNode reply : replies) {
			for (Map.Entry<String, JsonNode> entry : reply.properties()) {
				if (raw.put(entry.getKey(), entry.getValue()) != null) {
					// as Celery's DuplicateNodenameWarning: the last reply wins
					logger.warn("Received multiple replies from node {}: give each worker a name of its own",
							LogText.escape(entry.getKey()));
				}
			}
		}
		Map<String, T> values = new LinkedHashMap<>();
		Map<String, String> errors = new LinkedHashMap<>();
		raw.forEach((node, reply) -> {
			if (reply.isObject() && reply.has("error")) {
				errors.put(node, reply.path("error").asString(reply.path("error").toString()));
				return;
			}
			try {
				values.put(node, reader.apply(reply));
			}
			catch (RuntimeException ex) {
				errors.put(node, "unreadable reply: " + ex.getMessage());
			}
		});
		return new Replies<>(raw, values, errors);
	}

	/**
	 * The replies read into the command's type, by worker name, in the order they came; without the errors.
	 * @return the values
	 */
	public Map<String, T> values() {
		return this.values;
	}

	/**
	 * One worker's reply.
	 * @param nodename the worker's name
	 * @return its reply, or {@code null} if it did not answer or answered an error
	 */
	public @Nullable T get(String nodename) {
		return this.values.get(nodename);
	}

	/**
	 * The workers that answered with an error, and the error: Celery's {@code {"error": "..."}} (an unknown
	 * command, an unknown task, a command that failed), or "unreadable reply: ..." when a reply was not what the
	 * command answers.
	 * @return the errors by worker name
	 */
	public Map<String, String> errors() {
		return this.errors;
	}

	/**
	 * Every reply as it came, errors included, by worker name.
	 * @return the replies' JSON
	 */
	public Map<String, JsonNode> raw() {
		return this.raw;
	}

	/**
	 * The workers that answered, with a value or an error.
	 * @return their names, in the order they answered
	 */
	public Set<String> nodes() {
		return this.raw.keySet();
	}

	/**
	 * Whether no worker answered.
	 * @return whether there are no replies
	 */
	public boolean isEmpty() {
		return this.raw.isEmpty();
	}

	@Override
	public String toString() {
		return this.raw.toString();
	}

}
