package dev.taskqueue.control;

import tools.jackson.databind.JsonNode;

/**
 * A task a worker knows, as {@code inspect query_task} answers for each id asked about: Celery's
 * {@code [STATE, TASK_INFO]}.
 *
 * @param state where the worker holds it: {@code active}, {@code reserved}, or {@code ready} (Celery's names)
 * @param info the task
 */
public record QueriedTask(String state, TaskInfo info) {

	static QueriedTask read(JsonNode pair) {
		if (!pair.isArray() || pair.size() != 2) {
			throw new IllegalArgumentException("not a [state, info] pair");
		}
		return new QueriedTask(pair.get(0).asString(), TaskInfo.read(pair.get(1)));
	}

}
