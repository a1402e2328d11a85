package dev.taskqueue.events;

import java.util.List;

/**
 * An AMQP topic binding key, as event receivers bind to the {@code celeryev} exchange: words separated by
 * {@code .}, where {@code *} stands for exactly one word and {@code #} for zero or more ({@code #} for every event,
 * {@code worker.#} for the workers', {@code task.#} for the tasks'). Transports without topic exchanges (memory,
 * Redis' pub/sub) match routing keys with it.
 *
 * @param key the binding key
 */
public record BindingKey(String key) {

	/** Every event. */
	public static final BindingKey ALL = new BindingKey("#");

	/**
	 * Check the key.
	 */
	public BindingKey {
		if (key == null || key.isEmpty()) {
			throw new IllegalArgumentException("a binding key must not be empty");
		}
	}

	/**
	 * Whether a routing key matches, as RabbitMQ's topic exchange decides.
	 * @param routingKey the routing key of a message ({@code worker.heartbeat}, {@code task.multi})
	 * @return whether a queue bound with this key receives it
	 */
	public boolean matches(String routingKey) {
		return matches(List.of(this.key.split("\\.", -1)), 0, List.of(routingKey.split("\\.", -1)), 0);
	}

	private static boolean matches(List<String> pattern, int p, List<String> words, int w) {
		if (p == pattern.size()) {
			return w == words.size();
		}
		String part = pattern.get(p);
		if (part.equals("#")) {
			// zero or more words: try every split
			for (int rest = w; rest <= words.size(); rest++) {
				if (matches(pattern, p + 1, words, rest)) {
					return true;
				}
			}
			return false;
		}
		if (w == words.size()) {
			return false;
		}
		return (part.equals("*") || part.equals(words.get(w))) && matches(pattern, p + 1, words, w + 1);
	}

	@Override
	public String toString() {
		return this.key;
	}

}
