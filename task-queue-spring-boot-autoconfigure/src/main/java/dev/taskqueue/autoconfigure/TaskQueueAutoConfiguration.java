package dev.taskqueue.autoconfigure;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import dev.taskqueue.TaskClient;
import dev.taskqueue.broker.Broker;
import dev.taskqueue.client.AsyncResultFactory;
import dev.taskqueue.client.TaskTemplate;
import dev.taskqueue.registry.TaskAnnotationBeanPostProcessor;
import dev.taskqueue.registry.TaskRegistry;
import dev.taskqueue.result.ResultBackend;
import dev.taskqueue.routing.TaskRouter;
import dev.taskqueue.serialization.JsonSerializer;
import dev.taskqueue.serialization.Serializer;
import dev.taskqueue.serialization.SerializerRegistry;
import dev.taskqueue.serialization.TaskMessageConverter;
import dev.taskqueue.worker.ArgumentBinder;
import dev.taskqueue.worker.ResultValues;
import dev.taskqueue.worker.TaskInvoker;
import dev.taskqueue.worker.TaskProcessor;
import dev.taskqueue.worker.Worker;
import dev.taskqueue.worker.WorkerSettings;

/**
 * Auto-configuration of Task Queue: the task registry, the client, the broker and result backend chosen by
 * {@code taskqueue.broker} and {@code taskqueue.result-backend}, and a worker. Every bean backs off when the
 * application defines its own.
 */
@AutoConfiguration(afterName = { "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
		"org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
		"org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration" })
@EnableConfigurationProperties(TaskQueueProperties.class)
@Import({ MemoryBrokerConfiguration.class, MemoryResultBackendConfiguration.class,
		DisabledResultBackendConfiguration.class, RabbitBrokerConfiguration.class,
		RpcResultBackendConfiguration.class })
public class TaskQueueAutoConfiguration {

	static final Clock CLOCK = Clock.systemUTC();

	@Bean
	@ConditionalOnMissingBean
	static TaskRegistry taskRegistry() {
		return new TaskRegistry();
	}

	@Bean
	static TaskAnnotationBeanPostProcessor taskAnnotationBeanPostProcessor(ObjectProvider<TaskRegistry> registry) {
		return new TaskAnnotationBeanPostProcessor(registry.getObject());
	}

	@Bean
	@ConditionalOnMissingBean
	SerializerRegistry taskSerializerRegistry(TaskQueueProperties properties, ObjectProvider<JsonMapper> mapper,
			ObjectProvider<Serializer> userSerializers) {
		List<Serializer> serializers = new ArrayList<>();
		serializers.add(new JsonSerializer(jsonMapper(mapper)));
		userSerializers.orderedStream().forEach(serializers::add);
		return new SerializerRegistry(serializers, properties.getAcceptContent());
	}

	@Bean
	@ConditionalOnMissingBean
	TaskMessageConverter taskMessageConverter(SerializerRegistry serializers) {
		return new TaskMessageConverter(serializers, CLOCK);
	}

	@Bean
	@ConditionalOnMissingBean
	TaskRouter taskRouter(TaskRegistry registry, TaskQueueProperties properties) {
		return new TaskRouter(registry, properties.getDefaultQueue());
	}

	@Bean
	@ConditionalOnMissingBean
	AsyncResultFactory asyncResultFactory(ResultBackend backend, ObjectProvider<JsonMapper> mapper) {
		return new AsyncResultFactory(backend, jsonMapper(mapper));
	}

	@Bean
	@ConditionalOnMissingBean(TaskClient.class)
	TaskTemplate taskClient(Broker broker, TaskMessageConverter converter, TaskRouter router,
			AsyncResultFactory results, TaskQueueProperties properties) {
		return new TaskTemplate(broker, converter, router, results, properties.getSerializer(), CLOCK);
	}

	static JsonMapper jsonMapper(ObjectProvider<JsonMapper> mapper) {
		return mapper.getIfAvailable(() -> JsonMapper.builder().build());
	}

	/**
	 * The worker, unless {@code taskqueue.worker.enabled=false}.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(name = "taskqueue.worker.enabled", matchIfMissing = true)
	static class WorkerConfiguration {

		@Bean
		@ConditionalOnMissingBean
		TaskProcessor taskProcessor(TaskMessageConverter converter, TaskRegistry registry, ResultBackend backend,
				ObjectProvider<JsonMapper> mapper, TaskQueueProperties properties) {
			JsonMapper jsonMapper = jsonMapper(mapper);
			return new TaskProcessor(converter, registry, new TaskInvoker(new ArgumentBinder(jsonMapper)), backend,
					new ResultValues(jsonMapper), CLOCK, properties.getWorker().isAcksLate(), workerName(properties));
		}

		@Bean
		@ConditionalOnMissingBean
		Worker taskWorker(Broker broker, TaskProcessor processor, TaskQueueProperties properties) {
			return new Worker(broker, processor, workerSettings(properties));
		}

		static WorkerSettings workerSettings(TaskQueueProperties properties) {
			TaskQueueProperties.Worker worker = properties.getWorker();
			List<String> queues = consumedQueues(properties);
			int concurrency = (worker.getConcurrency() != null) ? worker.getConcurrency()
					: Runtime.getRuntime().availableProcessors();
			int prefetch = (worker.getPrefetch() != null) ? worker.getPrefetch() : 4 * concurrency;
			return new WorkerSettings(workerName(properties), queues, concurrency, prefetch, worker.getShutdownTimeout());
		}

		static List<String> consumedQueues(TaskQueueProperties properties) {
			List<String> queues = properties.getWorker().getQueues();
			return queues.isEmpty() ? List.of(properties.getDefaultQueue()) : queues;
		}

		private static String workerName(TaskQueueProperties properties) {
			String name = properties.getWorker().getName();
			if (name != null && !name.isBlank()) {
				return name;
			}
			try {
				return "taskqueue@" + InetAddress.getLocalHost().getHostName();
			}
			catch (UnknownHostException ex) {
				return "taskqueue@localhost";
			}
		}

	}

}
