package dev.taskqueue.dashboard;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mock.web.MockServletContext;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.support.AnnotationConfigWebApplicationContext;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers.springSecurity;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The dashboard behind Spring Security, as the README shows it: a {@link SecurityFilterChain} that asks for a login
 * under the dashboard's path. Anonymous visitors are sent to log in; a POST without the CSRF token is refused; the
 * pages carry the token in their action forms, and with it an action goes through.
 */
class DashboardSecurityTests {

	private static final ClusterFixture cluster = new ClusterFixture();

	private AnnotationConfigWebApplicationContext context;

	private MockMvc mvc;

	@BeforeEach
	void start() {
		this.context = new AnnotationConfigWebApplicationContext();
		this.context.setServletContext(new MockServletContext());
		this.context.register(SecuredApplication.class);
		this.context.refresh();
		this.mvc = MockMvcBuilders.webAppContextSetup(this.context).apply(springSecurity()).build();
	}

	@AfterEach
	void stop() {
		this.context.close();
	}

	@Test
	void anAnonymousVisitorIsSentToLogIn() throws Exception {
		this.mvc.perform(get("/taskqueue/tasks")).andExpect(status().is3xxRedirection())
			.andExpect(header().string("Location", endsWith("/login")));
	}

	@Test
	void aPostWithoutTheCsrfTokenIsRefused() throws Exception {
		this.mvc.perform(post("/taskqueue/tasks/t-csrf/revoke").with(user("admin").roles("ADMIN")))
			.andExpect(status().isForbidden());
		assertThat(cluster.revocations.isRevoked("t-csrf")).isFalse();
	}

	@Test
	void theFormsCarryTheCsrfTokenAndAnActionWithItGoesThrough() throws Exception {
		cluster.task("task-started", "t-secured", "celery@py1", "name", "sample.sleep");
		String page = this.mvc.perform(get("/taskqueue/tasks/t-secured").with(user("admin").roles("ADMIN")))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(page).containsPattern("<form id=\"revoke\"[^>]*><input type=\"hidden\" name=\"_csrf\" value=\"[^\"]+\">");

		this.mvc.perform(post("/taskqueue/tasks/t-secured/revoke").with(user("admin").roles("ADMIN")).with(csrf()))
			.andExpect(status().isSeeOther());
		assertThat(cluster.revocations.isRevoked("t-secured")).isTrue();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebMvc
	@EnableWebSecurity
	static class SecuredApplication {

		@Bean
		RouterFunction<ServerResponse> dashboard() {
			return WebMvcDashboardRoutes.routes(cluster.dashboard(false));
		}

		@Bean
		SecurityFilterChain dashboardSecurity(HttpSecurity http) throws Exception {
			return http.securityMatcher("/taskqueue/**", "/login")
				.authorizeHttpRequests((requests) -> requests.anyRequest().hasRole("ADMIN"))
				.formLogin(Customizer.withDefaults())
				.build();
		}

		@Bean
		UserDetailsService users() {
			return new InMemoryUserDetailsManager(
					User.withUsername("admin").password("{noop}change-me").roles("ADMIN").build());
		}

	}

}
