package dev.taskqueue.redis;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.protocol.Envelope;
import dev.taskqueue.protocol.ProtocolHeaders;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Headers go through kombu's JSON message as JSON values, and come back with the same types.
 */
class KombuMessageCodecTests {

	private final KombuMessageCodec codec = new KombuMessageCodec(JsonMapper.builder().build());

	@Test
	void theSentTimeComesBackAsANumber() {
		long sent = 1_796_000_000_123L;
		Map<String, Object> headers = new LinkedHashMap<>();
		headers.put("task", "sample.add");
		headers.put("id", "id-1");
		headers.put(ProtocolHeaders.SENT, sent);
		Envelope envelope = new Envelope(new byte[] { 1, 2 }, "application/x-msgpack", "binary", headers, "id-1", null,
				0, null);

		Envelope read = this.codec.read(this.codec.write("celery", envelope, "tag-1"));

		assertThat(read.headers().get(ProtocolHeaders.SENT)).isInstanceOf(Long.class).isEqualTo(sent);
		assertThat(read.body()).containsExactly(1, 2);
	}

}
