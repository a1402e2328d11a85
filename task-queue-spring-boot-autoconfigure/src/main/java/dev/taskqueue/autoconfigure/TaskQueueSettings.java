package dev.taskqueue.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

import dev.taskqueue.broker.DeadLetterRetention;
import dev.taskqueue.registry.RateLimit;
import dev.taskqueue.registry.RetryPolicy;
import dev.taskqueue.registry.TaskOptions;
import dev.taskqueue.routing.Route;
import dev.taskqueue.routing.RouteTable;
import dev.taskqueue.routing.TaskNamePattern;
import dev.taskqueue.worker.WorkerSettings;

/**
 * Turns {@link TaskQueueProperties} into the engine's values: the route table, the tasks' configured
 * settings, the worker groups and the dead letters' retention.
 */
final class TaskQueueSettings {

	private TaskQueueSettings() {
	}

	static RouteTable routeTable(TaskQueueProperties properties) {
		List<RouteTable.Entry> entries = new ArrayList<>();
		for (TaskQueueProperties.RouteEntry entry : properties.getRoutes()) {
			entries.add(new RouteTable.Entry(TaskNamePattern.of(entry.getPattern()),
					new Route(entry.getQueue(), entry.getExchange(), entry.getRoutingKey(), entry.getPriority(),
							entry.getExpires(), entry.getSerializer(), entry.getCompression())));
		}
		return new RouteTable(entries);
	}

	static Map<String, TaskOptions> taskOptions(TaskQueueProperties properties) {
		Map<String, TaskOptions> options = new LinkedHashMap<>();
		properties.getTasks()
			.forEach((name, settings) -> options.put(name,
					new TaskOptions(settings.getQueue(), settings.getPriority(), settings.getAcks(),
							settings.getIgnoreResult(), settings.getTrackStarted(), settings.getSerializer(),
							settings.getCompression(), settings.getExpires(), retryPolicy(settings),
							settings.getTimeLimit(), settings.getSoftTimeLimit(),
							(settings.getRateLimit() != null) ? RateLimit.parse(settings.getRateLimit()) : null)));
		return options;
	}

	private static RetryPolicy retryPolicy(TaskQueueProperties.TaskSettings settings) {
		return new RetryPolicy(settings.getAutoretryFor().isEmpty() ? null : List.copyOf(settings.getAutoretryFor()),
				settings.getMaxRetries(), settings.getRetryDelay(), settings.getRetryBackoff(),
				settings.getRetryBackoffMax(), settings.getRetryJitter(), settings.getOnRetriesExhausted());
	}

	static DeadLetterRetention deadLetterRetention(TaskQueueProperties properties) {
		TaskQueueProperties.DeadLetters deadLetters = properties.getDeadLetters();
		try {
			return new DeadLetterRetention(deadLetters.getMaxCount(), deadLetters.getMaxAge());
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException("taskqueue.dead-letters",
					deadLetters.getMaxCount() + " / " + deadLetters.getMaxAge(), ex.getMessage());
		}
	}

	static List<String> consumedQueues(TaskQueueProperties properties) {
		return workerSettings(properties, "worker").stream()
			.flatMap((settings) -> settings.queues().stream())
			.distinct()
			.toList();
	}

	static List<WorkerSettings> workerSettings(TaskQueueProperties properties, String name) {
		TaskQueueProperties.Worker worker = properties.getWorker();
		int concurrency = (worker.getConcurrency() != null) ? worker.getConcurrency()
				: Runtime.getRuntime().availableProcessors();
		if (worker.getGroups().isEmpty()) {
			List<String> queues = worker.getQueues().isEmpty() ? List.of(properties.getDefaultQueue())
					: worker.getQueues();
			int prefetch = (worker.getPrefetch() != null) ? worker.getPrefetch() : 4 * concurrency;
			return List.of(new WorkerSettings(name, queues, concurrency, prefetch, worker.getShutdownTimeout()));
		}
		List<WorkerSettings> groups = new ArrayList<>();
		worker.getGroups().forEach((group, settings) -> {
			int groupConcurrency = (settings.getConcurrency() != null) ? settings.getConcurrency() : concurrency;
			int prefetch = (settings.getPrefetch() != null) ? settings.getPrefetch() : 4 * groupConcurrency;
			if (settings.getQueues().isEmpty()) {
				throw new IllegalStateException("Worker group '" + group + "' has no queues: set taskqueue.worker.groups."
						+ group + ".queues");
			}
			groups.add(new WorkerSettings(name + "-" + group, settings.getQueues(), groupConcurrency, prefetch,
					worker.getShutdownTimeout()));
		});
		return groups;
	}

}
