package dev.taskqueue.dashboard;

import java.net.URI;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

/**
 * The frame of every page (head, navigation, the action's message) and the pieces they share: action forms,
 * links, responses.
 */
final class Layout {

	private Layout() {
	}

	/**
	 * A whole page.
	 * @param context the request's context
	 * @param title the page's title
	 * @param body what the page shows below the navigation
	 * @return the page
	 */
	static Html page(PageContext context, String title, Consumer<Html> body) {
		String base = context.base();
		Html html = new Html();
		html.doctype().open("html", "lang", "en").open("head").open("meta", "charset", "utf-8")
			.element("title", title + " · Task Queue")
			.open("link", "rel", "stylesheet", "href", base + "/assets/dashboard.css")
			.open("script", "src", base + "/assets/dashboard.js", "defer", "defer").close("script")
			.close("head")
			.open("body", "data-base", base, "data-read-only", Boolean.toString(context.readOnly()), "data-sequence",
					Long.toString(context.sequence()))
			.open("header").open("nav")
			.element("span", "Task Queue", "class", "brand")
			.element("a", "Workers", "id", "nav-workers", "href", base.isEmpty() ? "/" : base)
			.element("a", "Tasks", "id", "nav-tasks", "href", base + "/tasks")
			.element("a", "Queues", "id", "nav-queues", "href", base + "/queues")
			.element("a", "Beat", "id", "nav-beat", "href", base + "/beat")
			.close("nav").close("header")
			.open("main");
		if (context.flash() != null) {
			html.element("p", context.flash(), "id", "flash", "role", "status");
		}
		html.element("h1", title);
		body.accept(html);
		return html.close("main").close("body").close("html");
	}

	/**
	 * An action: a POST form of class {@code action} that the script confirms before it is sent, with Spring
	 * Security's CSRF token when the request has one. Nothing in read-only mode.
	 * @param html the page
	 * @param context the request's context
	 * @param action the URL it posts to
	 * @param id the form's id, or {@code null}
	 * @param kind its class besides {@code action}, or {@code null}
	 * @param confirm what the browser asks before sending it
	 * @param fields its inputs besides the token
	 * @param button the submit button's text
	 */
	static void form(Html html, PageContext context, String action, @Nullable String id, @Nullable String kind,
			String confirm, Consumer<Html> fields, String button) {
		if (context.readOnly()) {
			return;
		}
		html.open("form", "id", id, "class", (kind != null) ? "action " + kind : "action", "method", "post",
				"action", action, "data-confirm", confirm);
		if (context.csrfParameter() != null && context.csrfToken() != null) {
			html.open("input", "type", "hidden", "name", context.csrfParameter(), "value", context.csrfToken());
		}
		fields.accept(html);
		html.element("button", button, "type", "submit").close("form");
	}

	/**
	 * A column's heading: its class, capitalised.
	 */
	static String heading(String column) {
		return Character.toUpperCase(column.charAt(0)) + column.substring(1);
	}

	/**
	 * A hidden input.
	 */
	static void hidden(Html html, String name, String value) {
		html.open("input", "type", "hidden", "name", name, "value", value);
	}

	/**
	 * A path segment, encoded for a link.
	 */
	static String segment(String value) {
		return UriUtils.encodePathSegment(value, java.nio.charset.StandardCharsets.UTF_8);
	}

	static Page html(HttpStatusCode status, Html page) {
		return Page.html(status, page);
	}

	static Page ok(Html page) {
		return html(HttpStatus.OK, page);
	}

	/**
	 * Post, redirect, get: back to a page, with the action's message.
	 * @param location the page's path
	 * @param flash the message
	 * @return a 303
	 */
	static Page redirect(String location, String flash) {
		URI uri = UriComponentsBuilder.fromUriString(location)
			.queryParam(PageContext.FLASH, "{flash}")
			.encode()
			.buildAndExpand(flash)
			.toUri();
		return Page.seeOther(uri);
	}

	/**
	 * A page that says what went wrong, with no stack trace.
	 * @param context the request's context
	 * @param status 404, 403, 503...
	 * @param title the page's title
	 * @param message what went wrong
	 * @return the page
	 */
	static Page error(PageContext context, HttpStatusCode status, String title, String message) {
		return html(status, page(context, title, (html) -> html.element("p", message, "id", "error")));
	}

}
