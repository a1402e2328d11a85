package dev.taskqueue.dashboard;

import java.util.List;
import java.util.Map;


import dev.taskqueue.control.Replies;
import dev.taskqueue.control.ScheduledTask;
import dev.taskqueue.control.TaskControl;
import dev.taskqueue.control.TaskInfo;
import dev.taskqueue.events.state.ClusterState;
import dev.taskqueue.events.state.ObservedWorker;

/**
 * The workers' pages (Flower's Workers tab): the fleet as its events show it, with what remote control adds, and
 * one worker's tasks; its actions: shut down, add or cancel a consumer, grow or shrink the pool.
 */
final class WorkerPages {

	private final ClusterState state;

	private final TaskControl control;

	private final RemoteWorkers remote;

	WorkerPages(ClusterState state, TaskControl control, RemoteWorkers remote) {
		this.state = state;
		this.control = control;
		this.remote = remote;
	}

	Page list(PageRequest request, PageContext context) {
		List<ObservedWorker> workers = this.state.workers();
		RemoteWorkers.Fleet fleet = this.remote.fleet((int) workers.stream().filter(ObservedWorker::online).count());
		return Layout.ok(Layout.page(context, "Workers", (html) -> {
			if (fleet.error() != null) {
				html.element("p", "Remote control did not answer: " + fleet.error(), "class", "warning",
						"id", "control-error");
			}
			html.open("table", "id", "workers").open("thead").open("tr");
			Rows.WORKER_COLUMNS.forEach((column) -> html.element("th", Layout.heading(column), "data-col", column));
			html.close("tr").close("thead").open("tbody");
			for (ObservedWorker worker : workers) {
				Map<String, String> row = Rows.worker(worker);
				List<String> queues = fleet.queues().get(worker.hostname());
				row.put("queues", (queues != null) ? String.join(", ", queues) : "");
				Long concurrency = fleet.concurrency().get(worker.hostname());
				row.put("concurrency", (concurrency != null) ? concurrency.toString() : "");
				html.open("tr", "data-worker", worker.hostname());
				for (String column : Rows.WORKER_COLUMNS) {
					html.open("td", "class", column);
					if (column.equals("name")) {
						html.element("a", worker.hostname(), "href", link(context, worker.hostname()));
					}
					else {
						html.text(row.get(column));
					}
					html.close("td");
				}
				html.close("tr");
			}
			html.close("tbody").close("table");
			if (workers.isEmpty()) {
				html.element("p", "No worker heard of yet: workers appear as their events arrive.", "class", "empty");
			}
		}));
	}

	Page detail(PageRequest request, PageContext context) {
		String name = request.pathVariable("name");
		ObservedWorker worker = this.state.worker(name);
		if (worker == null) {
			throw new NotFoundException("No worker '" + name + "' heard of");
		}
		RemoteWorkers.Inspection inspection = this.remote.inspect(name);
		String self = link(context, name);
		return Layout.ok(Layout.page(context, "Worker " + name, (html) -> {
			html.open("dl", "class", "fields").element("dt", "Name").element("dd", name, "id", "worker-name");
			Rows.worker(worker).forEach((key, value) -> {
				if (!key.equals("name")) {
					html.element("dt", Layout.heading(key)).element("dd", value, "class", key);
				}
			});
			html.close("dl");
			actions(html, context, self, name, inspection);
			if (!inspection.replied()) {
				html.element("p", "The worker did not answer remote control"
						+ ((inspection.error() != null) ? ": " + inspection.error() : "."), "id", "no-reply");
			}
			tasks(html, context, "active", "Active", inspection.active());
			tasks(html, context, "reserved", "Reserved", inspection.reserved());
			scheduled(html, context, inspection.scheduled());
			html.element("h2", "Registered tasks").open("ul", "id", "registered");
			inspection.registered().forEach((task) -> html.element("li", task));
			html.close("ul");
		}));
	}

