package dev.taskqueue.beat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Where the beat keeps what must outlive a scheduler, in the broker the application already uses (no other
 * database): the lead, with a fencing token; the last run of each entry; the entries added at run time. The
 * SPI behind {@link BeatScheduler}; {@link InMemoryBeatStore} keeps it in this JVM, the Redis and RabbitMQ
 * transports in their servers. Every implementation passes the same contract suite ({@code BeatStoreContract}
 * in the core test-jar).
 * <p>
 * Only the holder of the current lease writes last runs: {@link #recordRun} is a compare-and-set that fails for
 * an outdated token, so two schedulers never both record, and so never both send, the same fire time.
 */
public interface BeatStore {

	/**
	 * Try to take the lead.
	 * @param owner who asks, for operators
	 * @param duration how long the lead lasts unless renewed
	 * @return the lease, or {@code null} if another scheduler holds the lead
	 */
	@Nullable BeatLease acquire(String owner, Duration duration);

	/**
	 * Keep the lead for another {@code duration}.
	 * @param lease the lease held
	 * @param duration how long the lead lasts from now unless renewed
	 * @return {@code false} if the lease is no longer current: another scheduler may lead
	 */
	boolean renew(BeatLease lease, Duration duration);

	/**
	 * Give the lead up, so that another scheduler can take it at once.
	 * @param lease the lease held
	 */
	void release(BeatLease lease);

	/**
	 * Who leads, as far as this store can tell.
	 * @return the owner of the current lease, or {@code null} if none or unknown here
	 */
	@Nullable String leader();

	/**
	 * The last run of every entry, as recorded: what a new leader starts from.
	 * @return entry name to the fire time it last sent (or first saw the entry)
	 */
	Map<String, Instant> lastRuns();

	/**
	 * Record an entry's last run, if the lease is current and the recorded value is the one expected.
	 * @param lease the lease held
	 * @param entry the entry's name
	 * @param expected the last run the caller knows of, or {@code null} for none
	 * @param lastRun the new last run
	 * @return whether it was recorded
	 */
	boolean recordRun(BeatLease lease, String entry, @Nullable Instant expected, Instant lastRun);

	/**
	 * The entries added or changed at run time, each as the document {@link BeatSchedule#put} wrote.
	 * @return entry name to its definition
	 */
	Map<String, String> entries();

	/**
	 * Add or replace an entry of the schedule at run time; any application may, leader or not.
	 * @param name the entry's name
	 * @param definition the entry, as a document of its own (JSON)
	 */
	void putEntry(String name, String definition);

	/**
	 * Remove an entry added at run time, with its last run.
	 * @param name the entry's name
	 */
	void removeEntry(String name);

}
