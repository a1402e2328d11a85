package dev.taskqueue.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when the application takes part in Celery's remote control ({@code taskqueue.celery-control}): "on",
 * or "auto" unless the broker is Redis with a key prefix (the application then keeps away from Celery), as the
 * broker configurations decide for revocations.
 */
class OnCeleryControlCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		TaskQueueProperties properties = Binder.get(context.getEnvironment())
			.bind("taskqueue", TaskQueueProperties.class)
			.orElseGet(TaskQueueProperties::new);
		boolean apart = properties.getBroker() == TaskQueueProperties.BrokerType.REDIS
				&& !properties.getRedis().getKeyPrefix().isEmpty();
		boolean enabled = properties.getCeleryControl().isEnabled(!apart);
		String message = "taskqueue.celery-control is " + properties.getCeleryControl()
				+ (apart ? " and the Redis keys have a prefix" : "");
		return enabled ? ConditionOutcome.match(message) : ConditionOutcome.noMatch(message);
	}

}
