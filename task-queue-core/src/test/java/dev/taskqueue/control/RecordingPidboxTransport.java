package dev.taskqueue.control;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jspecify.annotations.Nullable;

/**
 * A pidbox transport that reaches no broker: it keeps what is broadcast and replied, and hands the node's handler
 * to the test, which plays the broker delivering commands.
 */
class RecordingPidboxTransport implements PidboxTransport {

	final List<Sent> broadcasts = new CopyOnWriteArrayList<>();

	final List<Sent> replies = new CopyOnWriteArrayList<>();

	volatile @Nullable Handler handler;

	volatile int closed;

	@Override
	public void broadcast(byte[] command, Map<String, Object> headers) {
		this.broadcasts.add(new Sent("celery.pidbox", "", command, headers));
	}

	@Override
	public void reply(String exchange, String routingKey, byte[] reply, Map<String, Object> headers) {
		this.replies.add(new Sent(exchange, routingKey, reply, headers));
	}

	@Override
	public void listen(String hostname, Handler handler) {
		this.handler = handler;
	}

	@Override
	public void close() {
		this.handler = null;
		this.closed++;
	}

	/**
	 * A message sent.
	 */
	record Sent(String exchange, String routingKey, byte[] body, Map<String, Object> headers) {
	}

}
