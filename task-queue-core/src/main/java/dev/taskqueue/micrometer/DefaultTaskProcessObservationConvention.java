package dev.taskqueue.micrometer;

import io.micrometer.common.KeyValues;

import dev.taskqueue.listener.TaskOutcome;
import dev.taskqueue.micrometer.TaskQueueObservation.HighCardinalityKeyNames;
import dev.taskqueue.micrometer.TaskQueueObservation.LowCardinalityKeyNames;

/**
 * The observation {@value #NAME}, whose span is named {@code process} and the task's name, with the key values
 * {@code task}, {@code queue} and, once the run ended, {@code outcome}, and the task's id as
 * {@code messaging.message.id}.
 */
public class DefaultTaskProcessObservationConvention implements TaskProcessObservationConvention {

	/** The observation's name, and of the timer Micrometer makes of it. */
	public static final String NAME = "taskqueue.process";

	/** The convention. */
	public static final DefaultTaskProcessObservationConvention INSTANCE = new DefaultTaskProcessObservationConvention();

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(TaskProcessContext context) {
		return "process " + context.getTask().taskName();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(TaskProcessContext context) {
		KeyValues values = KeyValues.of(LowCardinalityKeyNames.TASK.withValue(context.getTaskTag()),
				LowCardinalityKeyNames.QUEUE.withValue(context.getQueueTag()));
		TaskOutcome outcome = context.getOutcome();
		return (outcome != null) ? values.and(LowCardinalityKeyNames.OUTCOME.withValue(outcome.tagValue())) : values;
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(TaskProcessContext context) {
		return KeyValues.of(HighCardinalityKeyNames.TASK_ID.withValue(context.getTask().taskId()));
	}

}
