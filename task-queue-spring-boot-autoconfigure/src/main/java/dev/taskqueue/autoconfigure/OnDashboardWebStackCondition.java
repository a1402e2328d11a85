package dev.taskqueue.autoconfigure;

import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;

/**
 * Matches a web application that can serve the dashboard: a servlet one with Spring MVC, or a reactive one with
 * WebFlux. Any other (not web, or a servlet application without Spring MVC) gets no dashboard, and no cluster state
 * fed for nobody to read.
 */
class OnDashboardWebStackCondition extends AnyNestedCondition {

	OnDashboardWebStackCondition() {
		super(ConfigurationPhase.PARSE_CONFIGURATION);
	}

	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	@ConditionalOnClass(name = "org.springframework.web.servlet.function.RouterFunction")
	static class WebMvc {

	}

	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
	@ConditionalOnClass(name = "org.springframework.web.reactive.function.server.RouterFunction")
	static class WebFlux {

	}

}
