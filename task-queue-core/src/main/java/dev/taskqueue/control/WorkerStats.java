package dev.taskqueue.control;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A worker's statistics, as {@code inspect stats} answers (Celery's {@code STAT_INFO}); what is not read here
 * (the pool's details, {@code rusage}, the broker's settings) is in the reply's JSON,
 * {@link Replies#raw()}.
 *
 * @param pid the worker's process id ({@code pid}), or {@code null}
 * @param uptime how long it has run ({@code uptime}), or {@code null}
 * @param clock its logical clock ({@code clock}, which Celery writes as a string), or {@code null}
 * @param prefetchCount how many messages it takes at once ({@code prefetch_count}), or {@code null}
 * @param maxConcurrency how many tasks it runs at once ({@code pool.max-concurrency}), or {@code null}
 * @param total how many tasks of each name it has taken since it started ({@code total})
 * @param transport the broker's transport, such as {@code redis} or {@code amqp} ({@code broker.transport}), or
 * {@code null}
 */
public record WorkerStats(@Nullable Long pid, @Nullable Duration uptime, @Nullable Long clock,
		@Nullable Long prefetchCount, @Nullable Long maxConcurrency, Map<String, Long> total,
		@Nullable String transport) {

	/**
	 * Copy the totals.
	 */
	public WorkerStats {
		total = Map.copyOf(total);
	}

	static WorkerStats read(JsonNode stats) {
		if (!stats.isObject()) {
			throw new IllegalArgumentException("not a JSON object");
		}
		Map<String, Long> total = new LinkedHashMap<>();
		for (Map.Entry<String, JsonNode> entry : stats.path("total").properties()) {
			total.put(entry.getKey(), entry.getValue().asLong());
		}
		Double uptime = ReplyFields.decimal(stats, "uptime");
		return new WorkerStats(ReplyFields.integer(stats, "pid"),
				(uptime != null) ? Duration.ofMillis(Math.round(uptime * 1000)) : null,
				ReplyFields.integer(stats, "clock"), ReplyFields.integer(stats, "prefetch_count"),
				ReplyFields.integer(stats.path("pool"), "max-concurrency"), total,
				ReplyFields.string(stats.path("broker"), "transport"));
	}

}
