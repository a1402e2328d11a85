package dev.taskqueue.autoconfigure;

import java.net.InetAddress;
import java.net.UnknownHostException;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;

import dev.taskqueue.events.DisableEventsCommand;
import dev.taskqueue.events.EnableEventsCommand;
import dev.taskqueue.events.EventDispatcher;
import dev.taskqueue.events.EventReceiver;
import dev.taskqueue.events.EventTransport;
import dev.taskqueue.events.HeartbeatCommand;
import dev.taskqueue.events.InMemoryEventTransport;
import dev.taskqueue.events.TaskEventsListener;
import dev.taskqueue.events.WorkerHeartbeat;
import dev.taskqueue.protocol.LamportClock;

/**
 * Auto-configuration of Celery's events ({@code taskqueue.events}): the {@link EventTransport} of the broker that
 * {@code taskqueue.broker} names, an {@link EventReceiver} for the application (it subscribes only when asked to),
 * and, where a worker runs, its {@link EventDispatcher} (task events from the start with
 * {@code taskqueue.events.enabled}, Celery's {@code -E}), the {@link TaskEventsListener} that turns the task
 * lifecycle into task events, the {@link WorkerHeartbeat} (worker-online, worker-heartbeat, worker-offline; on
 * unless {@code taskqueue.events.worker-events=false}, as Celery's workers send them even without {@code -E}) and
 * the remote-control commands {@code enable_events}, {@code disable_events} and {@code heartbeat}. With
 * {@code taskqueue.events.task-sent}, the client sends {@code task-sent}.
 */
@AutoConfiguration(after = TaskQueueAutoConfiguration.class)
@EnableConfigurationProperties(TaskQueueEventsProperties.class)
@Import({ TaskQueueEventsAutoConfiguration.MemoryEventTransportConfiguration.class,
		RedisEventTransportConfiguration.class, RabbitEventTransportConfiguration.class,
		SqsEventTransportConfiguration.class, TaskQueueEventsAutoConfiguration.WorkerEventsConfiguration.class,
		TaskQueueEventsAutoConfiguration.TaskSentConfiguration.class })
public final class TaskQueueEventsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	EventReceiver taskEventReceiver(EventTransport transport, LamportClock clock, ObjectProvider<JsonMapper> mapper) {
		return new EventReceiver(transport, clock, TaskQueueAutoConfiguration.jsonMapper(mapper));
	}

	/**
	 * {@code taskqueue.broker=memory}: events within the application.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = "taskqueue.broker", havingValue = "memory", matchIfMissing = true)
	static class MemoryEventTransportConfiguration {

		@Bean(destroyMethod = "close")
		@ConditionalOnMissingBean
		EventTransport taskEventTransport() {
			return new InMemoryEventTransport();
		}

	}

	/**
	 * The worker's events, where the application runs a worker (as {@code TaskQueueAutoConfiguration}'s).
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(name = "taskqueue.worker.enabled", matchIfMissing = true)
	@ConditionalOnBooleanProperty(name = "taskqueue.eager", havingValue = false, matchIfMissing = true)
	static class WorkerEventsConfiguration {

		@Bean(destroyMethod = "close")
		@Primary
		@ConditionalOnMissingBean(name = "taskEventDispatcher")
		EventDispatcher taskEventDispatcher(EventTransport transport, LamportClock clock,
				ObjectProvider<JsonMapper> mapper, TaskQueueProperties properties, TaskQueueEventsProperties events) {
			return EventDispatcher
				.builder(transport, TaskQueueAutoConfiguration.jsonMapper(mapper), clock,
						TaskQueueAutoConfiguration.workerName(properties))
				.taskEvents(events.isEnabled())
				.batchTaskEvents(events.getBufferLimit(), events.getFlushInterval())
				.build();
		}

		@Bean
		@ConditionalOnMissingBean(name = "taskEventsListener")
		TaskEventsListener taskEventsListener(@Qualifier("taskEventDispatcher") EventDispatcher dispatcher) {
			return new TaskEventsListener(dispatcher, null);
		}

		@Bean(destroyMethod = "close")
		@ConditionalOnMissingBean
		@ConditionalOnBooleanProperty(name = "taskqueue.events.worker-events", matchIfMissing = true)
		WorkerHeartbeat taskWorkerHeartbeat(@Qualifier("taskEventDispatcher") EventDispatcher dispatcher,
				TaskQueueEventsProperties events) {
			return new WorkerHeartbeat(dispatcher, events.getHeartbeatInterval());
		}

		@Bean
		@ConditionalOnMissingBean
		EnableEventsCommand taskEnableEventsCommand(@Qualifier("taskEventDispatcher") EventDispatcher dispatcher) {
			return new EnableEventsCommand(dispatcher);
		}

		@Bean
		@ConditionalOnMissingBean
		DisableEventsCommand taskDisableEventsCommand(@Qualifier("taskEventDispatcher") EventDispatcher dispatcher) {
			return new DisableEventsCommand(dispatcher);
		}

		@Bean
		@ConditionalOnMissingBean
		HeartbeatCommand taskHeartbeatCommand(@Qualifier("taskEventDispatcher") EventDispatcher dispatcher) {
			return new HeartbeatCommand(dispatcher);
		}

	}

	/**
	 * {@code taskqueue.events.task-sent=true}: the client's {@code task-sent} events, sent one by one under a
	 * client's name, {@code gen<pid>@<host>}, as Celery's client sends them.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty("taskqueue.events.task-sent")
	static class TaskSentConfiguration {

		@Bean(destroyMethod = "close")
		@ConditionalOnMissingBean(name = "taskSentEventDispatcher")
		EventDispatcher taskSentEventDispatcher(EventTransport transport, LamportClock clock,
				ObjectProvider<JsonMapper> mapper) {
			return EventDispatcher
				.builder(transport, TaskQueueAutoConfiguration.jsonMapper(mapper), clock, clientName())
				.taskEvents(true)
				.build();
		}

		@Bean
		@ConditionalOnMissingBean(name = "taskSentEventsListener")
		TaskEventsListener taskSentEventsListener(@Qualifier("taskSentEventDispatcher") EventDispatcher dispatcher) {
			return new TaskEventsListener(null, dispatcher);
		}

		/** Celery's {@code anon_nodename()}: {@code gen<pid>@<host>}, as the client's {@code origin} header. */
		private static String clientName() {
			String host;
			try {
				host = InetAddress.getLocalHost().getHostName();
			}
			catch (UnknownHostException ex) {
				host = "localhost";
			}
			return "gen" + ProcessHandle.current().pid() + "@" + host;
		}

	}

}
