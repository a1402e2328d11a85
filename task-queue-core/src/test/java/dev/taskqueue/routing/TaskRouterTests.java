package dev.taskqueue.routing;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.taskqueue.SendOptions;
import dev.taskqueue.Task;
import dev.taskqueue.registry.TaskDefinition;
import dev.taskqueue.registry.TaskOptions;
import dev.taskqueue.registry.TaskRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class TaskRouterTests {

	@Test
	void anExactPatternMatchesOnlyThatName() {
		TaskNamePattern pattern = TaskNamePattern.of("reports.render");
		assertThat(pattern.matches("reports.render")).isTrue();
		assertThat(pattern.matches("reports.renderer")).isFalse();
		assertThat(pattern.matches("reportsXrender")).isFalse();
	}

	@Test
	void aGlobMatchesTheWholeNameWithDotsTakenLiterally() {
		TaskNamePattern pattern = TaskNamePattern.of("reports.*");
		assertThat(pattern.matches("reports.render")).isTrue();
		assertThat(pattern.matches("reports.pdf.render")).isTrue();
		assertThat(pattern.matches("reportsXrender")).isFalse();
		assertThat(pattern.matches("old.reports.render")).isFalse();
		assertThat(TaskNamePattern.of("email?.send").matches("emails.send")).isTrue();
		assertThat(TaskNamePattern.of("email?.send").matches("email.send")).isFalse();
	}

	@Test
	void aRegularExpressionMatchesTheWholeName() {
		TaskNamePattern pattern = TaskNamePattern.of("regex:(emails|sms)\\.send(_.*)?");
		assertThat(pattern.matches("emails.send")).isTrue();
		assertThat(pattern.matches("sms.send_bulk")).isTrue();
		assertThat(pattern.matches("push.send")).isFalse();
		assertThat(pattern.matches("emails.send.later")).isFalse();
	}

	@Test
	void anInvalidExpressionIsRefusedNamingIt() {
		assertThatIllegalArgumentException().isThrownBy(() -> TaskNamePattern.of("regex:(["))
			.withMessageContaining("Route pattern 'regex:(['");
		assertThatIllegalArgumentException().isThrownBy(() -> TaskNamePattern.of(" "));
	}

	@Test
	void theFirstMatchingLineOfTheTableWins() {
		RouteTable table = new RouteTable(List.of(entry("reports.urgent", "urgent"), entry("reports.*", "reports"),
				entry("regex:.*", "everything")));
		assertThat(table.route("reports.urgent", List.of(), Map.of()).queue()).isEqualTo("urgent");
		assertThat(table.route("reports.daily", List.of(), Map.of()).queue()).isEqualTo("reports");
		assertThat(table.route("emails.send", List.of(), Map.of()).queue()).isEqualTo("everything");
		assertThat(new RouteTable(List.of()).route("x", List.of(), Map.of())).isNull();
	}

	@Test
	void precedenceIsCallThenRoutersThenTaskThenDefaults() throws Exception {
		TaskRegistry registry = new TaskRegistry(Map.of("yaml.only", new TaskOptions("yaml-queue", null, null, null,
				null, "msgpack", null, null)));
		registry.register(new TaskDefinition("annotated", new Object(), Object.class.getMethod("toString"),
				new TaskOptions("task-queue", 3, null, null, null, "yaml", "bzip2", Duration.ofMinutes(1))));
		Router user = (name, args, kwargs) -> "big".equals(kwargs.get("size"))
				? new Route("big", null, null, 9, null, null, null) : null;
		RouteTable table = new RouteTable(List.of(new RouteTable.Entry(TaskNamePattern.of("routed.*"),
				new Route("table-queue", "tasks", "routed.key", 5, Duration.ofSeconds(30), "json", "zlib"))));
		TaskRouter router = TaskRouter.builder(registry)
			.routers(List.of(user, table))
			.defaultQueue("default-queue")
			.defaultSerializer("json")
			.build();

		// nothing but defaults
		assertThat(router.route("plain", List.of(), Map.of(), SendOptions.defaults()))
			.isEqualTo(new Route("default-queue", null, null, null, null, "json", null));
		// the task's own settings (annotation), and configured ones for a task declared elsewhere
		assertThat(router.route("annotated", List.of(), Map.of(), SendOptions.defaults()))
			.isEqualTo(new Route("task-queue", null, null, 3, Duration.ofMinutes(1), "yaml", "bzip2"));
		assertThat(router.route("yaml.only", List.of(), Map.of(), SendOptions.defaults()))
			.isEqualTo(new Route("yaml-queue", null, null, null, null, "msgpack", null));
		// the table over the task
		assertThat(router.route("routed.x", List.of(), Map.of(), SendOptions.defaults()))
			.isEqualTo(new Route("table-queue", "tasks", "routed.key", 5, Duration.ofSeconds(30), "json", "zlib"));
		// a user router before the table, deciding on the arguments
		assertThat(router.route("routed.x", List.of(), Map.of("size", "big"), SendOptions.defaults()).queue())
			.isEqualTo("big");
		// the call over everything; a call's queue is reached through the default exchange
		Route call = router.route("routed.x", List.of(), Map.of("size", "big"),
				SendOptions.defaults().withQueue("call-queue").withPriority(1).withSerializer("msgpack"));
		assertThat(call).isEqualTo(new Route("call-queue", null, null, 1, null, "msgpack", null));
	}

	@Test
	void annotationSettingsBecomeTaskOptions() throws Exception {
		Method method = Annotated.class.getDeclaredMethod("render");
		TaskOptions options = TaskOptions.of(method.getAnnotation(Task.class));
		assertThat(options).isEqualTo(new TaskOptions("reports", 4, Task.Acks.EARLY, null, true, "msgpack", "gzip",
				Duration.ofSeconds(90)));
	}

	private static RouteTable.Entry entry(String pattern, String queue) {
		return new RouteTable.Entry(TaskNamePattern.of(pattern), Route.toQueue(queue));
	}

	static class Annotated {

		@Task(name = "reports.render", queue = "reports", priority = 4, acks = Task.Acks.EARLY, trackStarted = true,
				serializer = "msgpack", compression = "gzip", expires = "90s")
		void render() {
		}

	}

}
