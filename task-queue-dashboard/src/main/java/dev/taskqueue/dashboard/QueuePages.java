package dev.taskqueue.dashboard;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.web.util.UriUtils;

import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.DeadLetter;
import dev.taskqueue.broker.DeadLetterQueue;
import dev.taskqueue.events.state.ClusterState;
import dev.taskqueue.events.state.ObservedWorker;
import dev.taskqueue.events.state.Throughput;
import dev.taskqueue.protocol.ProtocolHeaders;
import dev.taskqueue.worker.QueueOverview;

/**
 * The queues' pages (Flower's Broker tab): depth, consumers and dead letters per queue with the throughput chart;
 * one queue's dead letters; its actions: purge a queue, redrive or drop its dead letters.
 */
final class QueuePages {

	/** How many dead letters a queue's page lists at most. */
	static final int LETTER_LIMIT = 200;

	private final ClusterState state;

	private final QueueOverview queues;

	private final Broker broker;

	private final RemoteWorkers remote;

	QueuePages(ClusterState state, QueueOverview queues, Broker broker, RemoteWorkers remote) {
		this.state = state;
		this.queues = queues;
		this.broker = broker;
		this.remote = remote;
	}

	Page list(PageRequest request, PageContext context) {
		QueueOverview.Report report = read();
		RemoteWorkers.Fleet fleet = this.remote.fleet(online());
		Html page = Layout.page(context, "Queues", (html) -> {
			brokerErrors(html, report);
			html.open("table", "id", "queues").open("thead").open("tr")
				.element("th", "Queue").element("th", "Depth").element("th", "Consumers")
				.element("th", "Dead letters").element("th", "")
				.close("tr").close("thead").open("tbody");
			for (QueueOverview.QueueStatus queue : report.queues().values()) {
				String self = link(context, queue.name());
				long consumers = Math.max(fleet.consumers(queue.name()), queue.consumed() ? 1 : 0);
				html.open("tr", "data-queue", queue.name())
					.open("td", "class", "name").element("a", queue.name(), "href", self).close("td")
					.element("td", (queue.depth() != null) ? queue.depth() : "?", "class", "depth")
					.element("td", consumers, "class", "consumers")
					.element("td", (queue.deadLetters() != null) ? queue.deadLetters() : "", "class", "dead-letters")
					.open("td", "class", "actions");
				Layout.form(html, context, self + "/purge", null, "purge",
						"Drop every message waiting in " + queue.name() + "?", (form) -> {
						}, "Purge");
				html.close("td").close("tr");
			}
			html.close("tbody").close("table");
			html.element("h2", "Throughput").open("div", "id", "throughput-chart", "data-src",
					context.base() + "/throughput.svg");
			html.append(ThroughputChart.render(this.state.throughput()));
			html.close("div");
		});
		return Layout.html(report.errors().isEmpty() ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE, page);
	}

	/** {@code {path}/throughput.svg}: the fleet's chart, or with {@code ?queue=} a queue's. */
	Page throughput(PageRequest request, PageContext context) {
		String queue = request.param("queue").filter((name) -> !name.isBlank()).orElse(null);
		Throughput throughput = this.state.throughput();
		Html chart = (queue != null) ? ThroughputChart.render(throughput, queue) : ThroughputChart.render(throughput);
		return Page.ok(Page.SVG, chart.toString());
	}

