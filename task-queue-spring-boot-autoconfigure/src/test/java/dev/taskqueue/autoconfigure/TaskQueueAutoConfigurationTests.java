package dev.taskqueue.autoconfigure;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.taskqueue.TaskClient;
import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.Subscription;
import dev.taskqueue.broker.memory.InMemoryBroker;
import dev.taskqueue.client.TaskTemplate;
import dev.taskqueue.registry.TaskRegistry;
import dev.taskqueue.result.DisabledResultBackend;
import dev.taskqueue.result.ResultBackend;
import dev.taskqueue.result.memory.InMemoryResultBackend;
import dev.taskqueue.serialization.Compressors;
import dev.taskqueue.serialization.JsonSerializer;
import dev.taskqueue.serialization.SerializationException;
import dev.taskqueue.serialization.Serializer;
import dev.taskqueue.serialization.SerializerRegistry;
import dev.taskqueue.worker.WorkerSettings;
import dev.taskqueue.worker.Workers;

import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

class TaskQueueAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, TaskQueueAutoConfiguration.class));

	@Test
	void defaultsToTheInMemoryBrokerAndResultBackendWithAWorker() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(InMemoryBroker.class);
			assertThat(context).hasSingleBean(InMemoryResultBackend.class);
			assertThat(context).hasSingleBean(TaskTemplate.class);
			assertThat(context).hasSingleBean(TaskRegistry.class);
			assertThat(context).hasSingleBean(Workers.class);
			WorkerSettings settings = onlyWorkerSettings(context);
			assertThat(settings.queues()).containsExactly("celery");
			assertThat(settings.concurrency()).isEqualTo(Runtime.getRuntime().availableProcessors());
			assertThat(settings.prefetch()).isEqualTo(4 * settings.concurrency());
			assertThat(settings.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
		});
	}

	@Test
	void workerSettingsComeFromProperties() {
		this.runner
			.withPropertyValues("taskqueue.default-queue=jobs", "taskqueue.worker.queues=emails,reports",
					"taskqueue.worker.concurrency=3", "taskqueue.worker.prefetch=5",
					"taskqueue.worker.shutdown-timeout=7s", "taskqueue.worker.name=w1@test")
			.run((context) -> {
				WorkerSettings settings = onlyWorkerSettings(context);
				assertThat(settings).isEqualTo(new WorkerSettings("w1@test", List.of("emails", "reports"), 3, 5,
						Duration.ofSeconds(7)));
			});
	}

	@Test
	void workerConsumesTheDefaultQueueWhenNoQueuesAreGiven() {
		this.runner.withPropertyValues("taskqueue.default-queue=jobs")
			.run((context) -> assertThat(onlyWorkerSettings(context).queues()).containsExactly("jobs"));
	}

	@Test
	void workerCanBeSwitchedOffInASendOnlyApplication() {
		this.runner.withPropertyValues("taskqueue.worker.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(Workers.class);
			assertThat(context).hasSingleBean(TaskClient.class);
		});
	}

	@Test
	void aSecondShutdownSignalIsHandledUnlessSwitchedOff() {
		this.runner.run((context) -> assertThat(context.getBean(Workers.class).isColdShutdownOnSecondSignal()).isTrue());
		this.runner.withPropertyValues("taskqueue.worker.cold-shutdown-on-second-signal=false")
			.run((context) -> assertThat(context.getBean(Workers.class).isColdShutdownOnSecondSignal()).isFalse());
	}

	@Test
	void resultBackendNoneStoresNothing() {
		this.runner.withPropertyValues("taskqueue.result-backend=none").run((context) -> {
			assertThat(context).hasSingleBean(DisabledResultBackend.class);
			assertThat(context).doesNotHaveBean(InMemoryResultBackend.class);
		});
	}

	@Test
	void unknownBrokerNameFailsStartUpNamingTheProperty() {
		this.runner.withPropertyValues("taskqueue.broker=kafka").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("kafka");
		});
	}

	@Test
	void userBeansReplaceEveryEngineBean() {
		this.runner.withUserConfiguration(UserBeans.class).run((context) -> {
			assertThat(context).getBean(Broker.class).isSameAs(context.getBean("userBroker"));
			assertThat(context).getBean(ResultBackend.class).isSameAs(context.getBean("userResults"));
			assertThat(context).getBean(TaskClient.class).isSameAs(context.getBean("userClient"));
			assertThat(context).doesNotHaveBean(InMemoryBroker.class);
			assertThat(context).doesNotHaveBean(InMemoryResultBackend.class);
			assertThat(context).doesNotHaveBean(TaskTemplate.class);
		});
	}

	@Test
	void serializerBeansArePickedUpByContentType() {
		this.runner.withUserConfiguration(UserSerializer.class).run((context) -> {
			SerializerRegistry registry = context.getBean(SerializerRegistry.class);
			assertThat(registry.get("application/json")).isSameAs(context.getBean("userJson"));
		});
	}

	@Test
	void serializerRegistryBeanReplacesOurs() {
		this.runner.withUserConfiguration(UserSerializerRegistry.class)
			.run((context) -> assertThat(context).getBean(SerializerRegistry.class)
				.isSameAs(context.getBean("userRegistry")));
	}

	@Test
	void workerGroupsEachConsumeTheirQueuesWithTheirOwnPool() {
		this.runner
			.withPropertyValues("taskqueue.worker.name=node", "taskqueue.worker.concurrency=2",
					"taskqueue.worker.groups.reports.queues=reports", "taskqueue.worker.groups.reports.concurrency=1",
					"taskqueue.worker.groups.emails.queues=emails,bounces",
					"taskqueue.worker.groups.emails.concurrency=8", "taskqueue.worker.groups.emails.prefetch=10",
					"taskqueue.worker.groups.misc.queues=misc")
			.run((context) -> assertThat(context.getBean(Workers.class).getSettings())
				.containsExactly(
						new WorkerSettings("node-reports", List.of("reports"), 1, 4, Duration.ofSeconds(30)),
						new WorkerSettings("node-emails", List.of("emails", "bounces"), 8, 10, Duration.ofSeconds(30)),
						new WorkerSettings("node-misc", List.of("misc"), 2, 8, Duration.ofSeconds(30))));
	}

	@Test
	void aWorkerGroupWithoutQueuesFailsStartUpNamingIt() {
		this.runner.withPropertyValues("taskqueue.worker.groups.reports.concurrency=1").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("Worker group 'reports' has no queues");
		});
	}

	@Test
	void anInvalidRoutePatternFailsStartUpNamingIt() {
		this.runner.withPropertyValues("taskqueue.routes[0].pattern=regex:([", "taskqueue.routes[0].queue=q")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).hasStackTraceContaining("Route pattern 'regex:(['");
			});
	}

	@Test
	void serializersAndCompressionsCeleryUsesByDefaultAreAvailable() {
		this.runner.run((context) -> {
			SerializerRegistry serializers = context.getBean(SerializerRegistry.class);
			assertThat(serializers.get("json").contentType()).isEqualTo("application/json");
			assertThat(serializers.get("msgpack").contentType()).isEqualTo("application/x-msgpack");
			assertThat(serializers.get("yaml").contentType()).isEqualTo("application/x-yaml");
			Compressors compressors = context.getBean(Compressors.class);
			assertThat(compressors.get("gzip")).isSameAs(compressors.get("zlib"));
			assertThat(compressors.get("bzip2").contentType()).isEqualTo("application/x-bz2");
			assertThat(compressors.get("xz")).isSameAs(compressors.get("lzma"));
		});
	}

	@Test
	void withoutSnakeYamlOrCommonsCompressTheirFormatsAreLeftOut() {
		this.runner.withClassLoader(new FilteredClassLoader("org.yaml.snakeyaml", "org.apache.commons.compress",
				"org.tukaani.xz"))
			.run((context) -> {
				assertThatExceptionOfType(SerializationException.class)
					.isThrownBy(() -> context.getBean(SerializerRegistry.class).get("yaml"));
				assertThatExceptionOfType(SerializationException.class)
					.isThrownBy(() -> context.getBean(Compressors.class).get("bzip2"))
					.withMessageContaining("commons-compress");
				assertThat(context.getBean(Compressors.class).get("zlib")).isNotNull();
			});
	}

	private static WorkerSettings onlyWorkerSettings(AssertableApplicationContext context) {
		assertThat(context.getBean(Workers.class).getSettings()).hasSize(1);
		return context.getBean(Workers.class).getSettings().get(0);
	}

	@Configuration(proxyBeanMethods = false)
	static class UserBeans {

		@Bean
		Broker userBroker() {
			Broker broker = mock(Broker.class);
			// the worker subscribes when the context starts and cancels when it stops
			given(broker.subscribe(any(), anyInt(), any())).willReturn(mock(Subscription.class));
			return broker;
		}

		@Bean
		ResultBackend userResults() {
			return mock(ResultBackend.class);
		}

		@Bean
		TaskClient userClient() {
			return mock(TaskClient.class);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserSerializer {

		@Bean
		Serializer userJson() {
			return new JsonSerializer(JsonMapper.builder().build());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserSerializerRegistry {

		@Bean
		SerializerRegistry userRegistry() {
			return new SerializerRegistry(List.of(new JsonSerializer(JsonMapper.builder().build())), List.of("json"));
		}

	}

}
