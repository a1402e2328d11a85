package dev.taskqueue.registry;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.taskqueue.Task;
import dev.taskqueue.autoconfigure.TaskQueueAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

class TaskRegistrationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TaskQueueAutoConfiguration.class))
		.withPropertyValues("taskqueue.worker.enabled=false");

	@Test
	void registersAnnotatedMethodsByExplicitOrDerivedName() {
		this.runner.withUserConfiguration(Tasks.class).run((context) -> {
			TaskRegistry registry = context.getBean(TaskRegistry.class);
			assertThat(registry.find("math.add")).isNotNull();
			assertThat(registry.find("math.add").method().getName()).isEqualTo("add");
			assertThat(registry.find(MathTasks.class.getName() + ".multiply")).isNotNull();
			assertThat(registry.find(MathTasks.class.getName() + ".notATask")).isNull();
			assertThat(registry.all()).hasSize(2);
		});
	}

	@Test
	void annotationOptionsAreKept() {
		this.runner.withUserConfiguration(Tasks.class).run((context) -> {
			TaskOptions options = context.getBean(TaskRegistry.class).optionsOf("math.add");
			assertThat(options).isEqualTo(new TaskOptions("math", 7, Task.Acks.EARLY, true, true, "msgpack", "zlib",
					java.time.Duration.ofMinutes(10)));
			assertThat(options.acksLate(true)).isFalse();
			TaskOptions derived = context.getBean(TaskRegistry.class).optionsOf(MathTasks.class.getName() + ".multiply");
			assertThat(derived).isEqualTo(TaskOptions.DEFAULTS);
			assertThat(derived.acksLate(true)).isTrue();
			assertThat(derived.acksLate(false)).isFalse();
		});
	}

	@Test
	void configuredSettingsOverrideTheAnnotationAndApplyToTasksDeclaredElsewhere() {
		this.runner
			.withPropertyValues("taskqueue.tasks.[math.add].queue=fast", "taskqueue.tasks.[math.add].acks=late",
					"taskqueue.tasks.[math.add].ignore-result=false", "taskqueue.tasks.[py.mul].queue=python",
					"taskqueue.tasks.[py.mul].serializer=yaml")
			.withUserConfiguration(Tasks.class)
			.run((context) -> {
				TaskRegistry registry = context.getBean(TaskRegistry.class);
				TaskOptions add = registry.optionsOf("math.add");
				assertThat(add.queue()).isEqualTo("fast");
				assertThat(add.priority()).isEqualTo(7);
				assertThat(add.acksLate(false)).isTrue();
				assertThat(add.ignoresResult()).isFalse();
				assertThat(add.tracksStarted()).isTrue();
				assertThat(registry.find("math.add").options()).isEqualTo(add);
				assertThat(registry.optionsOf("py.mul").queue()).isEqualTo("python");
				assertThat(registry.optionsOf("py.mul").serializer()).isEqualTo("yaml");
			});
	}

	@Test
	void twoTasksWithOneNameFailStartUpNamingBothMethods() {
		this.runner.withUserConfiguration(Tasks.class, Clashing.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(DuplicateTaskException.class)
				.hasMessageContaining("'math.add'")
				.hasMessageContaining(MathTasks.class.getName() + ".add(int, int)")
				.hasMessageContaining(OtherTasks.class.getName() + ".sum(long, long)");
		});
	}

	static class MathTasks {

		@Task(name = "math.add", queue = "math", priority = 7, acks = Task.Acks.EARLY, ignoreResult = true,
				trackStarted = true, serializer = "msgpack", compression = "zlib", expires = "10m")
		int add(int x, int y) {
			return x + y;
		}

		@Task
		int multiply(int x, int y) {
			return x * y;
		}

		int notATask() {
			return 0;
		}

	}

	static class OtherTasks {

		@Task("math.add")
		long sum(long a, long b) {
			return a + b;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Tasks {

		@Bean
		MathTasks mathTasks() {
			return new MathTasks();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Clashing {

		@Bean
		OtherTasks otherTasks() {
			return new OtherTasks();
		}

	}

}
