package dev.taskqueue.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.taskqueue.Task;
import dev.taskqueue.serialization.Bzip2Compressor;
import dev.taskqueue.serialization.Compressors;
import dev.taskqueue.serialization.SerializerRegistry;
import dev.taskqueue.serialization.TypedValues;
import dev.taskqueue.serialization.XzCompressor;
import dev.taskqueue.serialization.ZlibCompressor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration metadata that the build generates from {@link TaskQueueProperties} and
 * {@code additional-spring-configuration-metadata.json}, as an IDE reads it: every property documented and
 * typed, and the values of the hinted ones the ones the application accepts.
 */
class ConfigurationMetadataTests {

	private static final String METADATA = "META-INF/spring-configuration-metadata.json";

	private final JsonNode metadata = load();

	@Test
	void everyPropertyHasADescriptionAndAType() {
		List<String> names = new ArrayList<>();
		for (JsonNode property : this.metadata.get("properties")) {
			String name = property.get("name").asString();
			names.add(name);
			// the actuator's keys are Spring Boot's own: management.health.taskqueue.*, management.endpoint.taskqueue.*
			assertThat(name).matches("taskqueue\\..*|management\\.(health|endpoint)\\.taskqueue\\..*");
			assertThat(property.path("description").asString("")).as(name).isNotBlank();
			assertThat(property.path("type").asString("")).as(name).isNotBlank();
		}
		// README's Configuration section, and what it sends to the pages of each transport
		assertThat(names).contains("taskqueue.broker", "taskqueue.result-backend", "taskqueue.default-queue",
				"taskqueue.result-expires", "taskqueue.serializer", "taskqueue.accept-content",
				"taskqueue.compression", "taskqueue.max-message-size", "taskqueue.max-nesting-depth",
				"taskqueue.celery-control", "taskqueue.routes", "taskqueue.tasks", "taskqueue.worker.enabled",
				"taskqueue.worker.queues", "taskqueue.worker.concurrency", "taskqueue.worker.prefetch",
				"taskqueue.worker.shutdown-timeout", "taskqueue.worker.cold-shutdown-on-second-signal",
				"taskqueue.worker.acks-late", "taskqueue.worker.on-retries-exhausted", "taskqueue.worker.rate-limits",
				"taskqueue.worker.name", "taskqueue.worker.groups", "taskqueue.worker.revocation-window",
				"taskqueue.dead-letters.max-count", "taskqueue.dead-letters.max-age", "taskqueue.eager",
				"taskqueue.redis.key-prefix", "taskqueue.redis.visibility-timeout", "taskqueue.redis.claim-refresh",
				"taskqueue.rabbitmq.dead-letter-queue", "taskqueue.rabbitmq.delay-exchange",
				"taskqueue.rabbitmq.confirm-timeout", "taskqueue.rabbitmq.recovery-interval",
				"taskqueue.rabbitmq.declare-missing-queues", "taskqueue.rabbitmq.create-missing-queues",
				"taskqueue.rabbitmq.consumer-timeout", "taskqueue.metrics.queue-depth-refresh",
				"taskqueue.rabbitmq.exchanges",
				"taskqueue.rabbitmq.queues", "taskqueue.rabbitmq.bindings", "taskqueue.beat.enabled",
				"taskqueue.beat.timezone", "taskqueue.beat.lease", "taskqueue.beat.schedule",
				"taskqueue.control.allowed", "taskqueue.control.denied", "taskqueue.control.shutdown-exits-jvm");
		// README's Health and Endpoint sections
		assertThat(names).contains("management.health.taskqueue.enabled",
				"management.health.taskqueue.readiness.enabled", "management.endpoint.taskqueue.access");
	}

	@Test
	void theEventsKeysAreDocumented() {
		List<String> names = new ArrayList<>();
		this.metadata.get("properties").forEach((property) -> names.add(property.get("name").asString()));
		// the README section on events ("Events and remote control")
		assertThat(names).contains("taskqueue.events.enabled", "taskqueue.events.task-sent",
				"taskqueue.events.worker-events", "taskqueue.events.heartbeat-interval",
				"taskqueue.events.buffer-limit", "taskqueue.events.flush-interval");
	}

	@Test
	void theDashboardKeysAreDocumented() {
		List<String> names = new ArrayList<>();
		this.metadata.get("properties").forEach((property) -> names.add(property.get("name").asString()));
		// docs/_proposed/dashboard.md
		assertThat(names).contains("taskqueue.dashboard.enabled", "taskqueue.dashboard.path",
				"taskqueue.dashboard.read-only", "taskqueue.dashboard.max-tasks", "taskqueue.dashboard.max-streams",
				"taskqueue.dashboard.remote-control-timeout", "taskqueue.dashboard.enable-events");
	}

	@Test
	void listsAndMapsNameTheTypeAnIdeCompletesTheirElementsFrom() {
		assertThat(typeOf("taskqueue.routes"))
			.isEqualTo("java.util.List<dev.taskqueue.autoconfigure.TaskQueueProperties$RouteEntry>");
		assertThat(typeOf("taskqueue.tasks")).isEqualTo(
				"java.util.Map<java.lang.String,dev.taskqueue.autoconfigure.TaskQueueProperties$TaskSettings>");
		assertThat(typeOf("taskqueue.worker.groups")).isEqualTo(
				"java.util.Map<java.lang.String,dev.taskqueue.autoconfigure.TaskQueueProperties$Worker$Group>");
		assertThat(typeOf("taskqueue.rabbitmq.exchanges"))
			.isEqualTo("java.util.List<dev.taskqueue.autoconfigure.TaskQueueProperties$Rabbitmq$Exchange>");
		assertThat(typeOf("taskqueue.rabbitmq.queues"))
			.isEqualTo("java.util.List<dev.taskqueue.autoconfigure.TaskQueueProperties$Rabbitmq$Queue>");
		assertThat(typeOf("taskqueue.rabbitmq.bindings"))
			.isEqualTo("java.util.List<dev.taskqueue.autoconfigure.TaskQueueProperties$Rabbitmq$Binding>");
		assertThat(typeOf("taskqueue.beat.schedule")).isEqualTo(
				"java.util.Map<java.lang.String,dev.taskqueue.autoconfigure.TaskQueueBeatProperties$Entry>");
	}

