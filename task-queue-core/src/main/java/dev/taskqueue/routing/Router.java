package dev.taskqueue.routing;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Decides in code where a task goes, as Celery's router functions do. Beans of this type are asked in
 * their {@link org.springframework.core.annotation.Order order}, before the {@code taskqueue.routes} table;
 * the first that answers wins.
 * <pre>{@code
 * @Bean
 * Router tenantRouter() {
 *     return (task, args, kwargs) -> task.startsWith("reports.") && "big".equals(kwargs.get("size"))
 *             ? Route.toQueue("reports-big") : null;
 * }
 * }</pre>
 */
@FunctionalInterface
public interface Router {

	/**
	 * Route a task.
	 * @param taskName the task's name
	 * @param args its positional arguments
	 * @param kwargs its keyword arguments
	 * @return the route, or {@code null} to leave the decision to the next router
	 */
	@Nullable Route route(String taskName, List<?> args, Map<String, ?> kwargs);

}
