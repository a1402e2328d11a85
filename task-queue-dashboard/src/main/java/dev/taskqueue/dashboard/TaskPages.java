package dev.taskqueue.dashboard;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;


import dev.taskqueue.control.Replies;
import dev.taskqueue.control.TaskControl;
import dev.taskqueue.events.state.ClusterState;
import dev.taskqueue.events.state.ObservedTask;
import dev.taskqueue.events.state.TaskQuery;

/**
 * The tasks' pages (Flower's Tasks tab): the recent tasks across the fleet, newest first, filtered by state, name
 * and worker, searched by id; one task with its arguments, outcome and traceback; its actions: revoke (and
 * terminate), rate-limit its name.
 */
final class TaskPages {

	/** How many tasks the list shows at most. */
	static final int LIST_LIMIT = 500;

	/** Celery's states, for the filter. */
	private static final List<String> STATES = List.of("PENDING", "RECEIVED", "STARTED", "SUCCESS", "FAILURE",
			"RETRY", "REVOKED", "REJECTED");

	private final ClusterState state;

	private final TaskControl control;

	TaskPages(ClusterState state, TaskControl control) {
		this.state = state;
		this.control = control;
	}

	Page list(PageRequest request, PageContext context) {
		String id = param(request, "id");
		if (id != null) {
			if (this.state.task(id) != null) {
				return Page.seeOther(java.net.URI.create(link(context, id)));
			}
			context = context.withFlash("No task " + id + " in the history");
		}
		TaskQuery query = new TaskQuery(param(request, "state"), param(request, "name"), param(request, "worker"),
				LIST_LIMIT);
		List<ObservedTask> tasks = this.state.tasks(query);
		PageContext page = context;
		return Layout.ok(Layout.page(context, "Tasks", (html) -> {
			filters(html, page, query);
			html.open("table", "id", "tasks", "data-state", query.state(), "data-name", query.name(), "data-worker",
					query.worker())
				.open("thead")
				.open("tr");
			Rows.TASK_COLUMNS.forEach((column) -> html.element("th", Layout.heading(column), "data-col", column));
			html.close("tr").close("thead").open("tbody");
			for (ObservedTask task : tasks) {
				row(html, page, task);
			}
			html.close("tbody").close("table");
		}));
	}

	private static void filters(Html html, PageContext context, TaskQuery query) {
		html.open("div", "class", "filters");
		html.open("form", "id", "filter", "method", "get", "action", context.base() + "/tasks")
			.open("select", "name", "state")
			.element("option", "any state", "value", "");
		for (String state : STATES) {
			html.element("option", state, "value", state, "selected", state.equals(query.state()) ? "selected" : null);
		}
		html.close("select")
			.open("input", "type", "text", "name", "name", "placeholder", "task name", "value", query.name())
			.open("input", "type", "text", "name", "worker", "placeholder", "worker", "value", query.worker())
			.element("button", "Filter", "type", "submit")
			.close("form");
		html.open("form", "id", "search", "method", "get", "action", context.base() + "/tasks")
			.open("input", "type", "search", "name", "id", "placeholder", "task id")
			.element("button", "Find", "type", "submit")
			.close("form");
		html.close("div");
	}

	private static void row(Html html, PageContext context, ObservedTask task) {
		Map<String, String> row = Rows.task(task);
		html.open("tr", "data-task-id", task.id(), "data-state", task.state());
		for (String column : Rows.TASK_COLUMNS) {
			html.open("td", "class", column);
			if (column.equals("id")) {
				html.element("a", task.id(), "href", link(context, task.id()));
			}
			else {
				html.text(row.get(column));
			}
			html.close("td");
		}
		html.close("tr");
	}

