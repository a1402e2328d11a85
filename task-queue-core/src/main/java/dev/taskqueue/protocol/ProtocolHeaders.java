package dev.taskqueue.protocol;

import java.util.List;

/**
 * The names of Celery's protocol v2 headers, in the order Celery writes them.
 */
public final class ProtocolHeaders {

	/** Language of the sender. */
	public static final String LANG = "lang";

	/** Task name. */
	public static final String TASK = "task";

	/** Task id. */
	public static final String ID = "id";

	/** Display name override. */
	public static final String SHADOW = "shadow";

	/** Earliest start, ISO 8601. */
	public static final String ETA = "eta";

	/** Expiry, ISO 8601. */
	public static final String EXPIRES = "expires";

	/** Group id. */
	public static final String GROUP = "group";

	/** Position in a chord header. */
	public static final String GROUP_INDEX = "group_index";

	/** Number of retries so far. */
	public static final String RETRIES = "retries";

	/** {@code [hard, soft]} time limits in seconds. */
	public static final String TIMELIMIT = "timelimit";

	/** First task of the workflow. */
	public static final String ROOT_ID = "root_id";

	/** Task that sent this one. */
	public static final String PARENT_ID = "parent_id";

	/** Repr of the positional arguments. */
	public static final String ARGSREPR = "argsrepr";

	/** Repr of the keyword arguments. */
	public static final String KWARGSREPR = "kwargsrepr";

	/** Sending process. */
	public static final String ORIGIN = "origin";

	/** Whether no result is wanted. */
	public static final String IGNORE_RESULT = "ignore_result";

	/** Compression of the body (not one of the 16, added when compressed). */
	public static final String COMPRESSION = "compression";

	/** Set by a broker that delivers a message again (not one of the 16). */
	public static final String REDELIVERED = "redelivered";

	/**
	 * When a Task Queue sender published the message, in epoch milliseconds (a number): Task Queue's own header,
	 * not Celery's (not one of the 16; a Celery worker ignores it, a Celery sender does not write it). A worker
	 * reads it to tell how long a task waited before it started.
	 */
	public static final String SENT = "taskqueue_sent";

	/** The 16 headers every protocol v2 message carries, in Celery's order. */
	public static final List<String> ALL = List.of(LANG, TASK, ID, SHADOW, ETA, EXPIRES, GROUP, GROUP_INDEX, RETRIES,
			TIMELIMIT, ROOT_ID, PARENT_ID, ARGSREPR, KWARGSREPR, ORIGIN, IGNORE_RESULT);

	private ProtocolHeaders() {
	}

}
