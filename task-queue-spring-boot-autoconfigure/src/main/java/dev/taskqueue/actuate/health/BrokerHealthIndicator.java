package dev.taskqueue.actuate.health;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import dev.taskqueue.broker.Broker;
import dev.taskqueue.status.ComponentStatus;
import dev.taskqueue.worker.WorkerSnapshot;

/**
 * The {@code broker} entry of {@code taskQueue}: UP when the broker answers ({@link Broker#status()}), DOWN
 * with the reason when it does not, with what the broker says of itself and, for each queue this application's
 * workers consume, whether a consumer is attached now ({@code consumers}). The check is one round trip to the
 * broker, bounded by the broker's own timeout, made on every health request.
 */
public class BrokerHealthIndicator implements HealthIndicator {

	private final Broker broker;

	private final Supplier<List<WorkerSnapshot>> workers;

	/**
	 * Create the indicator.
	 * @param broker the broker
	 * @param workers what the workers are doing now (empty in an application that only sends)
	 */
	public BrokerHealthIndicator(Broker broker, Supplier<List<WorkerSnapshot>> workers) {
		this.broker = broker;
		this.workers = workers;
	}

	@Override
	public Health health() {
		Health.Builder health;
		try {
			ComponentStatus status = this.broker.status();
			health = Details.of(status);
		}
		catch (RuntimeException ex) {
			health = Health.down(ex);
		}
		health.withDetail("type", this.broker.getClass().getSimpleName());
		Map<String, Boolean> consumers = consumers();
		if (!consumers.isEmpty()) {
			health.withDetail("consumers", consumers);
		}
		return health.build();
	}

	private Map<String, Boolean> consumers() {
		Map<String, Boolean> consumers = new TreeMap<>();
		for (WorkerSnapshot worker : this.workers.get()) {
			worker.consuming().forEach((queue, attached) -> consumers.merge(queue, attached, Boolean::logicalOr));
		}
		return consumers;
	}

}
