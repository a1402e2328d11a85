package dev.taskqueue.dashboard;

import java.io.IOException;

/**
 * One browser's open stream of live updates ({@code {path}/stream}), as {@link DashboardStreams} writes to it: a
 * server-sent events response of Spring MVC or a {@code Flux} of WebFlux.
 */
interface LiveView {

	/**
	 * Send one event.
	 * @param event the event
	 * @throws IOException if the browser went away or does not keep up: the view is then closed
	 */
	void send(LiveEvent event) throws IOException;

	/**
	 * Send a comment: under Spring MVC, writing it finds a view whose browser went away (WebFlux learns it from
	 * the connection, and cancels the stream).
	 * @throws IOException if it went away
	 */
	void keepAlive() throws IOException;

	/**
	 * End the stream; the browser reconnects by itself unless it went away.
	 */
	void complete();

	/**
	 * A server-sent event.
	 *
	 * @param name its type: {@code task} or {@code worker}
	 * @param data the row, as JSON
	 * @param id the cluster state's sequence number it was read at, which the browser sends back as
	 * {@code Last-Event-ID} when it reconnects
	 */
	record LiveEvent(String name, String data, String id) {
	}

}
