package dev.taskqueue.dashboard;

import java.lang.reflect.Method;

import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;
import org.springframework.web.servlet.function.ServerRequest;

/**
 * What every page of one request needs besides its data: the dashboard's path, whether actions are allowed, Spring
 * Security's CSRF token if the request has one (read by name, so that the dashboard works without Spring Security
 * on the class path) and the one-line message an action redirected with.
 *
 * @param base the dashboard's path ({@code taskqueue.dashboard.path}), without a trailing slash
 * @param readOnly whether actions are refused, and no action form rendered
 * @param csrfParameter the CSRF token's form parameter ({@code _csrf}), or {@code null} if the request has none
 * @param csrfToken the CSRF token's value, or {@code null}
 * @param flash the message of the action just done, or {@code null}
 */
record PageContext(String base, boolean readOnly, @Nullable String csrfParameter, @Nullable String csrfToken,
		@Nullable String flash) {

	/** Spring Security's {@code CsrfToken}, the request attribute's name. */
	static final String CSRF_TOKEN = "org.springframework.security.web.csrf.CsrfToken";

	/** The query parameter an action's redirect carries its message in. */
	static final String FLASH = "flash";

	static PageContext of(ServerRequest request, String base, boolean readOnly) {
		String flash = request.param(FLASH).filter((text) -> !text.isBlank()).orElse(null);
		Object token = request.servletRequest().getAttribute(CSRF_TOKEN);
		if (token == null || readOnly) {
			return new PageContext(base, readOnly, null, null, flash);
		}
		return new PageContext(base, readOnly, call(token, "getParameterName"), call(token, "getToken"), flash);
	}

	/**
	 * Call a method of Spring Security's {@code CsrfToken} interface: through the interface, as the token's own
	 * class may not be public (a deferred token).
	 */
	private static @Nullable String call(Object token, String method) {
		try {
			Class<?> type = ClassUtils.forName(CSRF_TOKEN, token.getClass().getClassLoader());
			Method getter = type.getMethod(method);
			Object value = getter.invoke(token);
			return (value != null) ? value.toString() : null;
		}
		catch (ReflectiveOperationException | LinkageError ex) {
			return null;
		}
	}

}
