package dev.taskqueue.control;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import tools.jackson.databind.JsonNode;

/**
 * Whether a command is addressed to a node, as kombu's {@code Node.handle_message} decides: a non-empty
 * {@code destination} names the nodes; otherwise a {@code pattern} with its {@code matcher} ({@code glob}, Python's
 * {@code fnmatch}, or {@code pcre}, Python's {@code re.match}: anchored at the start only) selects them; otherwise
 * the command is for every node.
 */
final class Addressing {

	private Addressing() {
	}

	/**
	 * Whether the command is for the node.
	 * @param command the command's JSON
	 * @param hostname the node's name
	 * @return whether it is addressed to it
	 * @throws IllegalArgumentException if its matcher is unknown or its pattern invalid (kombu raises too)
	 */
	static boolean includes(JsonNode command, String hostname) {
		JsonNode destination = command.path("destination");
		if (destination.isArray() && !destination.isEmpty()) {
			return destination.valueStream().anyMatch((name) -> hostname.equals(name.asString(null)));
		}
		if (destination.isString() && !destination.asString().isEmpty()) {
			// Python's "in" on a string: a substring
			return destination.asString().contains(hostname);
		}
		String pattern = command.path("pattern").asString(null);
		String matcher = command.path("matcher").asString(null);
		if (pattern == null || pattern.isEmpty() || matcher == null || matcher.isEmpty()) {
			return true;
		}
		try {
			return switch (matcher) {
				case "glob" -> Pattern.compile(glob(pattern), Pattern.DOTALL).matcher(hostname).matches();
				case "pcre" -> Pattern.compile(pattern).matcher(hostname).lookingAt();
				default -> throw new IllegalArgumentException("no matcher installed for '" + matcher + "'");
			};
		}
		catch (PatternSyntaxException ex) {
			throw new IllegalArgumentException("invalid " + matcher + " pattern: " + ex.getDescription(), ex);
		}
	}

	/**
	 * Python's {@code fnmatch.translate}: {@code *}, {@code ?}, {@code [seq]} and {@code [!seq]}.
	 */
	private static String glob(String pattern) {
		StringBuilder regex = new StringBuilder();
		int i = 0;
		while (i < pattern.length()) {
			char c = pattern.charAt(i++);
			if (c == '*') {
				regex.append(".*");
			}
			else if (c == '?') {
				regex.append('.');
			}
			else if (c == '[') {
				int end = closingBracket(pattern, i);
				if (end < 0) {
					regex.append("\\[");
				}
				else {
					String set = pattern.substring(i, end).replace("\\", "\\\\");
					i = end + 1;
					regex.append('[').append(set.startsWith("!") ? "^" + set.substring(1) : set).append(']');
				}
			}
			else {
				regex.append(Pattern.quote(String.valueOf(c)));
			}
		}
		return regex.toString();
	}

	private static int closingBracket(String pattern, int start) {
		int j = start;
		if (j < pattern.length() && pattern.charAt(j) == '!') {
			j++;
		}
		if (j < pattern.length() && pattern.charAt(j) == ']') {
			j++;
		}
		return pattern.indexOf(']', j);
	}

}
