package dev.taskqueue.control.panel;

import java.util.Map;

/**
 * Celery's two reply shapes ({@code ok()} and {@code nok()} in {@code celery/worker/control.py}).
 */
final class Reply {

	private Reply() {
	}

	static Map<String, Object> ok(String text) {
		return Map.of("ok", text);
	}

	static Map<String, Object> error(String text) {
		return Map.of("error", text);
	}

}