	Page detail(PageRequest request, PageContext context) {
		String name = known(request);
		QueueOverview.QueueStatus queue = this.queues.read(name);
		DeadLetterQueue letters = this.queues.deadLetterQueue();
		List<DeadLetter> list = (letters != null && queue.error() == null) ? letters.listDeadLetters(name, LETTER_LIMIT)
				.stream()
				.sorted(Comparator.comparing(DeadLetter::rejectedAt))
				.toList() : List.of();
		String self = link(context, name);
		Html page = Layout.page(context, "Queue " + name, (html) -> {
			if (queue.error() != null) {
				html.element("p", "The broker cannot be reached: " + queue.error(), "id", "broker-error",
						"class", "warning");
			}
			html.open("dl", "class", "fields")
				.element("dt", "Depth").element("dd", (queue.depth() != null) ? queue.depth() : "?", "id", "depth")
				.element("dt", "Dead letters")
				.element("dd", (queue.deadLetters() != null) ? queue.deadLetters() : "", "id", "dead-letter-count")
				.close("dl");
			html.element("h2", "Throughput")
				.open("div", "id", "throughput-chart", "data-src", context.base() + "/throughput.svg?queue="
						+ UriUtils.encodeQueryParam(name, StandardCharsets.UTF_8));
			html.append(ThroughputChart.render(this.state.throughput(), name));
			html.close("div")
				.element("p", "Counted for the tasks whose task-sent event was heard (Celery's task_send_sent_event, "
						+ "taskqueue.events.task-sent): no other event says a task's queue.", "class", "note");
			if (letters == null) {
				html.element("p", "This broker keeps no dead letters.", "id", "no-dead-letters");
				return;
			}
			html.element("h2", "Dead letters").open("div", "class", "actions");
			Layout.form(html, context, self + "/redrive", "redrive-all", null,
					"Publish every dead letter of " + name + " back to it?", (form) -> {
					}, "Redrive all");
			Layout.form(html, context, self + "/purge-dead-letters", "purge-dead-letters", null,
					"Drop every dead letter of " + name + "?", (form) -> {
					}, "Drop all");
			html.close("div");
			html.open("table", "id", "dead-letters").open("thead").open("tr")
				.element("th", "Task").element("th", "Reason").element("th", "Rejected").element("th", "")
				.close("tr").close("thead").open("tbody");
			for (DeadLetter letter : list) {
				Object taskId = letter.envelope().headers().get(ProtocolHeaders.ID);
				html.open("tr", "data-letter-id", letter.id())
					.open("td", "class", "task")
					.text(Rows.orEmpty(letter.envelope().taskName()))
					.text(" ");
				if (taskId != null) {
					html.element("a", taskId, "href", context.base() + "/tasks/" + Layout.segment(taskId.toString()));
				}
				html.close("td")
					.element("td", letter.reason(), "class", "reason")
					.element("td", Rows.time(letter.rejectedAt()), "class", "rejected")
					.open("td", "class", "actions");
				Layout.form(html, context, self + "/redrive", null, "redrive", "Publish this dead letter back to "
						+ name + "?", (form) -> Layout.hidden(form, "id", letter.id()), "Redrive");
				html.close("td").close("tr");
			}
			html.close("tbody").close("table");
		});
		return Layout.html((queue.error() == null) ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE, page);
	}

	Page purge(PageRequest request, PageContext context) {
		String name = known(request);
		int purged = this.broker.purge(name);
		return Layout.redirect(context.base() + "/queues", "Purged " + purged + " message(s) from " + name);
	}

	Page redrive(PageRequest request, PageContext context) {
		String name = known(request);
		DeadLetterQueue letters = requireDeadLetters();
		String id = request.param("id").filter((value) -> !value.isBlank()).orElse(null);
		if (id != null) {
			if (!letters.redriveDeadLetter(id)) {
				throw new NotFoundException("No dead letter '" + id + "' of queue '" + name + "'");
			}
			return Layout.redirect(link(context, name), "Redrove dead letter " + id + " to " + name);
		}
		int redriven = letters.redriveDeadLetters(name);
		return Layout.redirect(link(context, name), "Redrove " + redriven + " dead letter(s) to " + name);
	}

	Page purgeDeadLetters(PageRequest request, PageContext context) {
		String name = known(request);
		int purged = requireDeadLetters().purgeDeadLetters(name);
		return Layout.redirect(link(context, name), "Dropped " + purged + " dead letter(s) of " + name);
	}

	private DeadLetterQueue requireDeadLetters() {
		DeadLetterQueue letters = this.queues.deadLetterQueue();
		if (letters == null) {
			throw new BadFormException(this.broker.getClass().getSimpleName() + " keeps no dead letters");
		}
		return letters;
	}

	/** The queue of the path, if the application, the events or the dead letters know it. */
	private String known(PageRequest request) {
		String name = request.pathVariable("name");
		if (this.queues.knownQueues().contains(name)
				|| this.state.throughput().perQueue().containsKey(name)) {
			return name;
		}
		QueueOverview.Report report = read();
		if (!report.queues().containsKey(name)) {
			throw new NotFoundException("No queue '" + name + "' known: " + report.queues().keySet());
		}
		return name;
	}

	private QueueOverview.Report read() {
		return this.queues.read(this.state.throughput().perQueue().keySet());
	}

	private int online() {
		return (int) this.state.workers().stream().filter(ObservedWorker::online).count();
	}

	private static void brokerErrors(Html html, QueueOverview.Report report) {
		if (!report.errors().isEmpty()) {
			html.element("p", "The broker cannot be reached: " + report.errors().values().iterator().next(),
					"id", "broker-error", "class", "warning");
		}
	}

	private static String link(PageContext context, String name) {
		return context.base() + "/queues/" + Layout.segment(name);
	}

}
