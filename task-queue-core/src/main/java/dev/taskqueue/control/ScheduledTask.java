package dev.taskqueue.control;

import java.time.Instant;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A task a worker holds until its eta, as {@code inspect scheduled} describes it (Celery's
 * {@code TASK_SCHEDULED_INFO}).
 *
 * @param eta when it is due ({@code eta}), or {@code null} if the worker did not say
 * @param priority its priority ({@code priority}), or {@code null}
 * @param request the task ({@code request})
 */
public record ScheduledTask(@Nullable Instant eta, @Nullable Integer priority, TaskInfo request) {

	static ScheduledTask read(JsonNode scheduled) {
		Long priority = ReplyFields.integer(scheduled, "priority");
		return new ScheduledTask(ReplyFields.isoTime(scheduled, "eta"), (priority != null) ? priority.intValue() : null,
				TaskInfo.read(scheduled.path("request")));
	}

}
