package dev.taskqueue.beat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * A crontab with Celery's semantics (celery/schedules.py {@code crontab}), read in a time zone
 * ({@code taskqueue.beat.timezone}, Celery's {@code timezone}):
 * <pre>{@code
 * CronSchedule weekdays = CronSchedule.parse("0 7 * * mon-fri", ZoneId.of("Europe/Paris"));
 * }</pre>
 * The five fields are minute, hour, day of month, month and day of week, in cron(5)'s order; each takes what
 * Celery's {@code crontab_parser} takes ({@code *}, {@code *}{@code /15}, {@code 1,13,30-45,50-59/2},
 * {@code mon-fri}, ranges that wrap such as {@code fri-mon}) and month names ({@code jan}). Sunday is 0, and 7
 * is refused, as in Celery.
 * <p>
 * <b>Days.</b> As in Celery, and unlike cron(5), a day must match the day of month <em>and</em> the day of week
 * <em>and</em> the month: {@code 0 0 1-7 * mon} is the first Monday of each month, not every Monday plus the
 * first seven days. A crontab that can never fire ({@code 0 0 30 2 *}) is refused when read, where Celery
 * fails when it computes the next run.
 * <p>
 * <b>Daylight saving.</b> A crontab whose hour field is {@code *} runs in real time, as cron(5) runs such
 * "wildcard" jobs: every matching minute that the clock shows fires once, so the hour that the spring change
 * skips has none and the hour that the autumn change repeats fires twice. A crontab with fixed hours names
 * wall-clock times: one that the spring change skips ({@code 30 2 * * *} in Paris on the last Sunday of March)
 * fires at the same distance after the change (03:30, as Python's {@code zoneinfo}, and so Celery, resolves
 * such a time), and one that the autumn change repeats fires once, at its first occurrence.
 */
public final class CronSchedule implements Schedule {

	/** The most days to look ahead: a 29 February on a given weekday comes back within 28 years. */
	private static final int MAX_DAYS = 366 * 40;

	private final String expression;

	private final ZoneId zone;

	private final long minutes;

	private final long hours;

	private final long daysOfMonth;

	private final long months;

	private final long daysOfWeek;

	private CronSchedule(String expression, ZoneId zone, long minutes, long hours, long daysOfMonth, long months,
			long daysOfWeek) {
		this.expression = expression;
		this.zone = zone;
		this.minutes = minutes;
		this.hours = hours;
		this.daysOfMonth = daysOfMonth;
		this.months = months;
		this.daysOfWeek = daysOfWeek;
		checkFires();
	}

	/**
	 * Read a crontab of five fields: minute, hour, day of month, month, day of week.
	 * @param expression the crontab ({@code "0 7 * * mon-fri"})
	 * @param zone the zone its fields are read in
	 * @return the schedule
	 * @throws InvalidCronException if a field is not one Celery's crontab accepts, or the crontab never fires
	 */
	public static CronSchedule parse(String expression, ZoneId zone) {
		String[] fields = expression.trim().split("\\s+");
		if (fields.length != 5) {
			throw new InvalidCronException("expression", expression, "The crontab '" + expression + "' has "
					+ (expression.isBlank() ? 0 : fields.length)
					+ " fields: write five, minute hour day-of-month month day-of-week (\"0 7 * * mon-fri\")");
		}
		return new CronSchedule(String.join(" ", fields), zone, CronField.MINUTE.parse(fields[0]),
				CronField.HOUR.parse(fields[1]), CronField.DAY_OF_MONTH.parse(fields[2]),
				CronField.MONTH_OF_YEAR.parse(fields[3]), CronField.DAY_OF_WEEK.parse(fields[4]));
	}

	/**
	 * A crontab from its fields, in the order of Celery's {@code crontab(minute, hour, day_of_week,
	 * day_of_month, month_of_year)}.
	 * @param minute the minute field ({@code "*}{@code /15"})
	 * @param hour the hour field
	 * @param dayOfWeek the day-of-week field
	 * @param dayOfMonth the day-of-month field
	 * @param monthOfYear the month field
	 * @param zone the zone the fields are read in
	 * @return the schedule
	 * @throws InvalidCronException if a field is not one Celery's crontab accepts, or the crontab never fires
	 */
	public static CronSchedule of(String minute, String hour, String dayOfWeek, String dayOfMonth,
			String monthOfYear, ZoneId zone) {
		return new CronSchedule(String.join(" ", minute, hour, dayOfMonth, monthOfYear, dayOfWeek), zone,
				CronField.MINUTE.parse(minute), CronField.HOUR.parse(hour), CronField.DAY_OF_MONTH.parse(dayOfMonth),
				CronField.MONTH_OF_YEAR.parse(monthOfYear), CronField.DAY_OF_WEEK.parse(dayOfWeek));
	}

	/**
	 * The crontab as written, fields separated by single spaces.
	 * @return the expression
	 */
	public String expression() {
		return this.expression;
	}

	/**
	 * The zone the fields are read in.
	 * @return the zone
	 */
	public ZoneId zone() {
		return this.zone;
	}

