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
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Role;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.util.ClassUtils;

import dev.taskqueue.Task;
import dev.taskqueue.TaskClient;
import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.PublishRetry;
import dev.taskqueue.canvas.CanvasClient;
import dev.taskqueue.client.TaskTemplate;
import dev.taskqueue.control.CeleryRevocations;
import dev.taskqueue.control.PidboxTransport;
import dev.taskqueue.control.TaskControl;
import dev.taskqueue.listener.TaskListener;
import dev.taskqueue.protocol.LamportClock;
import dev.taskqueue.registry.TaskAnnotationBeanPostProcessor;
import dev.taskqueue.registry.TaskRegistry;
import dev.taskqueue.result.ResultBackend;
import dev.taskqueue.revoke.InMemoryRevocations;
import dev.taskqueue.revoke.Revocations;
import dev.taskqueue.routing.Router;
import dev.taskqueue.routing.TaskRouter;
import dev.taskqueue.serialization.Bzip2Compressor;
import dev.taskqueue.serialization.Compressor;
import dev.taskqueue.serialization.Compressors;
import dev.taskqueue.serialization.JsonSerializer;
import dev.taskqueue.serialization.MessageLimits;
import dev.taskqueue.serialization.MsgpackSerializer;
import dev.taskqueue.serialization.Serializer;
import dev.taskqueue.serialization.SerializerRegistry;
import dev.taskqueue.serialization.TaskMessageConverter;
import dev.taskqueue.serialization.XzCompressor;
import dev.taskqueue.serialization.YamlSerializer;
import dev.taskqueue.serialization.ZlibCompressor;
import dev.taskqueue.worker.LocalRateLimiter;
import dev.taskqueue.worker.RateLimiter;
import dev.taskqueue.worker.TaskProcessor;
import dev.taskqueue.worker.Workers;

/**
 * Auto-configuration of Task Queue: the task registry, the client, the broker and result backend chosen by
 * {@code taskqueue.broker} and {@code taskqueue.result-backend}, and a worker. Every bean backs off when the
 * application defines its own.
 */
@AutoConfiguration(afterName = { "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
		"org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
		"org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration" })
@EnableConfigurationProperties(TaskQueueProperties.class)
@Import({ EagerConfiguration.class, MissingTransportConfiguration.class, MemoryBrokerConfiguration.class,
		MemoryResultBackendConfiguration.class, DisabledResultBackendConfiguration.class,
		RedisBrokerConfiguration.class, RedisResultBackendConfiguration.class, RabbitBrokerConfiguration.class,
		SqsBrokerConfiguration.class, RpcResultBackendConfiguration.class, RedisRateLimiterConfiguration.class })
public final class TaskQueueAutoConfiguration {

	static final Clock CLOCK = Clock.systemUTC();

