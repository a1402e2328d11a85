package dev.taskqueue.dashboard;

import org.jspecify.annotations.Nullable;

/**
 * What every page of one request needs besides its data: the dashboard's path, whether actions are allowed, Spring
 * Security's CSRF token if the request has one ({@link PageRequest#csrf()}) and the one-line message an action
 * redirected with.
 *
 * @param base where the dashboard's links start: the application's context path and the dashboard's path
 * ({@code taskqueue.dashboard.path}), without a trailing slash
 * @param readOnly whether actions are refused, and no action form rendered
 * @param csrfParameter the CSRF token's form parameter ({@code _csrf}), or {@code null} if the request has none
 * @param csrfToken the CSRF token's value, or {@code null}
 * @param flash the message of the action just done, or {@code null}
 * @param sequence the cluster state's sequence number before the page read it: its live view asks for the
 * changes since
 */
record PageContext(String base, boolean readOnly, @Nullable String csrfParameter, @Nullable String csrfToken,
		@Nullable String flash, long sequence) {

	/**
	 * The same context with another message.
	 * @param message the message
	 * @return the context
	 */
	PageContext withFlash(String message) {
		return new PageContext(this.base, this.readOnly, this.csrfParameter, this.csrfToken, message, this.sequence);
	}

	/** The query parameter an action's redirect carries its message in. */
	static final String FLASH = "flash";

	static PageContext of(PageRequest request, String base, boolean readOnly, long sequence) {
		String flash = request.param(FLASH).filter((text) -> !text.isBlank()).orElse(null);
		PageRequest.CsrfField csrf = readOnly ? null : request.csrf();
		return new PageContext(base, readOnly, (csrf != null) ? csrf.parameter() : null,
				(csrf != null) ? csrf.token() : null, flash, sequence);
	}

}
