package dev.taskqueue.events;

import java.util.List;
import java.util.Map;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CopyOnWriteArrayList;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A transport that writes down what is published, and can be told to refuse (a broker that is away) or to hang
 * (a broker that does not answer).
 */
class RecordingEventTransport implements EventTransport {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private final List<Published> published = new CopyOnWriteArrayList<>();

	private volatile boolean refusing;

	private volatile boolean hanging;

	List<Published> published() {
		return List.copyOf(this.published);
	}

	void refuse(boolean refusing) {
		this.refusing = refusing;
	}

	synchronized void hang(boolean hanging) {
		this.hanging = hanging;
		notifyAll();
	}

	@Override
	public void publish(String routingKey, byte[] body, Map<String, Object> headers) {
		synchronized (this) {
			while (this.hanging) {
				try {
					wait();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new IllegalStateException("interrupted", ex);
				}
			}
		}
		if (this.refusing) {
			throw new IllegalStateException("the broker is away");
		}
		this.published.add(new Published(routingKey, MAPPER.readTree(body), Map.copyOf(headers),
				new String(body, StandardCharsets.UTF_8)));
	}

	@Override
	public Subscription subscribe(String bindingKey, Handler handler) {
		throw new UnsupportedOperationException();
	}

	@Override
	public void close() {
	}

	/**
	 * One message published: its body parsed, and as it was written.
	 */
	record Published(String routingKey, JsonNode body, Map<String, Object> headers, String text) {

		/** The events of the message: its one event, or every one of a batch. */
		List<JsonNode> events() {
			return this.body.isArray() ? this.body.valueStream().toList() : List.of(this.body);
		}

	}

}