	@Test
	void theEnumeratedPropertiesHintEveryValueWithADescription() {
		assertThat(hintedValues("taskqueue.broker")).containsExactlyElementsOf(
				valuesOf(TaskQueueProperties.BrokerType.values()));
		assertThat(hintedValues("taskqueue.result-backend")).containsExactlyElementsOf(
				valuesOf(TaskQueueProperties.ResultBackendType.values()));
		assertThat(hintedValues("taskqueue.celery-control")).containsExactly("auto", "on", "off")
			.containsExactlyElementsOf(valuesOf(TaskQueueProperties.CeleryControl.values()));
		assertThat(hintedValues("taskqueue.worker.rate-limits")).containsExactlyElementsOf(
				valuesOf(TaskQueueProperties.Worker.RateLimits.values()));
		// DEFAULT is @Task's "as the worker says", which the worker's own setting cannot be
		assertThat(hintedValues("taskqueue.worker.on-retries-exhausted")).containsExactly("fail", "dead-letter")
			.containsExactlyElementsOf(valuesOf(Task.RetriesExhausted.FAIL, Task.RetriesExhausted.DEAD_LETTER));
		assertThat(hintedValues("taskqueue.json.typed-values")).containsExactly("plain", "kombu53")
			.containsExactlyElementsOf(valuesOf(TypedValues.values()));
		for (JsonNode hint : this.metadata.get("hints")) {
			for (JsonNode value : hint.get("values")) {
				assertThat(value.path("description").asString(""))
					.as("%s=%s", hint.get("name").asString(), value.get("value").asString())
					.isNotBlank();
			}
		}
	}

	@Test
	void theSerializersHintedAreTheOnesTheApplicationHas() {
		assertThat(hintedValues("taskqueue.serializer")).containsExactly("json", "msgpack", "yaml");
		assertThat(hintedValues("taskqueue.accept-content")).contains("json", "msgpack", "yaml", "application/json",
				"application/x-msgpack", "application/x-yaml");
		// Serializer beans add names of their own
		assertThat(providers("taskqueue.serializer")).containsExactly("any");
		assertThat(providers("taskqueue.accept-content")).containsExactly("any");
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(TaskQueueAutoConfiguration.class))
			.withPropertyValues("taskqueue.worker.enabled=false")
			.run((context) -> {
				SerializerRegistry serializers = context.getBean(SerializerRegistry.class);
				for (String value : hintedValues("taskqueue.accept-content")) {
					assertThat(serializers.get(value)).as(value).isNotNull();
				}
			});
	}

	@Test
	void theCompressionsHintedAreTheOnesCompressorsKnowsByCelerysNames() {
		assertThat(hintedValues("taskqueue.compression")).containsExactly("zlib", "gzip", "bzip2", "bzip", "lzma",
				"xz");
		// Compressor beans add names of their own
		assertThat(providers("taskqueue.compression")).containsExactly("any");
		Compressors compressors = new Compressors(
				List.of(new ZlibCompressor(), new Bzip2Compressor(), new XzCompressor()));
		for (String value : hintedValues("taskqueue.compression")) {
			assertThat(compressors.get(value)).as(value).isNotNull();
		}
	}

	private String typeOf(String name) {
		for (JsonNode property : this.metadata.get("properties")) {
			if (property.get("name").asString().equals(name)) {
				return property.get("type").asString();
			}
		}
		throw new AssertionError("No property " + name);
	}

	private List<String> hintedValues(String name) {
		List<String> values = new ArrayList<>();
		hint(name).get("values").forEach((value) -> values.add(value.get("value").asString()));
		return values;
	}

	private List<String> providers(String name) {
		List<String> providers = new ArrayList<>();
		hint(name).path("providers").forEach((provider) -> providers.add(provider.get("name").asString()));
		return providers;
	}

	private JsonNode hint(String name) {
		for (JsonNode hint : this.metadata.get("hints")) {
			if (hint.get("name").asString().equals(name)) {
				return hint;
			}
		}
		throw new AssertionError("No hint for " + name);
	}

	/**
	 * The values of an enum as they are written in configuration.
	 */
	private static List<String> valuesOf(Enum<?>... constants) {
		return Arrays.stream(constants)
			.map((constant) -> constant.name().toLowerCase(Locale.ROOT).replace('_', '-'))
			.toList();
	}

	/**
	 * The metadata generated in this module's classes, not that of Spring Boot's jars.
	 */
	private static JsonNode load() {
		String classes = TaskQueueProperties.class.getProtectionDomain().getCodeSource().getLocation().toString();
		try {
			Map<String, URL> ours = new TreeMap<>();
			for (URL url : Collections.list(ConfigurationMetadataTests.class.getClassLoader().getResources(METADATA))) {
				if (url.toString().startsWith(classes)) {
					ours.put(url.toString(), url);
				}
			}
			assertThat(ours).as("generated metadata under %s", classes).hasSize(1);
			try (InputStream in = ours.values().iterator().next().openStream()) {
				return JsonMapper.builder().build().readTree(in);
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
