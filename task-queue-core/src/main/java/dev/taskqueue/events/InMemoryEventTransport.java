package dev.taskqueue.events;

import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.taskqueue.protocol.LogText;

/**
 * Events within one application, for the in-memory broker: each message is handed, on the publisher's thread, to
 * every subscription whose binding key matches its routing key, as a topic exchange would with one queue per
 * receiver.
 */
public class InMemoryEventTransport implements EventTransport {

	private static final Logger logger = LoggerFactory.getLogger(InMemoryEventTransport.class);

	private final CopyOnWriteArrayList<Binding> bindings = new CopyOnWriteArrayList<>();

	@Override
	public void publish(String routingKey, byte[] body, Map<String, Object> headers) {
		Map<String, Object> copy = Map.copyOf(headers);
		for (Binding binding : this.bindings) {
			if (binding.key().matches(routingKey)) {
				try {
					binding.handler().received(routingKey, body.clone(), copy);
				}
				catch (RuntimeException ex) {
					logger.warn("An event subscriber failed on {}; ignored", LogText.escape(routingKey), ex);
				}
			}
		}
	}

	@Override
	public Subscription subscribe(String bindingKey, Handler handler) {
		Binding binding = new Binding(new BindingKey(bindingKey), handler);
		this.bindings.add(binding);
		return () -> this.bindings.remove(binding);
	}

	@Override
	public void close() {
		this.bindings.clear();
	}

	/** A class, not a record: two subscriptions alike are still two, and closing one leaves the other. */
	private static final class Binding {

		private final BindingKey key;

		private final Handler handler;

		Binding(BindingKey key, Handler handler) {
			this.key = key;
			this.handler = handler;
		}

		BindingKey key() {
			return this.key;
		}

		Handler handler() {
			return this.handler;
		}

	}

}
