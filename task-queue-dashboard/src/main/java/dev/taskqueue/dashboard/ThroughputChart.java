package dev.taskqueue.dashboard;

import java.util.List;
import java.util.Locale;

import dev.taskqueue.events.state.Throughput;

/**
 * The throughput chart: an inline SVG drawn on the server from {@link Throughput}, one bar per bucket, succeeded
 * below failed; the script fetches it again every few seconds.
 */
final class ThroughputChart {

	private static final int WIDTH = 600;

	private static final int HEIGHT = 120;

	private ThroughputChart() {
	}

	static Html render(Throughput throughput) {
		List<Long> succeeded = throughput.succeeded();
		List<Long> failed = throughput.failed();
		int buckets = Math.max(succeeded.size(), 1);
		long max = 1;
		long total = 0;
		for (int i = 0; i < succeeded.size(); i++) {
			long sum = succeeded.get(i) + ((i < failed.size()) ? failed.get(i) : 0);
			max = Math.max(max, sum);
			total += sum;
		}
		double width = (double) WIDTH / buckets;
		Html svg = new Html();
		svg.open("svg", "id", "throughput", "xmlns", "http://www.w3.org/2000/svg", "viewBox",
				"0 0 " + WIDTH + " " + (HEIGHT + 16), "width", Integer.toString(WIDTH), "height",
				Integer.toString(HEIGHT + 16), "role", "img", "data-total", Long.toString(total));
		svg.element("title", total + " task(s) finished over the last "
				+ throughput.bucket().multipliedBy(buckets).toMinutes() + " minutes, per "
				+ throughput.bucket().toSeconds() + " s");
		for (int i = 0; i < succeeded.size(); i++) {
			long ok = succeeded.get(i);
			long ko = (i < failed.size()) ? failed.get(i) : 0;
			double okHeight = (double) HEIGHT * ok / max;
			double koHeight = (double) HEIGHT * ko / max;
			String x = number(i * width);
			String w = number(Math.max(width - 1, 1));
			if (ok > 0) {
				svg.open("rect", "class", "succeeded", "x", x, "y", number(HEIGHT - okHeight), "width", w, "height",
						number(okHeight)).close("rect");
			}
			if (ko > 0) {
				svg.open("rect", "class", "failed", "x", x, "y", number(HEIGHT - okHeight - koHeight), "width", w,
						"height", number(koHeight)).close("rect");
			}
		}
		svg.open("line", "x1", "0", "y1", Integer.toString(HEIGHT), "x2", Integer.toString(WIDTH), "y2",
				Integer.toString(HEIGHT), "class", "axis").close("line");
		svg.element("text", "max " + max + " per bucket", "x", "4", "y", Integer.toString(HEIGHT + 13), "class",
				"legend");
		return svg.close("svg");
	}

	private static String number(double value) {
		return String.format(Locale.ROOT, "%.1f", value);
	}

}
