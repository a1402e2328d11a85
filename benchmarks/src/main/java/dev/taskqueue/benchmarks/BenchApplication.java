package dev.taskqueue.benchmarks;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;

import dev.taskqueue.Task;
import dev.taskqueue.control.TaskControl;
import dev.taskqueue.dashboard.ClusterFeed;
import dev.taskqueue.events.EventReceiver;
import dev.taskqueue.events.state.ClusterState;
import dev.taskqueue.listener.TaskListener;

/**
 * The application the benchmarks start, as a user would write it: one trivial task.
 */
@SpringBootApplication
public class BenchApplication {

	@Bean
	BenchTasks benchTasks() {
		return new BenchTasks();
	}

	/**
	 * With {@code --observability=true}: one listener that does nothing, as an application's own hook would cost.
	 * @return the listener
	 */
	@Bean
	@ConditionalOnBooleanProperty("bench.observability")
	TaskListener noOpTaskListener() {
		return new TaskListener() {
		};
	}

	/**
	 * With {@code --events=dashboard}: the dashboard's cluster state, fed from the events in this application as the
	 * dashboard's auto-configuration feeds it (the pages and their streams cost nothing while no tab is open).
	 * @return the state
	 */
	@Bean
	@ConditionalOnBooleanProperty("bench.dashboard")
	ClusterState benchClusterState() {
		return new ClusterState();
	}

	@Bean
	@ConditionalOnBooleanProperty("bench.dashboard")
	ClusterFeed benchClusterFeed(EventReceiver receiver, ClusterState state, TaskControl control) {
		return new ClusterFeed(receiver, state, control, false);
	}

	/**
	 * The task measured: {@code sample.add}'s twin, counting its runs.
	 */
	public static class BenchTasks {

		final AtomicLong runs = new AtomicLong();

		@Task("bench.add")
		public long add(long x, long y) {
			this.runs.incrementAndGet();
			return x + y;
		}

		/**
		 * The body of the chord scenario: the sum of its header's results.
		 * @param values the header's results
		 * @return their sum
		 */
		@Task("bench.sum")
		public long sum(List<Long> values) {
			return values.stream().mapToLong(Long::longValue).sum();
		}

	}

}
