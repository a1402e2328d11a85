package dev.taskqueue.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerResponse;

import dev.taskqueue.dashboard.TaskQueueDashboard;
import dev.taskqueue.dashboard.WebMvcDashboardRoutes;

/**
 * The dashboard's routes in a Spring MVC application.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(RouterFunction.class)
class DashboardWebMvcConfiguration {

	@Bean
	RouterFunction<ServerResponse> taskQueueDashboardRoutes(TaskQueueDashboard dashboard) {
		return WebMvcDashboardRoutes.routes(dashboard);
	}

}
