package dev.taskqueue.micrometer;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

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

	private static final TaskOutcome[] OUTCOMES = TaskOutcome.values();

	/**
	 * The key values by task tag and queue tag (both bounded), then by outcome (none first): a benign race may
	 * make one twice, never a wrong one.
	 */
	private final ConcurrentMap<String, ConcurrentMap<String, KeyValues[]>> keyValues = new ConcurrentHashMap<>();

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
		// asked twice per run (at start, and with the outcome at stop): made once per task, queue and outcome
		KeyValues[] byOutcome = this.keyValues.computeIfAbsent(context.getTaskTag(), (task) -> new ConcurrentHashMap<>())
			.computeIfAbsent(context.getQueueTag(), (queue) -> new KeyValues[OUTCOMES.length + 1]);
		TaskOutcome outcome = context.getOutcome();
		int index = (outcome != null) ? outcome.ordinal() + 1 : 0;
		KeyValues values = byOutcome[index];
		if (values == null) {
			values = KeyValues.of(LowCardinalityKeyNames.TASK.withValue(context.getTaskTag()),
					LowCardinalityKeyNames.QUEUE.withValue(context.getQueueTag()));
			if (outcome != null) {
				values = values.and(LowCardinalityKeyNames.OUTCOME.withValue(outcome.tagValue()));
			}
			byOutcome[index] = values;
		}
		return values;
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(TaskProcessContext context) {
		return KeyValues.of(HighCardinalityKeyNames.TASK_ID.withValue(context.getTask().taskId()));
	}

}
