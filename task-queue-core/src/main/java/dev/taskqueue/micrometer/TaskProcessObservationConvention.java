package dev.taskqueue.micrometer;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and key values of {@link TaskQueueObservation#PROCESS}; a bean of this type replaces
 * {@link DefaultTaskProcessObservationConvention}.
 */
public interface TaskProcessObservationConvention extends ObservationConvention<TaskProcessContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof TaskProcessContext;
	}

}
