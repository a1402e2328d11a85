package dev.taskqueue.dashboard;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTML writer escapes whatever the cluster says: a task's name, arguments or traceback is chosen by whoever
 * sends the task, and must never become markup in the dashboard.
 */
class DashboardHtmlTests {

	@Test
	void textIsEscaped() {
		String html = new Html().element("td", "<script>alert('x')</script> & \"more\"", "class", "name").toString();
		assertThat(html)
			.isEqualTo("<td class=\"name\">&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;more&quot;</td>");
	}

	@Test
	void attributeValuesAreEscapedSoThatTheyCannotCloseTheirQuotes() {
		String html = new Html().open("tr", "data-task-id", "\" onmouseover=\"alert(1)").close("tr").toString();
		assertThat(html).isEqualTo("<tr data-task-id=\"&quot; onmouseover=&quot;alert(1)\"></tr>");
	}

	@Test
	void nullAttributesAreLeftOutAndBooleanOnesWrittenBare() {
		String html = new Html().open("option", "value", "SUCCESS", "selected", null, "id", null)
			.open("input", "name", "name", "required", "required")
			.toString();
		assertThat(html).isEqualTo("<option value=\"SUCCESS\"><input name=\"name\" required>");
	}

	@Test
	void nullTextWritesNothingAndPlainTextIsUnchanged() {
		assertThat(new Html().element("pre", null, "id", "task-traceback")).hasToString(
				"<pre id=\"task-traceback\"></pre>");
		assertThat(Html.escape("tasks.add 12:00")).isEqualTo("tasks.add 12:00");
	}

	@Test
	void aTaskWhoseNameAndArgumentsAreScriptsIsShownAsText() throws Exception {
		ClusterFixture cluster = new ClusterFixture();
		cluster.workerOnline("w1@host");
		cluster.task("task-received", "t-xss", "w1@host", "name", "<script>alert(1)</script>", "args",
				"('<img src=x onerror=alert(2)>',)", "kwargs", "{}");
		String list = cluster.mvc(true)
			.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get("/taskqueue/tasks"))
			.andReturn()
			.getResponse()
			.getContentAsString();
		String detail = cluster.mvc(true)
			.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get("/taskqueue/tasks/t-xss"))
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(list).contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>alert");
		assertThat(detail).contains("&lt;img src=x onerror=alert(2)&gt;").doesNotContain("<img");
	}

}
