package dev.taskqueue.routing;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The {@code taskqueue.routes} table: task name patterns and their routes, in order; the first match wins.
 */
public class RouteTable implements Router {

	private final List<Entry> entries;

	/**
	 * Create a table.
	 * @param entries the entries, in the order they are tried
	 */
	public RouteTable(List<Entry> entries) {
		this.entries = List.copyOf(entries);
	}

	@Override
	public @Nullable Route route(String taskName, List<?> args, Map<String, ?> kwargs) {
		for (Entry entry : this.entries) {
			if (entry.pattern().matches(taskName)) {
				return entry.route();
			}
		}
		return null;
	}

	/**
	 * One line of the table.
	 *
	 * @param pattern the task names it applies to
	 * @param route where they go
	 */
	public record Entry(TaskNamePattern pattern, Route route) {
	}

}
