package dev.taskqueue.routing;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.jspecify.annotations.Nullable;

/**
 * A pattern of task names, as keys of Celery's {@code task_routes}: an exact name ({@code sample.add}), a
 * glob ({@code reports.*}, {@code ?} for one character), or a regular expression written with the prefix
 * {@code regex:} ({@code regex:^(emails|sms)\.send$}).
 */
public final class TaskNamePattern {

	private static final String REGEX_PREFIX = "regex:";

	private final String source;

	private final @Nullable Pattern pattern;

	private TaskNamePattern(String source, @Nullable Pattern pattern) {
		this.source = source;
		this.pattern = pattern;
	}

	/**
	 * Read a pattern.
	 * @param source the exact name, glob or {@code regex:} expression
	 * @return the pattern
	 * @throws IllegalArgumentException if a regular expression is not valid
	 */
	public static TaskNamePattern of(String source) {
		if (source == null || source.isBlank()) {
			throw new IllegalArgumentException("a route needs a task name pattern");
		}
		try {
			if (source.startsWith(REGEX_PREFIX)) {
				return new TaskNamePattern(source, Pattern.compile(source.substring(REGEX_PREFIX.length())));
			}
			if (source.contains("*") || source.contains("?")) {
				return new TaskNamePattern(source, Pattern.compile(globToRegex(source)));
			}
			return new TaskNamePattern(source, null);
		}
		catch (PatternSyntaxException ex) {
			throw new IllegalArgumentException("Route pattern '" + source + "' is not valid: " + ex.getDescription(), ex);
		}
	}

	/**
	 * Whether a task name matches: the whole name, for globs and expressions alike.
	 * @param taskName the name
	 * @return {@code true} if it matches
	 */
	public boolean matches(String taskName) {
		return (this.pattern != null) ? this.pattern.matcher(taskName).matches() : this.source.equals(taskName);
	}

	private static String globToRegex(String glob) {
		StringBuilder regex = new StringBuilder();
		for (char c : glob.toCharArray()) {
			switch (c) {
				case '*' -> regex.append(".*");
				case '?' -> regex.append('.');
				default -> regex.append(Pattern.quote(String.valueOf(c)));
			}
		}
		return regex.toString();
	}

	@Override
	public String toString() {
		return this.source;
	}

}
