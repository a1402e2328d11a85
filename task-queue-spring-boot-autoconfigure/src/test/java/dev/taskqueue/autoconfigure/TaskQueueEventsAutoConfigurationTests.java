package dev.taskqueue.autoconfigure;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.mockito.Answers;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.taskqueue.Task;
import dev.taskqueue.TaskClient;
import dev.taskqueue.control.ControlCommand;
import dev.taskqueue.control.TaskControl;
import dev.taskqueue.events.CeleryEvent;
import dev.taskqueue.events.EventDispatcher;
import dev.taskqueue.events.EventReceiver;
import dev.taskqueue.events.EventTransport;
import dev.taskqueue.events.InMemoryEventTransport;
import dev.taskqueue.events.TaskEventsListener;
import dev.taskqueue.events.WorkerHeartbeat;
import dev.taskqueue.rabbitmq.RabbitEventTransport;
import dev.taskqueue.redis.RedisEventTransport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.mock;

/**
 * The events' wiring: each broker's transport, a receiver for the application, and where a worker runs, its
 * worker events always (as Celery's), its task events with {@code taskqueue.events.enabled}, the client's
 * {@code task-sent} with {@code taskqueue.events.task-sent}. On the memory broker the events go round within the
 * application; nothing here connects to Redis or RabbitMQ.
 */
class TaskQueueEventsAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, TaskQueueAutoConfiguration.class,
				TaskQueueEventsAutoConfiguration.class))
		.withUserConfiguration(Tasks.class)
		.withPropertyValues("taskqueue.worker.name=w1@events-test", "taskqueue.worker.shutdown-timeout=2s");

	@Test
	void aWorkerOnTheMemoryBrokerTellsTheApplicationsReceiverOfItselfAndOfItsTasks() {
		List<CeleryEvent> received = new CopyOnWriteArrayList<>();
		this.runner.withPropertyValues("taskqueue.events.enabled=true", "taskqueue.events.heartbeat-interval=200ms")
			.run((context) -> {
				assertThat(context).hasSingleBean(InMemoryEventTransport.class);
				context.getBean(EventReceiver.class).subscribe(received::add);

				String id = context.getBean(TaskClient.class).send("events.add", 2, 3).id();

				await().until(() -> received.stream().anyMatch((event) -> event.type().equals("task-succeeded")));
				await().until(() -> received.stream().anyMatch((event) -> event.type().equals("worker-heartbeat")));
				assertThat(received).filteredOn((event) -> id.equals(event.uuid()))
					.extracting(CeleryEvent::type)
					.containsExactly("task-received", "task-started", "task-succeeded");
				CeleryEvent heartbeat = received.stream()
					.filter((event) -> event.type().equals("worker-heartbeat"))
					.findFirst()
					.orElseThrow();
				assertThat(heartbeat.hostname()).isEqualTo("w1@events-test");
				assertThat(heartbeat.get("freq")).isEqualTo(0.2);
			});
	}

	@Test
	void taskControlSwitchesTheWorkersTaskEventsOnAndOffThroughItsPidbox() {
		List<CeleryEvent> received = new CopyOnWriteArrayList<>();
		this.runner.withConfiguration(AutoConfigurations.of(TaskQueueControlAutoConfiguration.class)).run((context) -> {
			EventDispatcher dispatcher = context.getBean(EventDispatcher.class);
			TaskControl control = context.getBean(TaskControl.class);
			context.getBean(EventReceiver.class).subscribe(received::add);

			assertThat(control.enableEvents("w1@events-test").values())
				.containsEntry("w1@events-test", "task events enabled");
			assertThat(dispatcher.isTaskEventsEnabled()).isTrue();
			String id = context.getBean(TaskClient.class).send("events.add", 2, 3).id();
			await().until(() -> received.stream()
				.anyMatch((event) -> id.equals(event.uuid()) && event.type().equals("task-succeeded")));

			assertThat(control.disableEvents("w1@events-test").values())
				.containsEntry("w1@events-test", "task events disabled");
			assertThat(dispatcher.isTaskEventsEnabled()).isFalse();
		});
	}

	@Test
	void taskEventsAreOffByDefaultWhileWorkerEventsGoAsCelerysDo() {
		this.runner.run((context) -> {
			assertThat(context.getBean(EventDispatcher.class).isTaskEventsEnabled()).isFalse();
			assertThat(context).hasSingleBean(WorkerHeartbeat.class).hasSingleBean(TaskEventsListener.class);
		});
	}

	@Test
	void workerEventsCanBeSwitchedOff() {
		this.runner.withPropertyValues("taskqueue.events.worker-events=false")
			.run((context) -> assertThat(context).doesNotHaveBean(WorkerHeartbeat.class)
				.hasSingleBean(TaskEventsListener.class));
	}

	@Test
	void theWorkerAnswersEnableEventsDisableEventsAndHeartbeat() {
		this.runner.run((context) -> assertThat(context.getBeansOfType(ControlCommand.class).values())
			.extracting(ControlCommand::name)
			.containsExactlyInAnyOrder("enable_events", "disable_events", "heartbeat"));
	}

	@Test
	void anApplicationWithoutAWorkerSendsNoWorkerEventsButCanReceive() {
		for (String property : List.of("taskqueue.worker.enabled=false", "taskqueue.eager=true")) {
			this.runner.withPropertyValues(property, "taskqueue.events.enabled=true").run((context) -> {
				assertThat(context).doesNotHaveBean(EventDispatcher.class)
					.doesNotHaveBean(WorkerHeartbeat.class)
					.doesNotHaveBean(TaskEventsListener.class)
					.doesNotHaveBean(ControlCommand.class)
					.hasSingleBean(EventReceiver.class);
			});
		}
	}

	@Test
	void theClientSendsTaskSentWhenAskedTo() {
		List<CeleryEvent> received = new CopyOnWriteArrayList<>();
		this.runner.withPropertyValues("taskqueue.worker.enabled=false", "taskqueue.events.task-sent=true")
			.run((context) -> {
				context.getBean(EventReceiver.class).subscribe(received::add);

				String id = context.getBean(TaskClient.class).send("events.add", 2, 3).id();

				await().until(() -> !received.isEmpty());
				CeleryEvent sent = received.get(0);
				assertThat(sent.type()).isEqualTo("task-sent");
				assertThat(sent.uuid()).isEqualTo(id);
				assertThat(sent.hostname()).startsWith("gen" + ProcessHandle.current().pid() + "@");
				assertThat(sent.get("args")).isEqualTo("(2, 3)");
			});
		this.runner.withPropertyValues("taskqueue.worker.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("taskSentEventDispatcher"));
	}

	@Test
	void withAWorkerAndTaskSentTheWorkersDispatcherIsTheOneInjected() {
		this.runner.withPropertyValues("taskqueue.events.task-sent=true").run((context) -> {
			assertThat(context.getBeansOfType(EventDispatcher.class)).hasSize(2);
			assertThat(context.getBean(EventDispatcher.class).hostname()).isEqualTo("w1@events-test");
			assertThat(context.getBeansOfType(TaskEventsListener.class)).hasSize(2);
		});
	}

	@Test
	void onRedisEventsTravelThroughTheBrokersRedis() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, TaskQueueAutoConfiguration.class,
					TaskQueueEventsAutoConfiguration.class))
			.withPropertyValues("taskqueue.broker=redis", "taskqueue.worker.enabled=false")
			.run((context) -> assertThat(context.getBean(EventTransport.class)).isInstanceOf(RedisEventTransport.class));
	}

	@Test
	void onRabbitMqEventsTravelThroughTheBrokersRabbitMq() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(TaskQueueAutoConfiguration.class,
					TaskQueueEventsAutoConfiguration.class))
			.withUserConfiguration(MockRabbit.class)
			.withPropertyValues("taskqueue.broker=rabbitmq", "taskqueue.worker.enabled=false")
			.run((context) -> assertThat(context.getBean(EventTransport.class))
				.isInstanceOf(RabbitEventTransport.class));
	}

	@Test
	void anApplicationsOwnTransportIsUsed() {
		EventTransport own = new InMemoryEventTransport();
		this.runner.withBean("ownEventTransport", EventTransport.class, () -> own)
			.run((context) -> assertThat(context.getBean(EventTransport.class)).isSameAs(own));
	}

	@Configuration(proxyBeanMethods = false)
	static class Tasks {

		@Bean
		AddTask addTask() {
			return new AddTask();
		}

	}

	static class AddTask {

		@Task(name = "events.add")
		public int add(int a, int b) {
			return a + b;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class MockRabbit {

		@Bean
		ConnectionFactory connectionFactory() {
			return mock(ConnectionFactory.class, Answers.RETURNS_DEEP_STUBS);
		}

	}

}
