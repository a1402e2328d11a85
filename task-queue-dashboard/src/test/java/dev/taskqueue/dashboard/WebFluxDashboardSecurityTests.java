package dev.taskqueue.dashboard;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.ResponseCookie;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.config.EnableWebFlux;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.reactive.server.SecurityMockServerConfigurers.mockUser;
import static org.springframework.security.test.web.reactive.server.SecurityMockServerConfigurers.springSecurity;

/**
 * The dashboard served by WebFlux behind Spring Security, as the README shows it: a {@link SecurityWebFilterChain}
 * that asks for a login under the dashboard's path. Anonymous visitors are sent to log in; a POST without the CSRF
 * token, or with another, is refused; the pages carry the token ({@code Mono<CsrfToken>}, resolved before the page
 * is drawn) in their action forms, and the form posted with it, as a browser does, goes through.
 */
class WebFluxDashboardSecurityTests {

	private static final ClusterFixture cluster = new ClusterFixture();

	private AnnotationConfigApplicationContext context;

	private WebTestClient client;

	@BeforeEach
	void start() {
		this.context = new AnnotationConfigApplicationContext(SecuredApplication.class);
		this.client = WebTestClient.bindToApplicationContext(this.context)
			.apply(springSecurity())
			.configureClient()
			.build();
	}

	@AfterEach
	void stop() {
		this.context.close();
	}

	@Test
	void anAnonymousVisitorIsSentToLogIn() {
		this.client.get().uri("/taskqueue/tasks").exchange()
			.expectStatus().is3xxRedirection()
			.expectHeader().value("Location", (location) -> assertThat(location).endsWith("/login"));
	}

	@Test
	void aPostWithoutTheCsrfTokenIsRefused() {
		this.client.mutateWith(mockUser("admin").roles("ADMIN"))
			.post().uri("/taskqueue/tasks/t-flux-csrf/revoke")
			.exchange()
			.expectStatus().isForbidden();
		assertThat(cluster.revocations.isRevoked("t-flux-csrf")).isFalse();
	}

	@Test
	void theFormsCarryTheCsrfTokenAndAnActionSentWithThatTokenGoesThrough() {
		cluster.task("task-started", "t-flux-secured", "celery@py1", "name", "sample.sleep");
		EntityExchangeResult<String> page = this.client.mutateWith(mockUser("admin").roles("ADMIN"))
			.get().uri("/taskqueue/tasks/t-flux-secured")
			.exchange()
			.expectStatus().isOk()
			.expectBody(String.class).returnResult();
		Matcher field = Pattern
			.compile("<form id=\"revoke\"[^>]*><input type=\"hidden\" name=\"_csrf\" value=\"([^\"]+)\">")
			.matcher(page.getResponseBody());
		assertThat(field.find()).as("the revoke form carries the token").isTrue();
		// the token is kept in the session that page started: the browser sends its cookie back with the form
		ResponseCookie session = page.getResponseCookies().getFirst("SESSION");
		assertThat(session).isNotNull();

		this.client.mutateWith(mockUser("admin").roles("ADMIN"))
			.post().uri("/taskqueue/tasks/t-flux-secured/revoke")
			.cookie(session.getName(), session.getValue())
			.body(BodyInserters.fromFormData("_csrf", field.group(1)))
			.exchange()
			.expectStatus().isSeeOther();
		assertThat(cluster.revocations.isRevoked("t-flux-secured")).isTrue();
	}

	@Test
	void aPostWithAnotherTokenIsRefused() {
		EntityExchangeResult<String> page = this.client.mutateWith(mockUser("admin").roles("ADMIN"))
			.get().uri("/taskqueue/tasks")
			.exchange()
			.expectBody(String.class).returnResult();
		ResponseCookie session = page.getResponseCookies().getFirst("SESSION");
		this.client.mutateWith(mockUser("admin").roles("ADMIN"))
			.post().uri("/taskqueue/tasks/t-flux-forged/revoke")
			.cookie("SESSION", (session != null) ? session.getValue() : "none")
			.body(BodyInserters.fromFormData("_csrf", "forged"))
			.exchange()
			.expectStatus().isForbidden();
		assertThat(cluster.revocations.isRevoked("t-flux-forged")).isFalse();
	}

	@Test
	void aReadOnlyDashboardNeverAsksForTheTokenSoItsPagesStartNoSession() {
		try (AnnotationConfigApplicationContext readOnly = new AnnotationConfigApplicationContext(
				ReadOnlySecuredApplication.class)) {
			WebTestClient client = WebTestClient.bindToApplicationContext(readOnly)
				.apply(springSecurity())
				.configureClient()
				.build();
			EntityExchangeResult<String> page = client.mutateWith(mockUser("admin").roles("ADMIN"))
				.get().uri("/taskqueue/tasks")
				.exchange()
				.expectStatus().isOk()
				.expectBody(String.class).returnResult();
			assertThat(page.getResponseBody()).doesNotContain("_csrf");
			assertThat(page.getResponseCookies()).doesNotContainKey("SESSION");
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class ReadOnlySecuredApplication extends SecuredApplication {

		@Bean
		@Override
		RouterFunction<ServerResponse> dashboard() {
			return WebFluxDashboardRoutes.routes(cluster.dashboard(true));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebFlux
	@EnableWebFluxSecurity
	static class SecuredApplication {

		@Bean
		RouterFunction<ServerResponse> dashboard() {
			return WebFluxDashboardRoutes.routes(cluster.dashboard(false));
		}

		@Bean
		SecurityWebFilterChain dashboardSecurity(ServerHttpSecurity http) {
			return http.securityMatcher(ServerWebExchangeMatchers.pathMatchers("/taskqueue/**", "/login"))
				.authorizeExchange((exchanges) -> exchanges.anyExchange().hasRole("ADMIN"))
				.formLogin(Customizer.withDefaults())
				.build();
		}

		@Bean
		MapReactiveUserDetailsService users() {
			return new MapReactiveUserDetailsService(
					User.withUsername("admin").password("{noop}change-me").roles("ADMIN").build());
		}

	}

}
