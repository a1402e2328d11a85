package dev.taskqueue.micrometer;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.micrometer.common.KeyValues;

import dev.taskqueue.micrometer.TaskQueueObservation.HighCardinalityKeyNames;
import dev.taskqueue.micrometer.TaskQueueObservation.LowCardinalityKeyNames;

/**
 * The observation {@value #NAME}, whose span is named {@code publish} and the task's name (as OpenTelemetry's
 * Celery instrumentation names its {@code apply_async/<task>} span), with the key values {@code task} and
 * {@code queue}, and the task's id as {@code messaging.message.id}.
 */
public class DefaultTaskPublishObservationConvention implements TaskPublishObservationConvention {

	/** The observation's name, and of the timer Micrometer makes of it. */
	public static final String NAME = "taskqueue.publish";

	/** The convention. */
	public static final DefaultTaskPublishObservationConvention INSTANCE = new DefaultTaskPublishObservationConvention();

	/** The key values by task tag, then queue tag. */
	private final ConcurrentMap<String, ConcurrentMap<String, KeyValues>> keyValues = new ConcurrentHashMap<>();

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(TaskPublishContext context) {
		return "publish " + context.getTask().taskName();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(TaskPublishContext context) {
		// made once per task and queue (both bounded), not per send
		return this.keyValues.computeIfAbsent(context.getTaskTag(), (task) -> new ConcurrentHashMap<>())
			.computeIfAbsent(context.getQueueTag(), (queue) -> KeyValues.of(
					LowCardinalityKeyNames.TASK.withValue(context.getTaskTag()),
					LowCardinalityKeyNames.QUEUE.withValue(queue)));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(TaskPublishContext context) {
		return KeyValues.of(HighCardinalityKeyNames.TASK_ID.withValue(context.getTask().taskId()));
	}

}
