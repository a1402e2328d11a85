package dev.taskqueue.micrometer;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and key values of {@link TaskQueueObservation#PUBLISH}; a bean of this type replaces
 * {@link DefaultTaskPublishObservationConvention}.
 */
public interface TaskPublishObservationConvention extends ObservationConvention<TaskPublishContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof TaskPublishContext;
	}

}
