package dev.taskqueue.sqs;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.broker.BrokerException;
import dev.taskqueue.protocol.Envelope;
import dev.taskqueue.serialization.KombuMessageFormat;
import dev.taskqueue.serialization.SerializationException;

/**
 * Envelopes to and from the bodies of the SQS messages kombu's SQS transport sends: its JSON message
 * ({@link KombuMessageFormat}), itself in base64 ({@code sqs_base64_encoding}, kombu's default). Reading takes a
 * body that is not base64 as the JSON itself, as kombu's {@code _optional_b64_decode} does. The transport never
 * looks inside the task's body.
 */
final class KombuSqsCodec {

	private final JsonMapper mapper;

	private final KombuMessageFormat format;

	KombuSqsCodec(JsonMapper mapper) {
		this.mapper = mapper;
		this.format = new KombuMessageFormat(mapper);
	}

	/**
	 * The SQS message body kombu would send for an envelope published to a queue (through the default exchange).
	 * @param queue the queue, as the application names it
	 * @param envelope the envelope
	 * @return the base64 text
	 */
	String write(String queue, Envelope envelope) {
		byte[] json = this.mapper.writeValueAsBytes(this.format.message(queue, envelope, UUID.randomUUID().toString()));
		return Base64.getEncoder().encodeToString(json);
	}

	/**
	 * Read an SQS message body.
	 * @param body the body, base64 of kombu's JSON or the JSON itself
	 * @return the envelope
	 * @throws BrokerException if it is not a kombu message
	 */
	Envelope read(String body) {
		try {
			return this.format.envelope(this.format.parse(optionalBase64(body)));
		}
		catch (SerializationException ex) {
			throw new BrokerException("not a kombu message (" + ex.getMessage() + "): " + abbreviate(body), ex);
		}
	}

	/**
	 * What can be read of a body {@link #read(String)} refused, when its task id can be read
	 * ({@link KombuMessageFormat#salvage(Object)}). The worker stores FAILURE for that id.
	 * @param body the body
	 * @return an envelope with the message's headers, its id and an empty body; {@code null} if no id can be read
	 */
	@Nullable Envelope salvage(String body) {
		try {
			return this.format.salvage(this.format.parse(optionalBase64(body)));
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	/**
	 * The bytes base64 stands for, if the body is base64 (decoding and encoding again give it back), else the
	 * body itself: kombu's {@code _optional_b64_decode}, for peers with {@code sqs_base64_encoding=False}.
	 */
	static byte[] optionalBase64(String body) {
		try {
			byte[] decoded = Base64.getDecoder().decode(body);
			if (Base64.getEncoder().encodeToString(decoded).equals(body)) {
				return decoded;
			}
		}
		catch (IllegalArgumentException ex) {
			// not base64: the JSON itself
		}
		return body.getBytes(StandardCharsets.UTF_8);
	}

	private static String abbreviate(String text) {
		return (text.length() > 120) ? text.substring(0, 117) + "..." : text;
	}

}
