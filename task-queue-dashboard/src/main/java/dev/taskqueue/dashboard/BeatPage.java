package dev.taskqueue.dashboard;

import org.jspecify.annotations.Nullable;


import dev.taskqueue.beat.BeatSchedule;
import dev.taskqueue.beat.BeatStatus;

/**
 * The beat's page: who leads, and each entry with its schedule, last and next run, as this application's beat
 * knows them.
 */
final class BeatPage {

	private final @Nullable BeatSchedule beat;

	BeatPage(@Nullable BeatSchedule beat) {
		this.beat = beat;
	}

	Page show(PageRequest request, PageContext context) {
		BeatSchedule schedule = this.beat;
		return Layout.ok(Layout.page(context, "Beat", (html) -> {
			if (schedule == null) {
				html.element("p", "This application runs no beat (taskqueue.beat.enabled).", "id", "no-beat");
				return;
			}
			BeatStatus status = schedule.status();
			html.open("dl", "class", "fields")
				.element("dt", "Leader")
				.element("dd", (status.leader() != null) ? status.leader() : "unknown", "id", "beat-leader")
				.element("dt", "This application")
				.element("dd", status.owner() + (status.leading() ? " (leading)" : ""), "id", "beat-owner")
				.element("dt", "Last tick").element("dd", Rows.time(status.lastTick()), "id", "beat-last-tick")
				.element("dt", "Timezone").element("dd", status.timezone(), "id", "beat-timezone")
				.close("dl");
			if (status.storeError() != null) {
				html.element("p", "The beat's store cannot be reached: " + status.storeError(), "id",
						"broker-error", "class", "warning");
			}
			html.open("table", "id", "beat-entries").open("thead").open("tr")
				.element("th", "Entry").element("th", "Task").element("th", "Schedule").element("th", "Last run")
				.element("th", "Next run").element("th", "Source")
				.close("tr").close("thead").open("tbody");
			for (BeatStatus.Entry entry : status.entries()) {
				html.open("tr", "data-entry", entry.name())
					.element("td", entry.name(), "class", "name")
					.element("td", entry.task(), "class", "task")
					.element("td", entry.schedule(), "class", "schedule")
					.element("td", Rows.time(entry.lastRun()), "class", "last-run")
					.element("td", Rows.time(entry.nextRun()), "class", "next-run")
					.element("td", entry.source(), "class", "source")
					.close("tr");
			}
			html.close("tbody").close("table");
		}));
	}

}