	Page detail(PageRequest request, PageContext context) {
		ObservedTask task = known(request);
		return Layout.ok(Layout.page(context, "Task " + task.id(), (html) -> {
			html.open("dl", "class", "fields");
			field(html, "Id", "task-id", task.id());
			field(html, "Name", "task-name", task.name());
			html.element("dt", "State").element("dd", task.state(), "id", "task-state", "data-state", task.state());
			html.element("dt", "Worker").open("dd", "id", "task-worker");
			if (task.worker() != null) {
				html.element("a", task.worker(), "href",
						context.base() + "/workers/" + Layout.segment(task.worker()));
			}
			html.close("dd");
			field(html, "Queue", "task-queue", task.queue());
			field(html, "Args", "task-args", task.args());
			field(html, "Kwargs", "task-kwargs", task.kwargs());
			field(html, "Result", "task-result", task.result());
			field(html, "Exception", "task-exception", task.exception());
			field(html, "Retries", "task-retries", Integer.toString(task.retries()));
			field(html, "Sent", "task-sent", Rows.time(task.sent()));
			field(html, "Received", "task-received", Rows.time(task.received()));
			field(html, "Started", "task-started", Rows.time(task.started()));
			field(html, "Finished", "task-finished", Rows.time(task.finished()));
			field(html, "Runtime", "task-runtime", Rows.runtime(task.runtime()));
			field(html, "Eta", "task-eta", task.eta());
			field(html, "Expires", "task-expires", task.expires());
			html.element("dt", "Parent").open("dd", "id", "task-parent");
			if (task.parentId() != null) {
				html.element("a", task.parentId(), "class", "parent", "href", link(context, task.parentId()));
			}
			html.close("dd").element("dt", "Children").open("dd", "id", "task-children");
			for (String child : task.children()) {
				html.element("a", child, "class", "child", "href", link(context, child)).text(" ");
			}
			html.close("dd").close("dl");
			html.element("h2", "Traceback").element("pre", task.traceback(), "id", "task-traceback");
			actions(html, context, task);
		}));
	}

	private static void field(Html html, String label, String id, @Nullable String value) {
		html.element("dt", label).element("dd", value, "id", id);
	}

	private static void actions(Html html, PageContext context, ObservedTask task) {
		if (context.readOnly()) {
			return;
		}
		String self = link(context, task.id());
		html.element("h2", "Actions").open("div", "class", "actions");
		Layout.form(html, context, self + "/revoke", "revoke", null, "Revoke task " + task.id() + "?",
				(form) -> form.open("label")
					.open("input", "type", "checkbox", "name", "terminate", "value", "true")
					.text(" terminate if running")
					.close("label"),
				"Revoke");
		if (task.name() != null) {
			Layout.form(html, context, self + "/rate-limit", "rate-limit", null,
					"Set the rate limit of " + task.name() + " on every worker?",
					(form) -> form.open("input", "type", "text", "name", "rate", "placeholder", "10/m", "required",
							"required"),
					"Rate limit " + task.name());
		}
		html.close("div");
	}

	Page revoke(PageRequest request, PageContext context) {
		String id = request.pathVariable("id");
		boolean terminate = Forms.checked(request, "terminate");
		// a task not (or no longer) in the history may still be revoked, as Celery's revoke takes any id
		this.control.revoke(id, terminate);
		return Layout.redirect(link(context, id), "Revoked " + id + (terminate ? " (terminate)" : ""));
	}

	Page rateLimit(PageRequest request, PageContext context) {
		ObservedTask task = known(request);
		String rate = Forms.required(request, "rate");
		String name = task.name();
		if (name == null) {
			throw new BadFormException("The name of task " + task.id() + " is not known yet");
		}
		Replies<String> replies = this.control.rateLimit(name, rate);
		return Layout.redirect(link(context, task.id()), "Rate limit of " + name + " set to " + rate + ": "
				+ replies.values().size() + " worker(s) answered, " + replies.errors().size() + " refused");
	}

	private ObservedTask known(PageRequest request) {
		String id = request.pathVariable("id");
		ObservedTask task = this.state.task(id);
		if (task == null) {
			throw new NotFoundException("No task " + id + " in the history");
		}
		return task;
	}

	private static @Nullable String param(PageRequest request, String name) {
		return request.param(name).map(String::trim).filter((value) -> !value.isEmpty()).orElse(null);
	}

	private static String link(PageContext context, String id) {
		return context.base() + "/tasks/" + Layout.segment(id);
	}

}
