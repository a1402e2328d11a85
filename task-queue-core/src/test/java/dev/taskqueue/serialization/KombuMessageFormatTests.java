package dev.taskqueue.serialization;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.protocol.Envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Kombu's message as Celery 5.2.6 pushed it to Redis (captured: {@code redis_publish_plain_apply_async.json}), read,
 * written back the same, and what is salvaged of a message that is not kombu's.
 */
class KombuMessageFormatTests {

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final KombuMessageFormat format = new KombuMessageFormat(this.mapper);

	@Test
	void aMessageCeleryPushedIsReadWithItsBodyHeadersAndProperties() throws IOException {
		Envelope envelope = this.format.envelope(this.format.parse(captured().getBytes(StandardCharsets.UTF_8)));
		assertThat(new String(envelope.body(), StandardCharsets.UTF_8))
			.isEqualTo("[[2, 3], {}, {\"callbacks\": null, \"errbacks\": null, \"chain\": null, \"chord\": null}]");
		assertThat(envelope.contentType()).isEqualTo("application/json");
		assertThat(envelope.contentEncoding()).isEqualTo("utf-8");
		assertThat(envelope.headers()).containsEntry("task", "capapp.add");
		assertThat(envelope.correlationId()).isEqualTo("7b6d3d38-a30f-4d63-8392-40a00060dd70");
		assertThat(envelope.replyTo()).isEqualTo("bc12779f-312f-3311-9a97-9d1bd7a939d1");
		assertThat(envelope.priority()).isZero();
	}

	@Test
	void whatItWritesIsWhatCeleryPushesButTheDeliveryTag() throws IOException {
		String captured = captured();
		Envelope envelope = this.format.envelope(this.format.parse(captured.getBytes(StandardCharsets.UTF_8)));
		Map<String, Object> written = this.format.message("celery", envelope, "57aa9928-d5b1-4704-bf9d-c683bc3e2638");
		JsonNode tree = this.mapper.valueToTree(written);
		assertThat(tree).isEqualTo(this.mapper.readTree(captured));
	}

	@Test
	void aMessageWithoutAStringBodyIsRefusedAndItsIdSalvaged() {
		Object parsed = this.format
			.parse("{\"body\": 42, \"headers\": {\"id\": \"t-1\"}, \"properties\": {}}".getBytes(StandardCharsets.UTF_8));
		assertThatExceptionOfType(SerializationException.class).isThrownBy(() -> this.format.envelope(parsed))
			.withMessageContaining("'body'");
		Envelope salvaged = this.format.salvage(parsed);
		assertThat(salvaged).isNotNull();
		assertThat(salvaged.correlationId()).isEqualTo("t-1");
		assertThat(this.format.salvage(this.format.parse("[1]".getBytes(StandardCharsets.UTF_8)))).isNull();
	}

	private String captured() throws IOException {
		try (InputStream in = getClass()
			.getResourceAsStream("/celery-wire/samples/redis_publish_plain_apply_async.json")) {
			JsonNode sample = this.mapper.readTree(in);
			return sample.path("lists_in_db10_oldest_first").path("celery").get(0).path("raw").asString();
		}
	}

}
