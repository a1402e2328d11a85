package dev.taskqueue.broker;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A broker that is a {@link DeadLetterQueue} by handing every call to the object that keeps its dead letters,
 * so that an application injects the broker's dead letters as a {@code DeadLetterQueue}.
 */
public interface DelegatingDeadLetterQueue extends DeadLetterQueue {

	/**
	 * The object that keeps the dead letters.
	 * @return the dead-letter queue
	 */
	DeadLetterQueue deadLetterQueue();

	@Override
	default List<DeadLetter> listDeadLetters(@Nullable String queue, int limit) {
		return deadLetterQueue().listDeadLetters(queue, limit);
	}

	@Override
	default boolean redriveDeadLetter(String id) {
		return deadLetterQueue().redriveDeadLetter(id);
	}

	@Override
	default int redriveDeadLetters(@Nullable String queue) {
		return deadLetterQueue().redriveDeadLetters(queue);
	}

	@Override
	default boolean purgeDeadLetter(String id) {
		return deadLetterQueue().purgeDeadLetter(id);
	}

	@Override
	default int purgeDeadLetters(@Nullable String queue) {
		return deadLetterQueue().purgeDeadLetters(queue);
	}

	@Override
	default java.util.Map<String, Long> countDeadLetters() {
		return deadLetterQueue().countDeadLetters();
	}

}
