package dev.taskqueue.serialization;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.representer.Representer;
import tools.jackson.databind.json.JsonMapper;

/**
 * Celery's {@code yaml} serializer ({@code application/x-yaml}, {@code utf-8}), with SnakeYAML's safe
 * constructor: plain values only, never arbitrary classes. YAML timestamps (Python datetimes) are read as
 * ISO 8601 text, so they bind to any {@code java.time} parameter; {@code !!binary} is read as {@code byte[]}.
 */
public class YamlSerializer implements Serializer {

	private final JsonMapper mapper;

	private final LoaderOptions loaderOptions;

	private final DumperOptions dumperOptions;

	/**
	 * Create a serializer.
	 * @param mapper a Celery-compatible mapper for values that are not plain
	 * @param maxDepth the deepest nesting read
	 * @param maxBytes the largest document read
	 */
	public YamlSerializer(JsonMapper mapper, int maxDepth, int maxBytes) {
		this.mapper = mapper;
		this.loaderOptions = new LoaderOptions();
		this.loaderOptions.setNestingDepthLimit(maxDepth);
		this.loaderOptions.setCodePointLimit(maxBytes);
		this.loaderOptions.setAllowDuplicateKeys(false);
		this.dumperOptions = new DumperOptions();
		this.dumperOptions.setDefaultFlowStyle(DumperOptions.FlowStyle.FLOW);
	}

	@Override
	public String name() {
		return "yaml";
	}

	@Override
	public String contentType() {
		return "application/x-yaml";
	}

	@Override
	public String contentEncoding() {
		return "utf-8";
	}

	@Override
	public byte[] serialize(@Nullable Object value) {
		try {
			return yaml().dump(PlainValues.of(value, this.mapper)).getBytes(StandardCharsets.UTF_8);
		}
		catch (YAMLException ex) {
			throw new SerializationException("Cannot write YAML: " + ex.getMessage(), ex);
		}
	}

	@Override
	public @Nullable Object deserialize(byte[] bytes) {
		try {
			return timestampsAsText(yaml().load(new String(bytes, StandardCharsets.UTF_8)));
		}
		catch (YAMLException ex) {
			throw new SerializationException("Not valid YAML: " + ex.getMessage(), ex);
		}
	}

	private Yaml yaml() {
		// Yaml instances are not thread-safe; they are cheap next to the parse
		return new Yaml(new SafeConstructor(this.loaderOptions), new Representer(this.dumperOptions), this.dumperOptions,
				this.loaderOptions);
	}

	private static @Nullable Object timestampsAsText(@Nullable Object value) {
		if (value instanceof Date date) {
			return date.toInstant().toString();
		}
		if (value instanceof Map<?, ?> map) {
			Map<Object, Object> copy = new LinkedHashMap<>();
			map.forEach((key, item) -> copy.put(key, timestampsAsText(item)));
			return copy;
		}
		if (value instanceof List<?> list) {
			List<Object> copy = new ArrayList<>(list.size());
			list.forEach((item) -> copy.add(timestampsAsText(item)));
			return copy;
		}
		return value;
	}

}
