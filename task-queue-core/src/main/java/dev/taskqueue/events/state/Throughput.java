package dev.taskqueue.events.state;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * How many tasks the cluster finished over the last minutes, in buckets of equal length, oldest first: from
 * {@link ClusterState#throughput()}, sixty ten-second buckets (ten minutes), the last one the bucket the clock is
 * in now (so partly filled). A task is counted once, in the bucket in which its {@code task-succeeded} or
 * {@code task-failed} was heard.
 *
 * @param start when the first bucket begins
 * @param bucket each bucket's length
 * @param succeeded tasks that succeeded, per bucket
 * @param failed tasks that failed, per bucket
 * @param perQueue tasks finished (succeeded or failed) per bucket for each queue known from the tasks' events;
 * tasks whose queue no event said are counted in {@code succeeded}/{@code failed} only (a {@code task-sent} heard
 * after the task finished still counts it in its queue); only queues with a count in the window are listed, 256
 * queues at most
 */
public record Throughput(Instant start, Duration bucket, List<Long> succeeded, List<Long> failed,
		Map<String, List<Long>> perQueue) {

	public Throughput {
		succeeded = List.copyOf(succeeded);
		failed = List.copyOf(failed);
		perQueue = Map.copyOf(perQueue);
	}

}
