package dev.taskqueue.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * Runs of one Redis script for many items, sent as few as possible without holding any back: an item
 * submitted while a run is under way goes with the next one, sent as soon as that run replies. At rest each
 * item is sent at once; under load one run carries a batch (at most {@code maxBatch}), so Redis' time per
 * script run and the client's per command are paid per batch, and no item waits on a timer.
 * <p>
 * An item is therefore not always sent before a command the application sends after it: it is sent within a
 * round trip. {@link #awaitIdle(Duration)} waits for every item submitted so far.
 *
 * @param <T> an item
 * @param <R> what a run gives for each item
 */
final class CoalescedRuns<T, R> {

	private final Function<List<T>, CompletableFuture<List<R>>> run;

	private final int maxBatch;

	private List<Pending<T, R>> waiting = new ArrayList<>();

	private boolean sending;

	/**
	 * Create the runs.
	 * @param run sends one run for a batch of items; its future gives one result per item, in their order
	 * @param maxBatch the most items in one run
	 */
	CoalescedRuns(Function<List<T>, CompletableFuture<List<R>>> run, int maxBatch) {
		if (maxBatch < 1) {
			throw new IllegalArgumentException("maxBatch must be at least 1, not " + maxBatch);
		}
		this.run = run;
		this.maxBatch = maxBatch;
	}

	/**
	 * Submit an item: it is sent now, or with the next run if one is under way.
	 * @param item the item
	 * @return its result, once its run replied; failed if the run failed
	 */
	CompletableFuture<R> submit(T item) {
		Pending<T, R> pending = new Pending<>(item, new CompletableFuture<>());
		List<Pending<T, R>> batch;
		synchronized (this) {
			this.waiting.add(pending);
			if (this.sending) {
				return pending.result();
			}
			this.sending = true;
			batch = take();
		}
		send(batch);
		return pending.result();
	}

	/**
	 * Send batches until none is waiting: in a loop while runs complete at once (a synchronous connection),
	 * from the reply's callback while they do not.
	 */
	private void send(@Nullable List<Pending<T, R>> batch) {
		while (batch != null) {
			List<Pending<T, R>> sent = batch;
			CompletableFuture<List<R>> reply = start(sent);
			if (!reply.isDone()) {
				reply.whenComplete((results, failure) -> {
					complete(sent, results, failure);
					send(next());
				});
				return;
			}
			reply.whenComplete((results, failure) -> complete(sent, results, failure));
			batch = next();
		}
	}

	private CompletableFuture<List<R>> start(List<Pending<T, R>> batch) {
		try {
			return this.run.apply(batch.stream().map(Pending::item).toList());
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	private void complete(List<Pending<T, R>> batch, @Nullable List<R> results, @Nullable Throwable failure) {
		if (failure instanceof CompletionException && failure.getCause() != null) {
			failure = failure.getCause();
		}
		if (failure == null && (results == null || results.size() != batch.size())) {
			failure = new IllegalStateException("A script run for " + batch.size() + " items gave "
					+ ((results != null) ? results.size() : "no") + " results");
		}
		for (int i = 0; i < batch.size(); i++) {
			CompletableFuture<R> result = batch.get(i).result();
			if (failure != null) {
				result.completeExceptionally(failure);
			}
			else {
				result.complete(results.get(i));
			}
		}
	}

	/** The next batch, or {@code null} (and no longer sending) when none is waiting. */
	private synchronized @Nullable List<Pending<T, R>> next() {
		if (this.waiting.isEmpty()) {
			this.sending = false;
			notifyAll();
			return null;
		}
		return take();
	}

	private List<Pending<T, R>> take() {
		if (this.waiting.size() <= this.maxBatch) {
			List<Pending<T, R>> batch = this.waiting;
			this.waiting = new ArrayList<>();
			return batch;
		}
		List<Pending<T, R>> head = this.waiting.subList(0, this.maxBatch);
		List<Pending<T, R>> batch = new ArrayList<>(head);
		head.clear();
		return batch;
	}

	/**
	 * Wait until every item submitted so far has been sent and answered.
	 * @param timeout how long to wait at most
	 * @return whether they all were
	 * @throws InterruptedException if interrupted while waiting
	 */
	synchronized boolean awaitIdle(Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (this.sending) {
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				return false;
			}
			wait(Math.max(1, left / 1_000_000));
		}
		return true;
	}

	private record Pending<T, R>(T item, CompletableFuture<R> result) {
	}

}
