package dev.taskqueue.actuate.health;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import dev.taskqueue.result.ResultBackend;

/**
 * The {@code resultBackend} entry of {@code taskQueue}: UP when the result backend answers
 * ({@link ResultBackend#status()}), DOWN with the reason when it does not. A disabled backend
 * ({@code taskqueue.result-backend=none}) and the in-memory one are always UP.
 */
public class ResultBackendHealthIndicator implements HealthIndicator {

	private final ResultBackend backend;

	/**
	 * Create the indicator.
	 * @param backend the result backend
	 */
	public ResultBackendHealthIndicator(ResultBackend backend) {
		this.backend = backend;
	}

	@Override
	public Health health() {
		Health.Builder health;
		try {
			health = Details.of(this.backend.status());
		}
		catch (RuntimeException ex) {
			health = Health.down(ex);
		}
		return health.withDetail("type", this.backend.getClass().getSimpleName()).build();
	}

}
