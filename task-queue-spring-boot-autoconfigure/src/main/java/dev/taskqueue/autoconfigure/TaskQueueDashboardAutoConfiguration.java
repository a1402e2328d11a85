package dev.taskqueue.autoconfigure;

import java.time.Clock;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Import;

import dev.taskqueue.beat.BeatSchedule;
import dev.taskqueue.broker.Broker;
import dev.taskqueue.control.TaskControl;
import dev.taskqueue.dashboard.ClusterFeed;
import dev.taskqueue.dashboard.DashboardStreams;
import dev.taskqueue.dashboard.TaskQueueDashboard;
import dev.taskqueue.events.EventReceiver;
import dev.taskqueue.events.state.ClusterState;
import dev.taskqueue.registry.TaskRegistry;
import dev.taskqueue.worker.QueueOverview;
import dev.taskqueue.worker.Workers;

/**
 * Auto-configuration of the dashboard ({@code taskqueue.dashboard.enabled=true}) in a web application, served by
 * Spring MVC or WebFlux, whichever the application is: a {@link ClusterState} fed from the cluster's events by a
 * {@link ClusterFeed} (which also broadcasts Celery's {@code enable_events}, as Flower does), the live updates
 * ({@link DashboardStreams}) and the pages' routes under {@code taskqueue.dashboard.path}
 * ({@code DashboardWebMvcConfiguration}, {@code DashboardWebFluxConfiguration}), read-only unless
 * {@code taskqueue.dashboard.read-only=false}.
 */
@AutoConfiguration(after = { TaskQueueAutoConfiguration.class, TaskQueueEventsAutoConfiguration.class,
		TaskQueueBeatAutoConfiguration.class })
@ConditionalOnClass(TaskQueueDashboard.class)
@Conditional(OnDashboardWebStackCondition.class)
@ConditionalOnBooleanProperty("taskqueue.dashboard.enabled")
@ConditionalOnBean({ Broker.class, TaskRegistry.class, TaskControl.class, EventReceiver.class })
@EnableConfigurationProperties(TaskQueueDashboardProperties.class)
@Import({ DashboardWebMvcConfiguration.class, DashboardWebFluxConfiguration.class })
public final class TaskQueueDashboardAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ClusterState taskClusterState(TaskQueueDashboardProperties dashboard) {
		return new ClusterState(dashboard.getMaxTasks(), ClusterState.DEFAULT_MAX_WORKERS, Clock.systemUTC());
	}

	@Bean
	@ConditionalOnMissingBean
	ClusterFeed taskClusterFeed(EventReceiver receiver, ClusterState state, TaskControl control,
			TaskQueueDashboardProperties dashboard) {
		return new ClusterFeed(receiver, state, control, dashboard.isEnableEvents());
	}

	@Bean
	@ConditionalOnMissingBean
	DashboardStreams taskDashboardStreams(ClusterState state, TaskQueueDashboardProperties dashboard,
			ObjectProvider<JsonMapper> mapper) {
		return new DashboardStreams(state, dashboard.getMaxStreams(), TaskQueueAutoConfiguration.jsonMapper(mapper));
	}

	@Bean
	@ConditionalOnMissingBean
	TaskQueueDashboard taskQueueDashboard(ClusterState state, TaskControl control, Broker broker,
			ObjectProvider<Workers> workers, TaskRegistry registry, TaskQueueProperties properties,
			ObjectProvider<BeatSchedule> beat, DashboardStreams streams, TaskQueueDashboardProperties dashboard) {
		QueueOverview queues = new QueueOverview(broker, workers.getIfAvailable(), registry,
				properties.getDefaultQueue());
		return TaskQueueDashboard.builder(state, control, broker, queues)
			.path(dashboard.getPath())
			.readOnly(dashboard.isReadOnly())
			.beat(beat.getIfAvailable())
			.streams(streams)
			.remoteControlTimeout(dashboard.getRemoteControlTimeout())
			.build();
	}

}
