package dev.taskqueue.prefetch;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import dev.taskqueue.Task;

/**
 * The tasks of {@link PrefetchSemantics}: one that runs until the test releases it, and short ones. The
 * workers run in the test's JVM, so the tasks tell the test what happened through static state: which
 * worker thread (named after its worker) ran what, and in which order.
 */
public class PrefetchTasks {

	private static volatile CountDownLatch release = new CountDownLatch(1);

	private static final Map<String, String> ranOn = new ConcurrentHashMap<>();

	private static final List<String> order = new CopyOnWriteArrayList<>();

	/**
	 * Forget the previous test.
	 */
	static void reset() {
		release.countDown();
		release = new CountDownLatch(1);
		ranOn.clear();
		order.clear();
	}

	/**
	 * Let the long task end.
	 */
	static void release() {
		release.countDown();
	}

	/**
	 * The thread each task started on, by label; a worker's threads are named after the worker.
	 * @return the threads, by label
	 */
	static Map<String, String> ranOn() {
		return ranOn;
	}

	/**
	 * What started and what ended, in order: {@code label} when a task starts, {@code label done} when it ends.
	 * @return the events
	 */
	static List<String> order() {
		return order;
	}

	@Task("prefetch.long")
	public String longTask(String label) throws InterruptedException {
		started(label);
		release.await();
		order.add(label + " done");
		return label;
	}

	@Task("prefetch.short")
	public String shortTask(String label) {
		started(label);
		order.add(label + " done");
		return label;
	}

	private static void started(String label) {
		ranOn.put(label, Thread.currentThread().getName());
		order.add(label);
	}

}
