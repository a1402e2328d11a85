package dev.taskqueue.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

import dev.taskqueue.dashboard.TaskQueueDashboard;
import dev.taskqueue.dashboard.WebFluxDashboardRoutes;

/**
 * The dashboard's routes in a WebFlux application.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass(RouterFunction.class)
class DashboardWebFluxConfiguration {

	@Bean
	RouterFunction<ServerResponse> taskQueueDashboardRoutes(TaskQueueDashboard dashboard) {
		return WebFluxDashboardRoutes.routes(dashboard);
	}

}
