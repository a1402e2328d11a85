package dev.taskqueue.beat;

import java.time.Instant;

import dev.taskqueue.MovableClock;

/**
 * The in-memory store passes the contract: applications of one JVM sharing it, on a clock the test moves.
 */
class InMemoryBeatStoreContractTests extends BeatStoreContract {

	private final MovableClock clock = new MovableClock(Instant.parse("2024-05-01T12:00:00Z"));

	private final InMemoryBeatStore store = new InMemoryBeatStore(this.clock);

	@Override
	protected BeatStore createStore() {
		return this.store;
	}

	/**
	 * Time passes on the test's clock only.
	 */
	@Override
	protected void lapse(BeatStore holder) {
		this.clock.advance(lease());
	}

}
