package dev.taskqueue.worker;

import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.broker.Delivery;
import dev.taskqueue.listener.TaskEvent;
import dev.taskqueue.protocol.Envelope;
import dev.taskqueue.protocol.ProtocolHeaders;
import dev.taskqueue.protocol.TaskMessage;

/**
 * The {@link TaskEvent}s of a worker, made from what it received: made only when there are listeners to tell.
 */
final class TaskEvents {

	/** The id or name of a message that could not be decoded and did not say. */
	static final String UNKNOWN = "unknown";

	private TaskEvents() {
	}

	/**
	 * The event of a decoded task.
	 * @param message the task's message
	 * @param delivery how it arrived
	 * @param worker the worker's name
	 * @return the event
	 */
	static TaskEvent of(TaskMessage message, Delivery delivery, String worker) {
		Map<String, Object> headers = delivery.envelope().headers();
		return new TaskEvent(message.id(), message.task(), delivery.queue(), message.retries(), headers, worker,
				sentAt(headers));
	}

	/**
	 * The event of a message that could not be decoded, with what could be read of it: the id from the correlation
	 * id or the {@code id} header, the name from the {@code task} header, else {@value #UNKNOWN}.
	 * @param delivery how it arrived
	 * @param taskId its id, if it could be read
	 * @param worker the worker's name
	 * @return the event
	 */
	static TaskEvent undecodable(Delivery delivery, @Nullable String taskId, String worker) {
		Envelope envelope = delivery.envelope();
		Map<String, Object> headers = envelope.headers();
		String name = envelope.taskName();
		Object retries = headers.get(ProtocolHeaders.RETRIES);
		return new TaskEvent((taskId != null) ? taskId : UNKNOWN, (name != null && !name.isEmpty()) ? name : UNKNOWN,
				delivery.queue(), (retries instanceof Number number) ? number.intValue() : 0, headers, worker,
				sentAt(headers));
	}

	/**
	 * When the sender published the message, from its {@code taskqueue_sent} header: epoch milliseconds as a
	 * number, or as text (a transport that turned it into one). Celery's senders do not write it.
	 * @param headers the message's headers
	 * @return the time, or {@code null} if absent or unreadable
	 */
	static @Nullable Instant sentAt(Map<String, Object> headers) {
		Object sent = headers.get(ProtocolHeaders.SENT);
		if (sent instanceof Number number) {
			return millis(number.doubleValue());
		}
		if (sent instanceof CharSequence text && text.length() <= 32) {
			try {
				return millis(Double.parseDouble(text.toString().trim()));
			}
			catch (NumberFormatException ex) {
				return null;
			}
		}
		return null;
	}

	private static @Nullable Instant millis(double millis) {
		// exact for any time in this millennium (below 2^53); NaN and infinities are not a time
		return Double.isFinite(millis) ? Instant.ofEpochMilli((long) millis) : null;
	}

}
