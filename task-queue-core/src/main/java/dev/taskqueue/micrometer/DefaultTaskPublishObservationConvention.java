package dev.taskqueue.micrometer;

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
		return KeyValues.of(LowCardinalityKeyNames.TASK.withValue(context.getTaskTag()),
				LowCardinalityKeyNames.QUEUE.withValue(context.getQueueTag()));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(TaskPublishContext context) {
		return KeyValues.of(HighCardinalityKeyNames.TASK_ID.withValue(context.getTask().taskId()));
	}

}
