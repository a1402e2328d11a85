package dev.taskqueue.micrometer;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations of tasks: {@link #PUBLISH} on the sending side (a producer span with tracing) and
 * {@link #PROCESS} around each run in a worker (a consumer span, the child of the producer's). Their names and
 * key values are those of {@link DefaultTaskPublishObservationConvention} and
 * {@link DefaultTaskProcessObservationConvention}.
 */
public enum TaskQueueObservation implements ObservationDocumentation {

	/**
	 * Publishing a task: from before the message goes to the broker until the broker took it (or refused it).
	 */
	PUBLISH {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultTaskPublishObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return new KeyName[] { LowCardinalityKeyNames.TASK, LowCardinalityKeyNames.QUEUE };
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return HighCardinalityKeyNames.values();
		}

	},

	/**
	 * One run of a task in a worker, from prerun to postrun, in scope on the task's thread.
	 */
	PROCESS {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultTaskProcessObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return LowCardinalityKeyNames.values();
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return HighCardinalityKeyNames.values();
		}

	};

	/**
	 * Key values of bounded cardinality: they become meter tags too.
	 */
	public enum LowCardinalityKeyNames implements KeyName {

		/** The task's name, or {@code unknown} for a name the application does not know. */
		TASK {

			@Override
			public String asString() {
				return TaskTags.TASK;
			}

		},

		/** The queue the task was published to or received from. */
		QUEUE {

			@Override
			public String asString() {
				return TaskTags.QUEUE;
			}

		},

		/** How the run ended: {@code success}, {@code failure}, {@code retry}, {@code revoked} or {@code rejected}. */
		OUTCOME {

			@Override
			public String asString() {
				return TaskTags.OUTCOME;
			}

		}

	}

	/**
	 * Key values for spans only.
	 */
	public enum HighCardinalityKeyNames implements KeyName {

		/** The task's id, as OpenTelemetry's messaging conventions name a message's id. */
		TASK_ID {

			@Override
			public String asString() {
				return "messaging.message.id";
			}

		}

	}

}
