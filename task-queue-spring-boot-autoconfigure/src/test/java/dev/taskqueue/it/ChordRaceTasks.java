package dev.taskqueue.it;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.stereotype.Component;

import dev.taskqueue.Task;

/**
 * The tasks of {@link RedisChordRaceIT}: header tasks that finish together (they meet at a barrier the test's
 * workers share, being in its JVM), and a body that counts its runs per chord.
 */
@Component
public class ChordRaceTasks {

	/** Where the header tasks of the chord under way meet. */
	public static volatile CyclicBarrier meeting = new CyclicBarrier(2);

	/** How many times each chord's body ran. */
	public static final Map<String, AtomicInteger> BODY_RUNS = new ConcurrentHashMap<>();

	@Task("chordrace.meet")
	public int meet(int value) throws Exception {
		meeting.await(10, TimeUnit.SECONDS);
		return value;
	}

	@Task("chordrace.body")
	public int body(List<Integer> values, String chord) {
		BODY_RUNS.computeIfAbsent(chord, (key) -> new AtomicInteger()).incrementAndGet();
		return values.stream().mapToInt(Integer::intValue).sum();
	}

}
