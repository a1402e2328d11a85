package dev.taskqueue.actuate.health;

import org.springframework.boot.health.contributor.Health;

import dev.taskqueue.status.ComponentStatus;

/**
 * A {@link ComponentStatus} as a health: UP or DOWN, its details, and the reason it is down.
 */
final class Details {

	private Details() {
	}

	static Health.Builder of(ComponentStatus status) {
		Health.Builder health = status.up() ? Health.up() : Health.down();
		health.withDetails(status.details());
		if (status.error() != null) {
			health.withDetail("error", status.error());
		}
		return health;
	}

}