	@Bean
	@ConditionalOnMissingBean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static TaskRegistry taskRegistry(Environment environment) {
		// static and bound by hand: the registry is needed by a BeanPostProcessor, before properties beans exist
		TaskQueueProperties properties = Binder.get(environment)
			.bind("taskqueue", TaskQueueProperties.class)
			.orElseGet(TaskQueueProperties::new);
		return new TaskRegistry(TaskQueueSettings.taskOptions(properties));
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static TaskAnnotationBeanPostProcessor taskAnnotationBeanPostProcessor(ObjectProvider<TaskRegistry> registry) {
		return new TaskAnnotationBeanPostProcessor(registry.getObject());
	}

	@Bean
	@ConditionalOnMissingBean
	SerializerRegistry taskSerializerRegistry(TaskQueueProperties properties, ObjectProvider<JsonMapper> mapper,
			ObjectProvider<Serializer> userSerializers, ResourceLoader resourceLoader) {
		JsonMapper celeryMapper = JsonSerializer.celeryCompatible(jsonMapper(mapper));
		int maxDepth = properties.getMaxNestingDepth();
		List<Serializer> serializers = new ArrayList<>();
		serializers.add(new JsonSerializer(celeryMapper, properties.getJson().getTypedValues()));
		serializers.add(new MsgpackSerializer(celeryMapper, maxDepth));
		if (isPresent("org.yaml.snakeyaml.Yaml", resourceLoader)) {
			serializers.add(new YamlSerializer(celeryMapper, maxDepth, (int) properties.getMaxMessageSize().toBytes()));
		}
		userSerializers.orderedStream().forEach(serializers::add);
		return new SerializerRegistry(serializers, properties.getAcceptContent());
	}

	@Bean
	@ConditionalOnMissingBean
	Compressors taskCompressors(ObjectProvider<Compressor> userCompressors, ResourceLoader resourceLoader) {
		List<Compressor> compressors = new ArrayList<>();
		compressors.add(new ZlibCompressor());
		if (isPresent("org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream", resourceLoader)) {
			compressors.add(new Bzip2Compressor());
		}
		if (isPresent("org.tukaani.xz.XZInputStream", resourceLoader)) {
			compressors.add(new XzCompressor());
		}
		userCompressors.orderedStream().forEach(compressors::add);
		return new Compressors(compressors);
	}

	@Bean
	@ConditionalOnMissingBean
	TaskMessageConverter taskMessageConverter(SerializerRegistry serializers, Compressors compressors,
			TaskQueueProperties properties) {
		MessageLimits limits = new MessageLimits((int) properties.getMaxMessageSize().toBytes(),
				properties.getMaxNestingDepth());
		return new TaskMessageConverter(serializers, compressors, limits, CLOCK);
	}

	@Bean
	@ConditionalOnMissingBean
	TaskRouter taskRouter(TaskRegistry registry, TaskQueueProperties properties, ObjectProvider<Router> routers) {
		List<Router> all = new ArrayList<>(routers.orderedStream().toList());
		all.add(TaskQueueSettings.routeTable(properties));
		return TaskRouter.builder(registry)
			.routers(all)
			.defaultQueue(properties.getDefaultQueue())
			.defaultSerializer(properties.getSerializer())
			.defaultCompression(properties.getCompression())
			.build();
	}

	@Bean
	@ConditionalOnMissingBean(TaskClient.class)
	TaskTemplate taskClient(Broker broker, TaskMessageConverter converter, TaskRouter router, ResultBackend backend,
			ObjectProvider<JsonMapper> mapper, TaskQueueProperties properties, ObjectProvider<TaskListener> listeners) {
		TaskQueueProperties.PublishRetry retry = properties.getPublishRetry();
		return TaskTemplate.builder(broker, converter, router, backend)
			.jsonMapper(jsonMapper(mapper))
			.clock(CLOCK)
			.publishRetry(new PublishRetry(retry.isEnabled(), retry.getMaxRetries(), retry.getIntervalStart(),
					retry.getIntervalStep(), retry.getIntervalMax()))
			.listeners(listeners(listeners))
			.build();
	}

	@Bean
	@ConditionalOnMissingBean
	Revocations taskRevocations(TaskQueueProperties properties) {
		// a broker configuration that shares revocations across applications defines its own
		return new InMemoryRevocations(properties.getWorker().getRevocationWindow(), CLOCK);
	}

	@Bean
	@ConditionalOnMissingBean
	LamportClock taskQueueLamportClock() {
		return new LamportClock();
	}

	@Bean
	@ConditionalOnMissingBean
	TaskControl taskControl(Revocations revocations, ResultBackend backend, ObjectProvider<PidboxTransport> pidbox,
			ObjectProvider<JsonMapper> mapper, LamportClock lamportClock) {
		// each broker's configuration defines the transport of Celery's remote control (celery.pidbox)
		PidboxTransport transport = pidbox.getIfAvailable();
		if (transport == null) {
			return new TaskControl(revocations, backend, CLOCK);
		}
		return new TaskControl(revocations, backend, CLOCK, transport, jsonMapper(mapper), lamportClock);
	}

	private static boolean isPresent(String className, ResourceLoader resourceLoader) {
		return ClassUtils.isPresent(className, resourceLoader.getClassLoader());
	}

	/**
	 * The worker's name: {@code taskqueue.worker.name}, or "taskqueue@" and the host's name.
	 */
	static String workerName(TaskQueueProperties properties) {
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

	/**
	 * Revocations that also reach Celery's workers through {@code celery.pidbox}; those Celery makes reach the
	 * application's worker through its pidbox node ({@link TaskQueueControlAutoConfiguration}).
	 */
	static CeleryRevocations celeryRevocations(Revocations revocations, PidboxTransport transport, JsonMapper mapper,
			LamportClock clock) {
		return new CeleryRevocations(revocations, transport, mapper, CLOCK, clock);
	}

	/**
	 * The processor a worker runs tasks with, and an eager broker too, from {@code taskqueue.worker.*}.
	 */
	static TaskProcessor taskProcessor(TaskMessageConverter converter, TaskRegistry registry, ResultBackend backend,
			Broker broker, Revocations revocations, JsonMapper mapper, TaskQueueProperties properties,
			List<TaskListener> listeners, ObjectProvider<CanvasClient> canvas) {
		return TaskProcessor.builder(converter, registry, backend, broker)
			.canvas(canvas::getIfUnique)
			.jsonMapper(mapper)
			.typedValues(properties.getJson().getTypedValues())
			.clock(CLOCK)
			.acksLate(properties.getWorker().isAcksLate())
			.hostname(workerName(properties))
			.revocations(revocations)
			.deadLetterExhaustedRetries(
					properties.getWorker().getOnRetriesExhausted() == Task.RetriesExhausted.DEAD_LETTER)
			.listeners(listeners)
			.build();
	}

	/**
	 * The application's {@link TaskListener} beans, in {@link org.springframework.core.annotation.Order order}.
	 */
	static List<TaskListener> listeners(ObjectProvider<TaskListener> listeners) {
		return listeners.orderedStream().toList();
	}

	static JsonMapper jsonMapper(ObjectProvider<JsonMapper> mapper) {
		return mapper.getIfAvailable(() -> JsonMapper.builder().build());
	}

	/**
	 * The worker, unless {@code taskqueue.worker.enabled=false}, or {@code taskqueue.eager=true} (each task then
	 * runs when it is sent).
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(name = "taskqueue.worker.enabled", matchIfMissing = true)
	@ConditionalOnBooleanProperty(name = "taskqueue.eager", havingValue = false, matchIfMissing = true)
	static class WorkerConfiguration {

		@Bean
		@ConditionalOnMissingBean
		TaskProcessor taskProcessor(TaskMessageConverter converter, TaskRegistry registry, ResultBackend backend,
				Broker broker, Revocations revocations, ObjectProvider<JsonMapper> mapper,
				TaskQueueProperties properties, ObjectProvider<TaskListener> listeners,
				ObjectProvider<CanvasClient> canvas) {
			return TaskQueueAutoConfiguration.taskProcessor(converter, registry, backend, broker, revocations,
					jsonMapper(mapper), properties, listeners(listeners), canvas);
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnProperty(name = "taskqueue.worker.rate-limits", havingValue = "local", matchIfMissing = true)
		RateLimiter taskRateLimiter() {
			return new LocalRateLimiter();
		}

		@Bean
		@ConditionalOnMissingBean
		Workers taskWorkers(Broker broker, TaskProcessor processor, ObjectProvider<RateLimiter> rateLimiter,
				TaskQueueProperties properties, ObjectProvider<TaskListener> listeners) {
			RateLimiter limiter = rateLimiter.getIfAvailable(() -> {
				throw new InvalidConfigurationPropertyValueException("taskqueue.worker.rate-limits",
						properties.getWorker().getRateLimits(),
						"Cluster-wide rate limits are kept in Redis: add " + Transport.REDIS.starter()
								+ " (and spring.data.redis.* settings), or set taskqueue.worker.rate-limits=local");
			});
			return Workers.builder(broker, processor)
				.rateLimiter(limiter)
				.groups(TaskQueueSettings.workerSettings(properties, workerName(properties)))
				.coldShutdownOnSecondSignal(properties.getWorker().isColdShutdownOnSecondSignal())
				.listeners(listeners(listeners))
				.build();
		}

	}

}
