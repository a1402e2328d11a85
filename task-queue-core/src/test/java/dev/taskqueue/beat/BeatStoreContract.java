package dev.taskqueue.beat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What every {@link BeatStore} does, whatever keeps the beat: one lead at a time with increasing fencing tokens,
 * a lead that passes on when released or when its holder stops renewing it, last runs that only the current
 * lease writes (compare-and-set), and entries put by any application that the leader reads. Each store made by
 * {@link #createStore()} stands for one application; they all share one server.
 * <p>
 * A transport proves its store by extending this class in its tests, as with {@code BrokerContract}: implement
 * {@link #createStore()}, and override the hooks where it differs by design, saying why there.
 */
public abstract class BeatStoreContract {

	private final List<BeatStore> stores = new ArrayList<>();

	/**
	 * A store for one more application, sharing the server of the others.
	 * @return the store
	 */
	protected abstract BeatStore createStore();

	/**
	 * Release what a store holds (its connections), as its application would when it stops.
	 * @param store the store
	 */
	protected void close(BeatStore store) {
	}

	/**
	 * The lease the tests take.
	 * @return one second, unless the store needs another
	 */
	protected Duration lease() {
		return Duration.ofSeconds(1);
	}

	/**
	 * Make a holder's lease lapse as it would if its application died: by default nothing, time does it (the
	 * lease is short); a store whose lead lives with a connection closes it.
	 * @param holder the store holding the lead
	 */
	protected void lapse(BeatStore holder) {
	}

	/**
	 * Whether an application that does not lead can tell who does: not where the lead is a consumer that only
	 * the broker sees.
	 * @return {@code true} by default
	 */
	protected boolean followersKnowTheLeader() {
		return true;
	}

	@AfterEach
	void closeStores() {
		this.stores.forEach(this::close);
	}

	@Test
	void oneApplicationLeadsAtATime() {
		BeatStore first = store();
		BeatStore second = store();
		BeatLease lease = first.acquire("first", lease());
		assertThat(lease).isNotNull();
		assertThat(lease.owner()).isEqualTo("first");
		assertThat(second.acquire("second", lease())).isNull();
		assertThat(first.renew(lease, lease())).isTrue();
		assertThat(second.acquire("second", lease())).isNull();
		assertThat(first.leader()).isEqualTo("first");
		if (followersKnowTheLeader()) {
			assertThat(second.leader()).isEqualTo("first");
		}
	}

	@Test
	void aReleasedLeadIsTakenAtOnceWithALargerToken() {
		BeatStore first = store();
		BeatStore second = store();
		BeatLease firstLease = first.acquire("first", lease());
		first.release(firstLease);
		BeatLease secondLease = awaitLead(second, "second");
		assertThat(secondLease.token()).isGreaterThan(firstLease.token());
		assertThat(first.renew(firstLease, lease())).isFalse();
	}

	@Test
	void aLeadThatIsNotRenewedPassesOnAndTheOldLeaseCanNoLongerWrite() {
		BeatStore first = store();
		BeatStore second = store();
		BeatLease old = first.acquire("first", lease());
		Instant run = now();
		assertThat(first.recordRun(old, "report", null, run)).isTrue();
		lapse(first);
		BeatLease current = awaitLead(second, "second");
		assertThat(current.token()).isGreaterThan(old.token());

		assertThat(first.renew(old, lease())).isFalse();
		assertThat(first.recordRun(old, "report", run, run.plusSeconds(1))).isFalse();
		assertThat(second.lastRuns()).containsEntry("report", run);
		assertThat(second.recordRun(current, "report", run, run.plusSeconds(1))).isTrue();
		assertThat(second.lastRuns()).containsEntry("report", run.plusSeconds(1));
	}

	@Test
	void lastRunsAreComparedAndSetAndOutliveTheLeader() {
		BeatStore first = store();
		BeatLease lease = first.acquire("first", lease());
		Instant t1 = now();
		Instant t2 = t1.plusSeconds(30);
		assertThat(first.recordRun(lease, "report", null, t1)).isTrue();
		assertThat(first.recordRun(lease, "report", null, t2)).isFalse();
		assertThat(first.recordRun(lease, "report", t2, t2)).isFalse();
		assertThat(first.recordRun(lease, "report", t1, t2)).isTrue();
		assertThat(first.recordRun(lease, "cleanup", null, t1)).isTrue();
		assertThat(first.lastRuns()).containsEntry("report", t2).containsEntry("cleanup", t1).hasSize(2);
		first.release(lease);

		BeatStore second = store();
		awaitLead(second, "second");
		assertThat(second.lastRuns()).containsEntry("report", t2).containsEntry("cleanup", t1).hasSize(2);
	}

	@Test
	void entriesPutByAnyApplicationAreReadByTheLeaderAndRemovedWithTheirLastRun() {
		BeatStore leader = store();
		BeatStore follower = store();
		BeatLease lease = leader.acquire("leader", lease());
		follower.putEntry("poll", "{\"task\":\"feeds.poll\",\"every\":\"PT5M\"}");
		follower.putEntry("cleanup", "{\"task\":\"maintenance.cleanup\",\"cron\":\"0 3 * * *\"}");
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			renew(leader, lease);
			assertThat(leader.entries()).containsEntry("poll", "{\"task\":\"feeds.poll\",\"every\":\"PT5M\"}")
				.containsKey("cleanup")
				.hasSize(2);
		});
		assertThat(leader.recordRun(lease, "poll", null, now())).isTrue();

		follower.putEntry("poll", "{\"task\":\"feeds.poll\",\"every\":\"PT1M\"}");
		follower.removeEntry("cleanup");
		leader.putEntry("mine", "{\"task\":\"mine\",\"every\":\"PT1M\"}");
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			renew(leader, lease);
			assertThat(leader.entries()).containsEntry("poll", "{\"task\":\"feeds.poll\",\"every\":\"PT1M\"}")
				.containsKey("mine")
				.doesNotContainKey("cleanup");
		});
		follower.removeEntry("poll");
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			renew(leader, lease);
			assertThat(leader.entries()).doesNotContainKey("poll");
			assertThat(leader.lastRuns()).doesNotContainKey("poll");
		});
	}

	/**
	 * Take the lead as soon as it is free, within three leases.
	 */
	protected BeatLease awaitLead(BeatStore store, String owner) {
		AtomicReference<@Nullable BeatLease> lease = new AtomicReference<>();
		await().atMost(lease().multipliedBy(3).plusSeconds(5))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> {
				lease.set(store.acquire(owner, lease()));
				return lease.get() != null;
			});
		return lease.get();
	}

	private void renew(BeatStore store, BeatLease lease) {
		assertThat(store.renew(lease, lease())).as("the lease is still held").isTrue();
	}

	private BeatStore store() {
		BeatStore store = createStore();
		this.stores.add(store);
		return store;
	}

	/**
	 * Now, to the millisecond that every store keeps.
	 */
	protected static Instant now() {
		return Instant.now().truncatedTo(ChronoUnit.MILLIS);
	}

}
