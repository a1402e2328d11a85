package dev.taskqueue.dashboard;

import java.net.URI;
import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;

/**
 * What a page or an action answers, before a web stack writes it: a status, and a body of some type or a
 * redirect. Never cached by the browser: every page shows the cluster as it is now.
 *
 * @param status the status
 * @param contentType the body's type, or {@code null} for a redirect
 * @param body the body, or {@code null} for a redirect
 * @param location where a redirect sends the browser, or {@code null}
 */
record Page(HttpStatusCode status, @Nullable MediaType contentType, @Nullable String body, @Nullable URI location) {

	/** HTML in UTF-8. */
	static final MediaType HTML = new MediaType("text", "html", StandardCharsets.UTF_8);

	/** An SVG image. */
	static final MediaType SVG = MediaType.valueOf("image/svg+xml");

	/**
	 * An HTML page.
	 * @param status the status
	 * @param html the page
	 * @return the answer
	 */
	static Page html(HttpStatusCode status, Html html) {
		return new Page(status, HTML, html.toString(), null);
	}

	/**
	 * A body of some type, with 200.
	 * @param contentType the type
	 * @param body the body
	 * @return the answer
	 */
	static Page ok(MediaType contentType, String body) {
		return new Page(HttpStatus.OK, contentType, body, null);
	}

	/**
	 * A redirect to a page, which the browser gets ({@code 303 See Other}).
	 * @param location the page
	 * @return the answer
	 */
	static Page seeOther(URI location) {
		return new Page(HttpStatus.SEE_OTHER, null, null, location);
	}

}