	private void actions(Html html, PageContext context, String self, String name,
			RemoteWorkers.Inspection inspection) {
		if (context.readOnly()) {
			return;
		}
		html.element("h2", "Actions").open("div", "class", "actions");
		Layout.form(html, context, self + "/shutdown", "shutdown", null, "Shut down " + name + "?", (form) -> {
		}, "Shut down");
		Layout.form(html, context, self + "/pool-grow", "pool-grow", null, "Grow the pool of " + name + " by one?",
				(form) -> {
				}, "Pool +1");
		Layout.form(html, context, self + "/pool-shrink", "pool-shrink", null,
				"Shrink the pool of " + name + " by one?", (form) -> {
				}, "Pool −1");
		Layout.form(html, context, self + "/add-consumer", "add-consumer", null,
				"Have " + name + " consume this queue?",
				(form) -> form.open("input", "type", "text", "name", "queue", "placeholder", "queue", "required",
						"required"),
				"Add consumer");
		html.close("div");
		if (!inspection.queues().isEmpty()) {
			html.element("h2", "Queues").open("ul", "id", "queues");
			for (String queue : inspection.queues()) {
				html.open("li").text(queue + " ");
				Layout.form(html, context, self + "/cancel-consumer", null, "cancel-consumer",
						"Have " + name + " stop consuming " + queue + "?",
						(form) -> Layout.hidden(form, "queue", queue), "Cancel consumer");
				html.close("li");
			}
			html.close("ul");
		}
	}

	private static void tasks(Html html, PageContext context, String id, String title, List<TaskInfo> tasks) {
		html.element("h2", title).open("table", "id", id).open("thead").open("tr")
			.element("th", "Id").element("th", "Name").element("th", "Args").element("th", "Started")
			.close("tr").close("thead").open("tbody");
		for (TaskInfo task : tasks) {
			html.open("tr", "data-task-id", task.id());
			taskCells(html, context, task);
			html.element("td", Rows.time(task.timeStart()), "class", "started").close("tr");
		}
		html.close("tbody").close("table");
	}

	private static void scheduled(Html html, PageContext context, List<ScheduledTask> tasks) {
		html.element("h2", "Scheduled").open("table", "id", "scheduled").open("thead").open("tr")
			.element("th", "Id").element("th", "Name").element("th", "Args").element("th", "Eta")
			.close("tr").close("thead").open("tbody");
		for (ScheduledTask task : tasks) {
			html.open("tr", "data-task-id", task.request().id());
			taskCells(html, context, task.request());
			html.element("td", Rows.time(task.eta()), "class", "eta").close("tr");
		}
		html.close("tbody").close("table");
	}

	private static void taskCells(Html html, PageContext context, TaskInfo task) {
		html.open("td", "class", "id")
			.element("a", task.id(), "href", context.base() + "/tasks/" + Layout.segment(task.id()))
			.close("td")
			.element("td", task.name(), "class", "name")
			.element("td", task.args() + " " + task.kwargs(), "class", "args");
	}

	Page shutdown(PageRequest request, PageContext context) {
		String name = known(request);
		this.control.shutdown(name);
		return Layout.redirect(link(context, name), "Asked " + name + " to shut down");
	}

	Page poolGrow(PageRequest request, PageContext context) {
		String name = known(request);
		return Layout.redirect(link(context, name), said(name, this.control.poolGrow(1, name)));
	}

	Page poolShrink(PageRequest request, PageContext context) {
		String name = known(request);
		return Layout.redirect(link(context, name), said(name, this.control.poolShrink(1, name)));
	}

	Page addConsumer(PageRequest request, PageContext context) {
		String name = known(request);
		String queue = Forms.required(request, "queue");
		return Layout.redirect(link(context, name), said(name, this.control.addConsumer(queue, name)));
	}

	Page cancelConsumer(PageRequest request, PageContext context) {
		String name = known(request);
		String queue = Forms.required(request, "queue");
		return Layout.redirect(link(context, name), said(name, this.control.cancelConsumer(queue, name)));
	}

	private String known(PageRequest request) {
		String name = request.pathVariable("name");
		if (this.state.worker(name) == null) {
			throw new NotFoundException("No worker '" + name + "' heard of");
		}
		return name;
	}

	/** What a worker answered a command, as one line. */
	private static String said(String name, Replies<String> replies) {
		String ok = replies.get(name);
		if (ok != null) {
			return name + ": " + ok;
		}
		String error = replies.errors().get(name);
		return name + ": " + ((error != null) ? "error: " + error : "no reply");
	}

	private static String link(PageContext context, String name) {
		return context.base() + "/workers/" + Layout.segment(name);
	}

}
