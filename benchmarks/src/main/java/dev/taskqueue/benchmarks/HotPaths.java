package dev.taskqueue.benchmarks;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.protocol.Envelope;
import dev.taskqueue.protocol.PythonRepr;
import dev.taskqueue.protocol.TaskMessage;
import dev.taskqueue.protocol.TimeLimit;
import dev.taskqueue.serialization.JsonSerializer;
import dev.taskqueue.serialization.MsgpackSerializer;
import dev.taskqueue.serialization.SerializerRegistry;
import dev.taskqueue.serialization.TaskMessageConverter;

/**
 * Microbenchmarks of the per-message work: building and encoding a protocol v2 message, decoding it, and the
 * serializers alone; binding arguments to a task method is measured by
 * {@code dev.taskqueue.worker.ArgumentBindingHotPath}. Run with {@code --scenario=jmh}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HotPaths {

	private final JsonMapper mapper = JsonMapper.builder().build();

	private TaskMessageConverter converter;

	private TaskMessage message;

	private Envelope envelope;

	private JsonSerializer json;

	private MsgpackSerializer msgpack;

	private List<Object> body;

	private byte[] jsonBody;

	private byte[] msgpackBody;

	@Setup
	public void setUp() throws Exception {
		this.json = new JsonSerializer(this.mapper);
		this.msgpack = new MsgpackSerializer(JsonSerializer.celeryCompatible(this.mapper), 64);
		this.converter = new TaskMessageConverter(
				new SerializerRegistry(List.of(this.json, this.msgpack), List.of("json", "msgpack")), Clock.systemUTC());
		this.message = message();
		this.envelope = this.converter.toEnvelope(this.message, "json", "reply", 0);
		this.body = List.of(List.of(2, 3), Map.of(), TaskMessage.emptyEmbed());
		this.jsonBody = this.json.serialize(this.body);
		this.msgpackBody = this.msgpack.serialize(this.body);
	}

	@Benchmark
	public Envelope encodeMessage() {
		return this.converter.toEnvelope(message(), "json", "reply", 0);
	}

	@Benchmark
	public TaskMessage decodeMessage() {
		return this.converter.fromEnvelope(this.envelope);
	}

	@Benchmark
	public byte[] jsonSerialize() {
		return this.json.serialize(this.body);
	}

	@Benchmark
	public Object jsonDeserialize() {
		return this.json.deserialize(this.jsonBody);
	}

	@Benchmark
	public byte[] msgpackSerialize() {
		return this.msgpack.serialize(this.body);
	}

	@Benchmark
	public Object msgpackDeserialize() {
		return this.msgpack.deserialize(this.msgpackBody);
	}

	private static TaskMessage message() {
		String id = UUID.randomUUID().toString();
		List<Object> args = List.of(2, 3);
		return new TaskMessage(id, "sample.add", "java", null, null, null, null, null, 0, TimeLimit.NONE, id, null,
				PythonRepr.ofArgs(args), "{}", "gen1@bench", false, Map.of(), args, Map.of(), null);
	}

}
