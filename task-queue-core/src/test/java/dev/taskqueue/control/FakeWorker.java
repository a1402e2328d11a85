package dev.taskqueue.control;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A worker's pidbox reduced to what a client sees: it listens on a transport under its name, records each
 * command it receives, and answers the ones addressed to it (destination or broadcast) that asked for a reply with
 * what it was told to answer for the method, as {@code {"<name>": <answer>}} with Celery's reply headers.
 */
final class FakeWorker implements PidboxTransport.Handler {

	private static final JsonMapper mapper = JsonMapper.builder().build();

	final String name;

	private final PidboxTransport transport;

	private final Map<String, Object> answers = new HashMap<>();

	final List<JsonNode> commands = new CopyOnWriteArrayList<>();

	final List<Map<String, Object>> headers = new CopyOnWriteArrayList<>();

	private long clock;

	FakeWorker(String name, PidboxTransport transport) {
		this.name = name;
		this.transport = transport;
		transport.listen(name, this);
	}

	/**
	 * Answer a method with this value (written as JSON).
	 */
	FakeWorker answers(String method, Object answer) {
		this.answers.put(method, answer);
		return this;
	}

	/**
	 * Stamp replies with this Lamport clock.
	 */
	FakeWorker clock(long clock) {
		this.clock = clock;
		return this;
	}

	@Override
	public void received(byte[] message, @Nullable Map<String, Object> headers) {
		JsonNode command = mapper.readTree(message);
		this.commands.add(command);
		this.headers.add((headers != null) ? headers : Map.of());
		JsonNode destination = command.path("destination");
		boolean addressed = !destination.isArray()
				|| destination.valueStream().anyMatch((name) -> name.asString().equals(this.name));
		Object answer = this.answers.get(command.path("method").asString());
		if (!addressed || !command.has("reply_to") || answer == null) {
			return;
		}
		byte[] reply = (answer instanceof byte[] raw) ? raw : mapper.writeValueAsBytes(Map.of(this.name, answer));
		this.transport.reply(command.path("reply_to").path("exchange").asString(),
				command.path("reply_to").path("routing_key").asString(), reply,
				Map.of("ticket", command.path("ticket").asString(), "clock", this.clock));
	}

	static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
