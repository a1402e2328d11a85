package dev.taskqueue.beat;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One field of a crontab, parsed as Celery's {@code crontab_parser} does (celery/schedules.py): a comma
 * separated list of parts, each {@code *}, {@code *}{@code /step}, a number or name, a range {@code a-b} that
 * wraps around the end ({@code fri-mon}, {@code 55-5}), or a range with a step ({@code 2-10/5}). A step keeps
 * every n-th value of what it applies to, counted from its first value. The values are kept as bits of a long.
 * <p>
 * Names: {@code sun}..{@code sat} (or the full day names) in the day of week, where Sunday is 0 as in Celery;
 * {@code jan}..{@code dec} (or the full month names) in the month, which Celery does not read but cron(5) does.
 */
enum CronField {

	/** Minute of the hour, 0-59. */
	MINUTE("minute", 0, 60, List.of()),

	/** Hour of the day, 0-23. */
	HOUR("hour", 0, 24, List.of()),

	/** Day of the month, 1-31. */
	DAY_OF_MONTH("day_of_month", 1, 31, List.of()),

	/** Month of the year, 1-12. */
	MONTH_OF_YEAR("month_of_year", 1, 12, List.of("january", "february", "march", "april", "may", "june", "july",
			"august", "september", "october", "november", "december")),

	/** Day of the week, 0-6, Sunday first. */
	DAY_OF_WEEK("day_of_week", 0, 7, List.of("sunday", "monday", "tuesday", "wednesday", "thursday", "friday",
			"saturday"));

	private static final Pattern RANGE_STEP = Pattern.compile("(\\w+?)-(\\w+)/(\\w*)");

	private static final Pattern RANGE = Pattern.compile("(\\w+?)-(\\w+)");

	private static final Pattern STAR_STEP = Pattern.compile("\\*/(\\w*)");

	private final String celeryName;

	private final int min;

	private final int count;

	private final List<String> names;

	CronField(String celeryName, int min, int count, List<String> names) {
		this.celeryName = celeryName;
		this.min = min;
		this.count = count;
		this.names = names;
	}

	/**
	 * The field's name as Celery's {@code crontab} keyword ({@code day_of_week}).
	 * @return the name
	 */
	String celeryName() {
		return this.celeryName;
	}

	/**
	 * Every value of the field.
	 * @return the bits of {@code *}
	 */
	long all() {
		long bits = 0;
		for (int value = this.min; value < this.min + this.count; value++) {
			bits |= 1L << value;
		}
		return bits;
	}

	/**
	 * Read a field.
	 * @param spec the field as written
	 * @return the values, as bits
	 * @throws InvalidCronException if it is not a field Celery would accept
	 */
	long parse(String spec) {
		String trimmed = spec.trim();
		if (trimmed.isEmpty()) {
			throw invalid(spec, "is empty");
		}
		long bits = 0;
		for (String part : trimmed.split(",", -1)) {
			bits |= parsePart(part.trim(), spec);
		}
		return bits;
	}

	private long parsePart(String part, String spec) {
		if (part.isEmpty()) {
			throw invalid(spec, "has an empty part");
		}
		Matcher rangeStep = RANGE_STEP.matcher(part);
		if (rangeStep.matches()) {
			return every(range(rangeStep.group(1), rangeStep.group(2), spec), step(rangeStep.group(3), spec));
		}
		Matcher range = RANGE.matcher(part);
		if (range.matches()) {
			return bits(range(range.group(1), range.group(2), spec));
		}
		Matcher starStep = STAR_STEP.matcher(part);
		if (starStep.matches()) {
			return every(star(), step(starStep.group(1), spec));
		}
		if (part.equals("*")) {
			return all();
		}
		return 1L << value(part, spec);
	}

	private int[] star() {
		int[] values = new int[this.count];
		for (int i = 0; i < this.count; i++) {
			values[i] = this.min + i;
		}
		return values;
	}

	/**
	 * The values of {@code from-to} in order, wrapping around the field's end when {@code to < from}.
	 */
	private int[] range(String fromText, String toText, String spec) {
		int from = value(fromText, spec);
		int to = value(toText, spec);
		int length = (to >= from) ? to - from + 1 : (this.min + this.count - from) + (to - this.min + 1);
		int[] values = new int[length];
		for (int i = 0; i < length; i++) {
			int value = from + i;
			values[i] = (value >= this.min + this.count) ? value - this.count : value;
		}
		return values;
	}

	private int step(String text, String spec) {
		if (text.isEmpty()) {
			throw invalid(spec, "has a '/' without a step");
		}
		int step;
		try {
			step = Integer.parseInt(text);
		}
		catch (NumberFormatException ex) {
			throw invalid(spec, "has a step '" + text + "' that is not a number");
		}
		if (step < 1) {
			throw invalid(spec, "has a step of " + step + ": it must be at least 1");
		}
		return step;
	}

	private static long every(int[] values, int step) {
		long bits = 0;
		for (int i = 0; i < values.length; i += step) {
			bits |= 1L << values[i];
		}
		return bits;
	}

	private static long bits(int[] values) {
		return every(values, 1);
	}

	private int value(String text, String spec) {
		if (text.startsWith("-")) {
			throw invalid(spec, "has a negative number");
		}
		int value;
		if (!text.isEmpty() && Character.isDigit(text.charAt(0))) {
			try {
				value = Integer.parseInt(text);
			}
			catch (NumberFormatException ex) {
				throw invalid(spec, "has '" + text + "', which is not a number");
			}
		}
		else {
			value = named(text, spec);
		}
		int max = this.min + this.count - 1;
		if (value > max || value < this.min) {
			throw invalid(spec, "has " + value + ", out of " + this.min + "-" + max
					+ ((this == DAY_OF_WEEK) ? " (0 is Sunday, as in Celery)" : ""));
		}
		return value;
	}

	private int named(String text, String spec) {
		String name = text.toLowerCase(Locale.ROOT);
		for (int i = 0; i < this.names.size(); i++) {
			String full = this.names.get(i);
			if (name.equals(full) || (name.length() == 3 && full.startsWith(name))) {
				return this.min + i;
			}
		}
		if (this.names.isEmpty()) {
			throw invalid(spec, "has '" + text + "', which is not a number");
		}
		throw invalid(spec, "has '" + text + "', which is not a number nor a name ("
				+ this.names.stream().map((full) -> full.substring(0, 3)).toList() + ")");
	}

	private InvalidCronException invalid(String spec, String problem) {
		return new InvalidCronException(this.celeryName, spec,
				"The " + this.celeryName + " field '" + spec + "' " + problem);
	}

}
