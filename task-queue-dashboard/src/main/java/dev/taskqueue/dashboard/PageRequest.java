package dev.taskqueue.dashboard;

import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * One request to a page or an action, as the pages read it: the same whether Spring MVC or WebFlux serves the
 * dashboard ({@link WebMvcDashboardRoutes}, {@link WebFluxDashboardRoutes}). Each web stack's request is read
 * into it before a page runs, so that a page never blocks a reactive thread on its body.
 */
interface PageRequest {

	/**
	 * The request's path, within the application.
	 * @return the path
	 */
	String path();

	/**
	 * The path the application is served under: Spring MVC's {@code server.servlet.context-path}, WebFlux's
	 * {@code spring.webflux.base-path}. The routes match without it; the links and redirects of a page start with it.
	 * @return the path, empty at the root
	 */
	String contextPath();

	/**
	 * A variable of the route's path ({@code {id}}, {@code {name}}).
	 * @param name the variable
	 * @return its value, decoded
	 * @throws IllegalArgumentException if the route has none of that name
	 */
	String pathVariable(String name);

	/**
	 * A query parameter or, for a POST, a field of its form.
	 * @param name the parameter
	 * @return its first value, if any
	 */
	Optional<String> param(String name);

	/**
	 * Spring Security's CSRF token of this request, if it has one.
	 * @return the token, or {@code null}
	 */
	@Nullable CsrfField csrf();

	/**
	 * The hidden form field that carries Spring Security's CSRF token.
	 *
	 * @param parameter the field's name ({@code _csrf})
	 * @param token its value
	 */
	record CsrfField(String parameter, String token) {

		/** Spring Security's {@code CsrfToken} of Spring MVC, the name of the request attribute it is under. */
		static final String SERVLET_TOKEN = "org.springframework.security.web.csrf.CsrfToken";

		/**
		 * Spring Security's {@code CsrfToken} of WebFlux, the name of the exchange attribute its
		 * {@code Mono<CsrfToken>} is under.
		 */
		static final String REACTIVE_TOKEN = "org.springframework.security.web.server.csrf.CsrfToken";

		/**
		 * Read a token of Spring Security by name, so that the dashboard works without Spring Security on the class
		 * path: through its interface, as the token's own class may not be public (a deferred token).
		 * @param token the token
		 * @param type the interface's name ({@link #SERVLET_TOKEN} or {@link #REACTIVE_TOKEN})
		 * @return the field, or {@code null} if the token cannot be read
		 */
		static @Nullable CsrfField of(@Nullable Object token, String type) {
			if (token == null) {
				return null;
			}
			String parameter = call(token, type, "getParameterName");
			String value = call(token, type, "getToken");
			return (parameter != null && value != null) ? new CsrfField(parameter, value) : null;
		}

		private static @Nullable String call(Object token, String type, String method) {
			try {
				Class<?> interfaceType = org.springframework.util.ClassUtils.forName(type,
						token.getClass().getClassLoader());
				Object value = interfaceType.getMethod(method).invoke(token);
				return (value != null) ? value.toString() : null;
			}
			catch (ReflectiveOperationException | LinkageError ex) {
				return null;
			}
		}

	}

}
