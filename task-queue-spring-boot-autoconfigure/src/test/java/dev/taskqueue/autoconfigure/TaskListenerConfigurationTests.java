package dev.taskqueue.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

import dev.taskqueue.Task;
import dev.taskqueue.TaskClient;
import dev.taskqueue.listener.TaskEvent;
import dev.taskqueue.listener.TaskListener;
import dev.taskqueue.listener.TaskOutcome;
import dev.taskqueue.listener.WorkerEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every {@link TaskListener} bean of an application hears of its tasks, in {@link Order} order, on the client, the
 * worker and the eager broker alike.
 */
class TaskListenerConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, TaskQueueAutoConfiguration.class))
		.withUserConfiguration(Listeners.class)
		.withPropertyValues("taskqueue.worker.concurrency=1");

	@Test
	void listenerBeansAreCalledInTheirOrderOnTheClientAndTheWorker() {
		this.runner.run((context) -> {
			Heard heard = context.getBean(Heard.class);
			assertThat(heard.moments).containsExactly("first workerReady", "second workerReady");

			Object result = context.getBean(TaskClient.class).send("listeners.add", 2, 3).get(Duration.ofSeconds(10));

			assertThat(result).isEqualTo(5);
			await().atMost(Duration.ofSeconds(10)).until(() -> heard.moments.contains("second postrun SUCCESS"));
			// the sender's moments and the worker's are on threads of their own: each side in its order
			assertThat(heard.moments.stream().filter((moment) -> moment.contains("Publish")))
				.containsExactly("first beforePublish", "second beforePublish", "first afterPublish",
						"second afterPublish");
			assertThat(heard.moments.stream().filter((moment) -> !moment.contains("Publish")))
				.containsExactly("first workerReady", "second workerReady", "first received", "second received",
						"first prerun", "second prerun", "first succeeded", "second succeeded",
						"first postrun SUCCESS", "second postrun SUCCESS");
			context.close();
			assertThat(heard.moments).endsWith("first workerStopping", "second workerStopping");
		});
	}

	@Test
	void anEagerTaskIsHeardOfAsAWorkersWouldBe() {
		this.runner.withPropertyValues("taskqueue.eager=true").run((context) -> {
			Heard heard = context.getBean(Heard.class);

			context.getBean(TaskClient.class).send("listeners.add", 2, 3).get(Duration.ofSeconds(10));

			assertThat(heard.moments).containsExactly("first beforePublish", "second beforePublish", "first received",
					"second received", "first prerun", "second prerun", "first succeeded", "second succeeded",
					"first postrun SUCCESS", "second postrun SUCCESS", "first afterPublish", "second afterPublish");
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class Listeners {

		@Bean
		Heard heard() {
			return new Heard();
		}

		// declared second, called first
		@Bean
		@Order(2)
		TaskListener secondListener(Heard heard) {
			return new Named("second", heard);
		}

		@Bean
		@Order(1)
		TaskListener firstListener(Heard heard) {
			return new Named("first", heard);
		}

		@Bean
		AddTasks addTasks() {
			return new AddTasks();
		}

	}

	static class Heard {

		final List<String> moments = new CopyOnWriteArrayList<>();

	}

	public static class AddTasks {

		@Task(name = "listeners.add")
		public int add(int a, int b) {
			return a + b;
		}

	}

	record Named(String name, Heard heard) implements TaskListener {

		private void heard(String moment) {
			this.heard.moments.add(this.name + " " + moment);
		}

		@Override
		public void beforePublish(TaskEvent task, java.util.Map<String, Object> headers) {
			heard("beforePublish");
		}

		@Override
		public void afterPublish(TaskEvent task, Throwable error) {
			heard("afterPublish");
		}

		@Override
		public void received(TaskEvent task) {
			heard("received");
		}

		@Override
		public void prerun(TaskEvent task) {
			heard("prerun");
		}

		@Override
		public void succeeded(TaskEvent task, Object result) {
			heard("succeeded");
		}

		@Override
		public void postrun(TaskEvent task, TaskOutcome outcome) {
			heard("postrun " + outcome);
		}

		@Override
		public void workerReady(WorkerEvent worker) {
			heard("workerReady");
		}

		@Override
		public void workerStopping(WorkerEvent worker) {
			heard("workerStopping");
		}

	}

}