	@Override
	public Instant next(Instant after) {
		return (this.hours == CronField.HOUR.all()) ? nextInRealTime(after) : nextOnTheWallClock(after);
	}

	@Override
	public String describe() {
		return "cron " + this.expression + " (" + this.zone + ")";
	}

	/**
	 * Whether a date is one of the crontab's days: its day of month, month and day of week all match.
	 * @param date the date
	 * @return whether it matches
	 */
	boolean matchesDay(LocalDate date) {
		return has(this.months, date.getMonthValue()) && has(this.daysOfMonth, date.getDayOfMonth())
				&& has(this.daysOfWeek, date.getDayOfWeek().getValue() % 7);
	}

	/**
	 * The next instant whose minute matches on a matching day, minute by real minute: for crontabs that run
	 * every hour, which then neither skip nor double up when the clock changes.
	 */
	private Instant nextInRealTime(Instant after) {
		Instant candidate = after.truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES);
		for (int step = 0; step < MAX_DAYS * 25; step++) {
			ZonedDateTime local = candidate.atZone(this.zone);
			if (!matchesDay(local.toLocalDate())) {
				candidate = nextDay(local.toLocalDate()).atStartOfDay(this.zone).toInstant();
				continue;
			}
			int minute = local.getMinute();
			int match = nextBit(this.minutes, minute, 60);
			if (match == minute) {
				return candidate;
			}
			candidate = candidate.plus((match > minute) ? match - minute : 60 - minute, ChronoUnit.MINUTES);
		}
		throw neverFires();
	}

	/**
	 * The next matching wall-clock time, resolved as java.time and Python's {@code zoneinfo} resolve local
	 * times: a time in a gap moves forward by the gap's length, a time in an overlap takes its first occurrence.
	 */
	private Instant nextOnTheWallClock(Instant after) {
		LocalDateTime local = LocalDateTime.ofInstant(after, this.zone);
		while (true) {
			local = nextLocal(local);
			Instant candidate = ZonedDateTime.ofLocal(local, this.zone, null).toInstant();
			if (candidate.isAfter(after)) {
				return candidate;
			}
		}
	}

	/**
	 * The first matching local time strictly after one, to the minute.
	 */
	LocalDateTime nextLocal(LocalDateTime after) {
		LocalDateTime candidate = after.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
		for (int step = 0; step < MAX_DAYS * 3; step++) {
			LocalDate date = candidate.toLocalDate();
			if (!matchesDay(date)) {
				candidate = nextDay(date).atStartOfDay();
				continue;
			}
			int hour = nextBit(this.hours, candidate.getHour(), 24);
			if (hour < 0) {
				candidate = date.plusDays(1).atStartOfDay();
				continue;
			}
			if (hour != candidate.getHour()) {
				candidate = date.atTime(hour, 0);
			}
			int minute = nextBit(this.minutes, candidate.getMinute(), 60);
			if (minute < 0) {
				candidate = candidate.truncatedTo(ChronoUnit.HOURS).plusHours(1);
				continue;
			}
			return candidate.withMinute(minute);
		}
		throw neverFires();
	}

	/**
	 * The next day worth looking at: tomorrow, or the first of the next matching month.
	 */
	private LocalDate nextDay(LocalDate date) {
		LocalDate next = date.plusDays(1);
		if (has(this.months, next.getMonthValue())) {
			return next;
		}
		LocalDate month = next.withDayOfMonth(1);
		for (int i = 0; i < 12 && !has(this.months, month.getMonthValue()); i++) {
			month = month.plusMonths(1);
		}
		return month;
	}

	private void checkFires() {
		for (int month = 1; month <= 12; month++) {
			if (!has(this.months, month)) {
				continue;
			}
			int length = YearMonth.of(2024, month).lengthOfMonth();
			for (int day = 1; day <= length; day++) {
				if (has(this.daysOfMonth, day)) {
					return;
				}
			}
		}
		throw new InvalidCronException(CronField.DAY_OF_MONTH.celeryName(), this.expression, "The crontab '"
				+ this.expression + "' never fires: none of its days of month is in any of its months");
	}

	private IllegalStateException neverFires() {
		return new IllegalStateException("The crontab '" + this.expression + "' found no time to fire");
	}

	private static boolean has(long bits, int value) {
		return (bits & (1L << value)) != 0;
	}

	/**
	 * The first set bit at or above {@code from}, below {@code limit}; -1 if none.
	 */
	private static int nextBit(long bits, int from, int limit) {
		for (int value = from; value < limit; value++) {
			if (has(bits, value)) {
				return value;
			}
		}
		return -1;
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof CronSchedule cron && this.minutes == cron.minutes && this.hours == cron.hours
				&& this.daysOfMonth == cron.daysOfMonth && this.months == cron.months
				&& this.daysOfWeek == cron.daysOfWeek && this.zone.equals(cron.zone);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.minutes, this.hours, this.daysOfMonth, this.months, this.daysOfWeek, this.zone);
	}

	@Override
	public String toString() {
		return describe();
	}

}
