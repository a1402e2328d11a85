package dev.taskqueue.micrometer;

import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import dev.taskqueue.beat.BeatEntry;
import dev.taskqueue.beat.BeatListener;

/**
 * Counts the beat's sends, as a {@link BeatListener}: {@value #SENT} (counter; {@code entry}), one per fire time
 * the leader sent, so that summed over every application it counts each fire time once. Entries are the
 * schedule's, so the tag's values are as many as its entries.
 */
public final class BeatMetricsListener implements BeatListener {

	/** Fire times sent: a counter tagged {@code entry}. */
	public static final String SENT = "taskqueue.beat.sent";

	private final MeterRegistry registry;

	private final ConcurrentMap<String, Counter> sent = new ConcurrentHashMap<>();

	/**
	 * Count into a registry.
	 * @param registry the registry
	 */
	public BeatMetricsListener(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void sent(BeatEntry entry, Instant scheduledAt, String taskId) {
		this.sent.computeIfAbsent(entry.name(), (name) -> Counter.builder(SENT)
			.description("Fire times of beat entries sent by this application's scheduler")
			.tag("entry", name)
			.register(this.registry)).increment();
	}

}
