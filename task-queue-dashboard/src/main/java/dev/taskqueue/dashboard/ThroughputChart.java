package dev.taskqueue.dashboard;

import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.events.state.Throughput;

/**
 * The throughput charts: inline SVG drawn on the server from {@link Throughput}, one bar per bucket: the fleet's
 * (succeeded below failed) and a queue's (finished); the script fetches them again every few seconds.
 */
final class ThroughputChart {

	private static final int WIDTH = 600;

	private static final int HEIGHT = 120;

	private ThroughputChart() {
	}

	/**
	 * The whole fleet's chart: tasks succeeded, and failed above them.
	 * @param throughput the cluster's throughput
	 * @return the SVG
	 */
	static Html render(Throughput throughput) {
		return draw(throughput, throughput.succeeded(), "succeeded", throughput.failed(), "failed", null);
	}

	/**
	 * One queue's chart: its tasks finished (succeeded or failed), as far as the events said their queue
	 * ({@link Throughput#perQueue()}).
	 * @param throughput the cluster's throughput
	 * @param queue the queue
	 * @return the SVG
	 */
	static Html render(Throughput throughput, String queue) {
		List<Long> finished = throughput.perQueue().getOrDefault(queue, List.of());
		return draw(throughput, finished, "finished", List.of(), "failed", queue);
	}

	private static Html draw(Throughput throughput, List<Long> lower, String lowerClass, List<Long> upper,
			String upperClass, @Nullable String queue) {
		int buckets = Math.max(throughput.succeeded().size(), 1);
		long max = 1;
		long total = 0;
		for (int i = 0; i < buckets; i++) {
			long sum = at(lower, i) + at(upper, i);
			max = Math.max(max, sum);
			total += sum;
		}
		double width = (double) WIDTH / buckets;
		Html svg = new Html();
		svg.open("svg", "id", "throughput", "xmlns", "http://www.w3.org/2000/svg", "viewBox",
				"0 0 " + WIDTH + " " + (HEIGHT + 16), "width", Integer.toString(WIDTH), "height",
				Integer.toString(HEIGHT + 16), "role", "img", "data-total", Long.toString(total), "data-queue", queue);
		svg.element("title", total + " task(s)" + ((queue != null) ? " of " + queue : "") + " finished over the last "
				+ throughput.bucket().multipliedBy(buckets).toMinutes() + " minutes, per "
				+ throughput.bucket().toSeconds() + " s");
		for (int i = 0; i < buckets; i++) {
			long below = at(lower, i);
			long above = at(upper, i);
			double belowHeight = (double) HEIGHT * below / max;
			double aboveHeight = (double) HEIGHT * above / max;
			String x = number(i * width);
			String w = number(Math.max(width - 1, 1));
			if (below > 0) {
				svg.open("rect", "class", lowerClass, "x", x, "y", number(HEIGHT - belowHeight), "width", w, "height",
						number(belowHeight)).close("rect");
			}
			if (above > 0) {
				svg.open("rect", "class", upperClass, "x", x, "y", number(HEIGHT - belowHeight - aboveHeight), "width",
						w, "height", number(aboveHeight)).close("rect");
			}
		}
		svg.open("line", "x1", "0", "y1", Integer.toString(HEIGHT), "x2", Integer.toString(WIDTH), "y2",
				Integer.toString(HEIGHT), "class", "axis").close("line");
		svg.element("text", "max " + max + " per bucket", "x", "4", "y", Integer.toString(HEIGHT + 13), "class",
				"legend");
		return svg.close("svg");
	}

	private static long at(List<Long> counts, int index) {
		return (index < counts.size()) ? counts.get(index) : 0;
	}

	private static String number(double value) {
		return String.format(Locale.ROOT, "%.1f", value);
	}

}
