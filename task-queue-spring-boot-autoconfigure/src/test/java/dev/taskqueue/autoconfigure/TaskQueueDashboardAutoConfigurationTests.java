package dev.taskqueue.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerResponse;

import dev.taskqueue.Task;
import dev.taskqueue.TaskClient;
import dev.taskqueue.dashboard.ClusterFeed;
import dev.taskqueue.dashboard.DashboardStreams;
import dev.taskqueue.dashboard.TaskQueueDashboard;
import dev.taskqueue.events.EventDispatcher;
import dev.taskqueue.events.state.ClusterState;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The dashboard's wiring: off unless {@code taskqueue.dashboard.enabled}, only in a Spring MVC or a WebFlux
 * application (served by the one it is), under {@code taskqueue.dashboard.path}, read-only by default; its cluster
 * state fed by the application's events, with {@code enable_events} broadcast so that workers send their task
 * events.
 */
class TaskQueueDashboardAutoConfigurationTests {

	private static final AutoConfigurations CONFIGURATIONS = AutoConfigurations.of(JacksonAutoConfiguration.class,
			TaskQueueAutoConfiguration.class, TaskQueueEventsAutoConfiguration.class,
			TaskQueueControlAutoConfiguration.class, TaskQueueDashboardAutoConfiguration.class);

	/** WebFlux's router function, beside Spring MVC's of the same simple name. */
	private static final Class<?> WEBFLUX_ROUTES = org.springframework.web.reactive.function.server.RouterFunction.class;

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(CONFIGURATIONS)
		.withUserConfiguration(Tasks.class)
		.withPropertyValues("taskqueue.worker.name=w1@dashboard-test", "taskqueue.worker.shutdown-timeout=2s");

	@Test
	void theDashboardIsOffByDefault() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(TaskQueueDashboard.class)
			.doesNotHaveBean(ClusterState.class)
			.doesNotHaveBean(RouterFunction.class));
	}

	@Test
	void enabledItServesItsPagesUnderTaskqueueReadOnly() {
		this.runner.withPropertyValues("taskqueue.dashboard.enabled=true").run((context) -> {
			assertThat(context).hasSingleBean(TaskQueueDashboard.class)
				.hasSingleBean(ClusterState.class)
				.hasSingleBean(ClusterFeed.class)
				.hasSingleBean(DashboardStreams.class)
				.hasSingleBean(RouterFunction.class);
			assertThat(context.getBean(TaskQueueDashboard.class).path()).isEqualTo("/taskqueue");
			MockMvc mvc = mvc(context.getBean(RouterFunction.class));
			mvc.perform(get("/taskqueue/tasks")).andExpect(status().isOk());
			mvc.perform(post("/taskqueue/queues/celery/purge")).andExpect(status().isForbidden());
		});
	}

	@Test
	void thePathAndTheWriteAccessAreHonoured() {
		this.runner
			.withPropertyValues("taskqueue.dashboard.enabled=true", "taskqueue.dashboard.path=/ops/queue/",
					"taskqueue.dashboard.read-only=false")
			.run((context) -> {
				assertThat(context.getBean(TaskQueueDashboard.class).path()).isEqualTo("/ops/queue");
				MockMvc mvc = mvc(context.getBean(RouterFunction.class));
				mvc.perform(get("/ops/queue/queues")).andExpect(status().isOk());
				mvc.perform(get("/taskqueue/queues")).andExpect(status().isNotFound());
				mvc.perform(post("/ops/queue/queues/celery/purge")).andExpect(status().isSeeOther());
			});
	}

	@Test
	void aNonWebApplicationHasNoDashboard() {
		new ApplicationContextRunner().withConfiguration(CONFIGURATIONS)
			.withPropertyValues("taskqueue.dashboard.enabled=true", "taskqueue.worker.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(TaskQueueDashboard.class)
				.doesNotHaveBean(ClusterState.class));
	}

	@Test
	void aServletApplicationWithoutSpringMvcHasNoDashboard() {
		this.runner.withPropertyValues("taskqueue.dashboard.enabled=true", "taskqueue.worker.enabled=false")
			.withClassLoader(new FilteredClassLoader(RouterFunction.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(TaskQueueDashboard.class)
				.doesNotHaveBean(ClusterState.class));
	}

	@Test
	void aWebFluxApplicationServesTheSamePagesFromWebFluxRoutes() {
		new ReactiveWebApplicationContextRunner().withConfiguration(CONFIGURATIONS)
			.withUserConfiguration(Tasks.class)
			.withPropertyValues("taskqueue.worker.name=w1@dashboard-test", "taskqueue.worker.shutdown-timeout=2s",
					"taskqueue.dashboard.enabled=true", "taskqueue.dashboard.path=/ops")
			.run((context) -> {
				assertThat(context).hasSingleBean(TaskQueueDashboard.class)
					.hasSingleBean(DashboardStreams.class)
					.hasSingleBean(WEBFLUX_ROUTES)
					.doesNotHaveBean(RouterFunction.class);
				WebTestClient client = WebTestClient
					.bindToRouterFunction((org.springframework.web.reactive.function.server.RouterFunction<?>) context
						.getBean(WEBFLUX_ROUTES))
					.build();
				client.get().uri("/ops/tasks").exchange()
					.expectStatus().isOk()
					.expectBody(String.class).value((html) -> assertThat(html).contains("<table id=\"tasks\">"));
				client.post().uri("/ops/queues/celery/purge").exchange().expectStatus().isForbidden();
			});
	}

	@Test
	void aWebFluxApplicationWithoutWebFluxOnTheClassPathHasNoDashboard() {
		new ReactiveWebApplicationContextRunner().withConfiguration(CONFIGURATIONS)
			.withPropertyValues("taskqueue.dashboard.enabled=true", "taskqueue.worker.enabled=false")
			.withClassLoader(new FilteredClassLoader(WEBFLUX_ROUTES))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(TaskQueueDashboard.class)
				.doesNotHaveBean(ClusterState.class));
	}

	@Test
	void theClusterStateSeesTheWorkersTasksOnceTheDashboardAskedForTaskEvents() {
		// taskqueue.events.enabled is off: the dashboard's enable_events switches the worker's task events on
		this.runner.withPropertyValues("taskqueue.dashboard.enabled=true", "taskqueue.events.heartbeat-interval=200ms")
			.run((context) -> {
				ClusterState state = context.getBean(ClusterState.class);
				await().until(() -> state.worker("w1@dashboard-test") != null);
				await().until(() -> context.getBean(EventDispatcher.class).isTaskEventsEnabled());
				String id = context.getBean(TaskClient.class).send("dashboard.add", 2, 3).id();
				await().until(() -> state.task(id) != null && state.task(id).state().equals("SUCCESS"));
				assertThat(state.task(id).name()).isEqualTo("dashboard.add");
				assertThat(state.task(id).worker()).isEqualTo("w1@dashboard-test");
			});
	}

	private static MockMvc mvc(RouterFunction<?> routes) {
		return MockMvcBuilders.routerFunctions(routes).build();
	}

	@Configuration(proxyBeanMethods = false)
	static class Tasks {

		@Bean
		AddTask addTask() {
			return new AddTask();
		}

	}

	static class AddTask {

		@Task(name = "dashboard.add")
		public int add(int a, int b) {
			return a + b;
		}

	}

}
