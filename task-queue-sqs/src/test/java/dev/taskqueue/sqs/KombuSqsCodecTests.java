package dev.taskqueue.sqs;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.broker.BrokerException;
import dev.taskqueue.protocol.Envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The SQS message body as kombu's SQS transport writes and reads it: kombu's JSON message in base64.
 */
class KombuSqsCodecTests {

	private final KombuSqsCodec codec = new KombuSqsCodec(JsonMapper.builder().build());

	@Test
	void readsWhatItWrites() {
		Map<String, Object> headers = new LinkedHashMap<>();
		headers.put("task", "t");
		headers.put("id", "i1");
		Envelope sent = new Envelope("[[1], {}, {}]".getBytes(StandardCharsets.UTF_8), "application/json", "utf-8",
				headers, "i1", "reply", 3, "1000");
		Envelope read = this.codec.read(this.codec.write("q", sent));
		assertThat(read.body()).isEqualTo(sent.body());
		assertThat(read.headers()).isEqualTo(headers);
		assertThat(read.correlationId()).isEqualTo("i1");
		assertThat(read.replyTo()).isEqualTo("reply");
		assertThat(read.priority()).isEqualTo(3);
		assertThat(read.expiration()).isEqualTo("1000");
	}

	@Test
	void readsAKombuMessageSentWithoutBase64() {
		// a peer with sqs_base64_encoding=False sends the JSON itself, as kombu's _optional_b64_decode reads it
		String json = "{\"body\": \"W1tdLCB7fSwge31d\", \"content-encoding\": \"utf-8\", \"content-type\": "
				+ "\"application/json\", \"headers\": {\"id\": \"p1\", \"task\": \"t\"}, \"properties\": "
				+ "{\"body_encoding\": \"base64\", \"correlation_id\": \"p1\", \"delivery_info\": "
				+ "{\"exchange\": \"\", \"routing_key\": \"celery\"}, \"priority\": 0}}";
		Envelope read = this.codec.read(json);
		assertThat(new String(read.body(), StandardCharsets.UTF_8)).isEqualTo("[[], {}, {}]");
		assertThat(read.correlationId()).isEqualTo("p1");
		assertThat(this.codec.read(Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8)))
			.correlationId()).isEqualTo("p1");
	}

	@Test
	void aBodyThatIsNotKombusIsRefusedButItsIdSalvaged() {
		String noBody = "{\"headers\": {\"id\": \"s1\"}, \"properties\": {}}";
		assertThatExceptionOfType(BrokerException.class).isThrownBy(() -> this.codec.read(noBody));
		assertThat(this.codec.salvage(noBody).correlationId()).isEqualTo("s1");
		assertThat(this.codec.salvage("not json")).isNull();
	}

}
