package dev.taskqueue.rabbitmq;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.impl.LongStringHelper;
import com.rabbitmq.client.impl.ValueReader;
import com.rabbitmq.client.impl.ValueWriter;
import org.junit.jupiter.api.Test;

import dev.taskqueue.protocol.Envelope;
import dev.taskqueue.protocol.ProtocolHeaders;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Envelopes to AMQP properties with py-amqp's field types, and back.
 */
class AmqpEnvelopeConverterTests {

	@Test
	void headerValuesGetTheTypesPyAmqpWrites() {
		Map<String, Object> headers = new LinkedHashMap<>();
		headers.put("retries", 0L);
		headers.put("big", 1L << 40);
		headers.put("huge", BigInteger.ONE.shiftLeft(70));
		headers.put("ratio", 0.5f);
		headers.put("timelimit", Arrays.asList(30L, null));
		headers.put("nested", Map.of("n", 7L));
		headers.put("shadow", null);
		headers.put("ignore_result", true);
		Map<String, Object> table = AmqpEnvelopeConverter.toTable(headers);
		assertThat(table.get("retries")).isEqualTo(0);
		assertThat(table.get("big")).isEqualTo(1L << 40);
		assertThat(table.get("huge")).isInstanceOf(java.math.BigDecimal.class);
		assertThat(table.get("ratio")).isEqualTo(0.5d);
		assertThat(table.get("timelimit")).isEqualTo(Arrays.asList(30, null));
		assertThat(table.get("nested")).isEqualTo(Map.of("n", 7));
		assertThat(table).containsEntry("shadow", null).containsEntry("ignore_result", true);
		assertThat(table.keySet()).containsExactlyElementsOf(headers.keySet());
	}

	@Test
	void propertiesAreCelerys() {
		Envelope envelope = new Envelope(new byte[] { 1 }, "application/json", "utf-8", Map.of("task", "t"), "id-1",
				"oid", 5, "1000");
		AMQP.BasicProperties properties = AmqpEnvelopeConverter.toProperties(envelope, AmqpEnvelopeConverter.PERSISTENT,
				true);
		assertThat(properties.getContentType()).isEqualTo("application/json");
		assertThat(properties.getContentEncoding()).isEqualTo("utf-8");
		assertThat(properties.getDeliveryMode()).isEqualTo(2);
		assertThat(properties.getPriority()).isEqualTo(5);
		assertThat(properties.getCorrelationId()).isEqualTo("id-1");
		assertThat(properties.getReplyTo()).isEqualTo("oid");
		assertThat(properties.getExpiration()).isEqualTo("1000");
		assertThat(AmqpEnvelopeConverter.toProperties(envelope, AmqpEnvelopeConverter.PERSISTENT, false).getExpiration())
			.isNull();
	}

	@Test
	void receivedLongStringsBecomeStrings() {
		Map<String, Object> headers = new LinkedHashMap<>();
		headers.put("task", LongStringHelper.asLongString("sample.add"));
		headers.put("timelimit", Arrays.asList(LongStringHelper.asLongString("x"), null));
		AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().headers(headers)
			.contentType("application/json")
			.correlationId("id-2")
			.build();
		Envelope envelope = AmqpEnvelopeConverter.toEnvelope(properties, "[]".getBytes(StandardCharsets.UTF_8));
		assertThat(envelope.headers()).containsEntry("task", "sample.add")
			.containsEntry("timelimit", Arrays.asList("x", null));
		assertThat(envelope.priority()).isZero();
		assertThat(envelope.correlationId()).isEqualTo("id-2");
		assertThat(envelope.taskName()).isEqualTo("sample.add");
		assertThat(List.of(envelope.body().length)).containsExactly(2);
	}

	@Test
	void theSentTimeComesBackFromTheWireAsANumber() throws IOException {
		long sent = 1_796_000_000_123L;
		Map<String, Object> headers = new LinkedHashMap<>();
		headers.put("task", "sample.add");
		headers.put(ProtocolHeaders.SENT, sent);
		AMQP.BasicProperties published = AmqpEnvelopeConverter.toProperties(
				new Envelope(new byte[0], "application/json", "utf-8", headers, "id-3", null, 0, null),
				AmqpEnvelopeConverter.PERSISTENT, false);

		// through the frame encoding the client writes and reads
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		ValueWriter writer = new ValueWriter(new DataOutputStream(bytes));
		writer.writeTable(published.getHeaders());
		writer.flush();
		Map<String, Object> read = new ValueReader(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())))
			.readTable();
		Envelope received = AmqpEnvelopeConverter
			.toEnvelope(new AMQP.BasicProperties.Builder().headers(read).build(), new byte[0]);

		assertThat(received.headers().get(ProtocolHeaders.SENT)).isInstanceOf(Long.class).isEqualTo(sent);
	}

}
