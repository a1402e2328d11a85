package dev.taskqueue.beat;

/**
 * What an entry does with fire times that fell while no scheduler led (a leader killed, a whole restart): the
 * {@code catch-up} of an entry. Either way it is never sent once per missed time.
 */
public enum CatchUp {

	/** The latest missed time is sent once, when a scheduler leads again (the default). */
	ONCE,

	/** Missed times are not sent; the entry waits for its next time. */
	SKIP

}
