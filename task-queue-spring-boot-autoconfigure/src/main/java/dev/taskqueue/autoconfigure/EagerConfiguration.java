package dev.taskqueue.autoconfigure;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.taskqueue.broker.Broker;
import dev.taskqueue.canvas.CanvasClient;
import dev.taskqueue.listener.TaskListener;
import dev.taskqueue.registry.TaskRegistry;
import dev.taskqueue.result.ResultBackend;
import dev.taskqueue.revoke.Revocations;
import dev.taskqueue.serialization.TaskMessageConverter;
import dev.taskqueue.worker.EagerBroker;

/**
 * {@code taskqueue.eager=true}, for unit tests (Celery's {@code task_always_eager}): the broker is an
 * {@link EagerBroker}, which runs each task in the thread that sends it, through the processor a worker would use
 * ({@code taskqueue.worker.*}), and stores its outcome in the configured result backend. It comes before the
 * broker configurations, so {@code taskqueue.broker} is not used, and no worker runs. The application's
 * {@link TaskListener}s hear of each eager task as a worker's would.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty("taskqueue.eager")
final class EagerConfiguration {

	@Bean
	@ConditionalOnMissingBean(Broker.class)
	EagerBroker taskBroker(TaskMessageConverter converter, TaskRegistry registry, ResultBackend backend,
			Revocations revocations, ObjectProvider<JsonMapper> mapper, TaskQueueProperties properties,
			ObjectProvider<TaskListener> listeners, ObjectProvider<CanvasClient> canvas) {
		JsonMapper jsonMapper = TaskQueueAutoConfiguration.jsonMapper(mapper);
		return new EagerBroker((broker) -> TaskQueueAutoConfiguration.taskProcessor(converter, registry, backend,
				broker, revocations, jsonMapper, properties, TaskQueueAutoConfiguration.listeners(listeners), canvas));
	}

}
