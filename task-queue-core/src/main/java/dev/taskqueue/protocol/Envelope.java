package dev.taskqueue.protocol;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A serialized message as brokers carry it: body bytes, their content type and encoding, the headers and
 * the few message properties Celery uses. A broker moves envelopes and never looks inside the body.
 *
 * @param body the serialized body
 * @param contentType the serializer's content type ({@code application/json})
 * @param contentEncoding the body's encoding ({@code utf-8}, {@code binary})
 * @param headers the protocol v2 headers and any others
 * @param correlationId the task id, or {@code null} in a message that is not a task's
 * @param replyTo where replies go (the sender's id), or {@code null}
 * @param priority the message priority (0 when not set)
 * @param expiration a per-message time to live in milliseconds, as a string, or {@code null}
 */
public record Envelope(byte[] body, String contentType, String contentEncoding, Map<String, Object> headers,
		@Nullable String correlationId, @Nullable String replyTo, int priority, @Nullable String expiration) {

	/**
	 * Check the envelope.
	 */
	public Envelope {
		if (body == null) {
			throw new IllegalArgumentException("an envelope needs a body");
		}
		headers = (headers != null) ? headers : Map.of();
	}

	/**
	 * The {@code task} header, if any, for logs about a message that could not be decoded.
	 * @return the task name or {@code null}
	 */
	public @Nullable String taskName() {
		Object task = this.headers.get(ProtocolHeaders.TASK);
		return (task != null) ? task.toString() : null;
	}

	/**
	 * The same envelope with one header changed.
	 * @param name the header
	 * @param value its new value
	 * @return a new envelope
	 */
	public Envelope withHeader(String name, Object value) {
		Map<String, Object> copy = new java.util.LinkedHashMap<>(this.headers);
		copy.put(name, value);
		return new Envelope(this.body, this.contentType, this.contentEncoding, copy, this.correlationId, this.replyTo,
				this.priority, this.expiration);
	}

}
