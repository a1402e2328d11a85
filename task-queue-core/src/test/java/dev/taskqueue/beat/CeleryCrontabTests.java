package dev.taskqueue.beat;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Celery's own crontab cases, ported from {@code t/unit/app/test_schedules.py} of celery/celery (classes
 * {@code test_crontab_remaining_estimate} and {@code test_crontab_is_due}; each test names the Celery test it
 * ports). Celery's {@code next_ocurrance(crontab, now)} is {@code now + crontab.remaining_estimate(now)}: the
 * first fire time after {@code now}, which is {@link Schedule#next} here. Celery's naive datetimes are UTC
 * ({@code enable_utc}), so these run in UTC unless the case sets a zone.
 */
class CeleryCrontabTests {

	private static final ZoneId UTC = ZoneOffset.UTC;

	/** {@code test_next_minute}. */
	@Test
	void everyMinuteFiresAtTheNextMinute() {
		assertThat(next(cron("*", "*", "*", "*", "*"), "2010-09-11T14:30:15")).isEqualTo(utc("2010-09-11T14:31"));
	}

	/** {@code test_not_next_minute}. */
	@Test
	void everyMinuteRollsOverToTheNextHour() {
		assertThat(next(cron("*", "*", "*", "*", "*"), "2010-09-11T14:59:15")).isEqualTo(utc("2010-09-11T15:00"));
	}

	/** {@code test_this_hour}: {@code minute=[5, 42]}. */
	@Test
	void aLaterMinuteOfThisHourFiresThisHour() {
		assertThat(next(cron("5,42", "*", "*", "*", "*"), "2010-09-11T14:30:15")).isEqualTo(utc("2010-09-11T14:42"));
	}

	/** {@code test_not_this_hour}: {@code minute=[5, 10, 15]}. */
	@Test
	void minutesAllPastFireInTheNextHour() {
		assertThat(next(cron("5,10,15", "*", "*", "*", "*"), "2010-09-11T14:30:15"))
			.isEqualTo(utc("2010-09-11T15:05"));
	}

	/** {@code test_today}: {@code minute=[5, 42], hour=[12, 17]}. */
	@Test
	void aLaterHourOfTodayFiresToday() {
		assertThat(next(cron("5,42", "12,17", "*", "*", "*"), "2010-09-11T14:30:15"))
			.isEqualTo(utc("2010-09-11T17:05"));
	}

	/** {@code test_not_today}: {@code minute=[5, 42], hour=[12]}. */
	@Test
	void hoursAllPastFireTomorrow() {
		assertThat(next(cron("5,42", "12", "*", "*", "*"), "2010-09-11T14:30:15")).isEqualTo(utc("2010-09-12T12:05"));
	}

	/** {@code test_weekday}: {@code minute=30, hour=14, day_of_week='sat'}, 11 September 2010 is a Saturday. */
	@Test
	void aWeekdayJustPastFiresAWeekLater() {
		assertThat(next(cron("30", "14", "*", "*", "sat"), "2010-09-11T14:30:15")).isEqualTo(utc("2010-09-18T14:30"));
	}

	/** {@code test_not_weekday}: {@code minute=[5, 42], day_of_week='mon-fri'}, from a Saturday. */
	@Test
	void weekdaysOnlySkipTheWeekend() {
		assertThat(next(cron("5,42", "*", "*", "*", "mon-fri"), "2010-09-11T14:30:15"))
			.isEqualTo(utc("2010-09-13T00:05"));
	}

	/** {@code test_monthday}: {@code minute=30, hour=14, day_of_month=18}. */
	@Test
	void aDayOfMonthLaterThisMonth() {
		assertThat(next(cron("30", "14", "18", "*", "*"), "2010-09-11T14:30:15")).isEqualTo(utc("2010-09-18T14:30"));
	}

	/** {@code test_not_monthday}: {@code minute=[5, 42], day_of_month=29}. */
	@Test
	void aDayOfMonthStartsAtItsFirstMinute() {
		assertThat(next(cron("5,42", "*", "29", "*", "*"), "2010-01-22T14:30:15")).isEqualTo(utc("2010-01-29T00:05"));
	}

	/**
	 * {@code test_weekday_monthday}: {@code day_of_week='mon', day_of_month=18}: both must hold, so the next
	 * Monday the 18th is in October.
	 */
	@Test
	void dayOfWeekAndDayOfMonthMustBothHold() {
		assertThat(next(cron("30", "14", "18", "*", "mon"), "2010-01-18T14:30:15")).isEqualTo(utc("2010-10-18T14:30"));
	}

	/** {@code test_monthday_not_weekday}: {@code day_of_week='sat', day_of_month=29}. */
	@Test
	void aDayOfMonthThatIsNotTheDayOfWeekIsSkipped() {
		assertThat(next(cron("5,42", "*", "29", "*", "sat"), "2010-01-29T00:05:15")).isEqualTo(utc("2010-05-29T00:05"));
	}

	/** {@code test_weekday_not_monthday}: {@code day_of_week='mon', day_of_month=18}. */
	@Test
	void aDayOfWeekThatIsNotTheDayOfMonthIsSkipped() {
		assertThat(next(cron("5,42", "*", "18", "*", "mon"), "2010-01-11T00:05:15")).isEqualTo(utc("2010-01-18T00:05"));
	}

	/** {@code test_not_weekday_not_monthday}. */
	@Test
	void neitherDayOfWeekNorDayOfMonth() {
		assertThat(next(cron("5,42", "*", "18", "*", "mon"), "2010-01-10T00:05:15")).isEqualTo(utc("2010-01-18T00:05"));
	}

	/** {@code test_leapday}: {@code day_of_month=29} in January 2012 fires on 29 February. */
	@Test
	void theTwentyNinthOfALeapFebruary() {
		assertThat(next(cron("30", "14", "29", "*", "*"), "2012-01-29T14:30:15")).isEqualTo(utc("2012-02-29T14:30"));
	}

	/** {@code test_not_leapday}: February 2010 has no 29th. */
	@Test
	void noTwentyNinthInACommonFebruary() {
		assertThat(next(cron("30", "14", "29", "*", "*"), "2010-01-29T14:30:15")).isEqualTo(utc("2010-03-29T14:30"));
	}

	/** {@code test_weekmonthdayyear}: {@code day_of_week='fri', day_of_month=29, month_of_year=1}. */
	@Test
	void dayOfWeekDayOfMonthAndMonth() {
		assertThat(next(cron("30", "14", "29", "1", "fri"), "2010-01-22T14:30:15")).isEqualTo(utc("2010-01-29T14:30"));
	}

	/** {@code test_monthdayyear_not_week}: {@code day_of_week='wed,thu', day_of_month=29, month_of_year='1,4,7'}. */
	@Test
	void monthAndDayOfMonthWaitForTheDayOfWeek() {
		assertThat(next(cron("5,42", "*", "29", "1,4,7", "wed,thu"), "2010-01-29T14:30:15"))
			.isEqualTo(utc("2010-04-29T00:05"));
	}

	/** {@code test_weekdaymonthyear_not_monthday}: {@code fri}, 29th, months {@code 1-10}. */
	@Test
	void aFridayTheTwentyNinthLaterInTheYear() {
		assertThat(next(cron("30", "14", "29", "1-10", "fri"), "2010-01-29T14:30:15"))
			.isEqualTo(utc("2010-10-29T14:30"));
	}

	/** {@code test_weekmonthday_not_monthyear}: {@code fri}, 29th, months {@code 2-10}. */
	@Test
	void aFridayTheTwentyNinthInTheNextMatchingMonth() {
		assertThat(next(cron("5,42", "*", "29", "2-10", "fri"), "2010-01-29T14:30:15"))
			.isEqualTo(utc("2010-10-29T00:05"));
	}

	/** {@code test_weekday_not_monthdayyear}: {@code mon}, 18th, months {@code 2-10}. */
	@Test
	void aMondayTheEighteenthInTheNextMatchingMonth() {
		assertThat(next(cron("5,42", "*", "18", "2-10", "mon"), "2010-01-11T00:05:15"))
			.isEqualTo(utc("2010-10-18T00:05"));
	}

	/** {@code test_monthday_not_weekdaymonthyear}: {@code mon}, 29th, months {@code 2-4}. */
	@Test
	void aMondayTheTwentyNinthFromJanuary() {
		assertThat(next(cron("5,42", "*", "29", "2-4", "mon"), "2010-01-29T00:05:15"))
			.isEqualTo(utc("2010-03-29T00:05"));
	}

	/** {@code test_monthyear_not_weekmonthday}: the same from 28 February. */
	@Test
	void aMondayTheTwentyNinthFromFebruary() {
		assertThat(next(cron("5,42", "*", "29", "2-4", "mon"), "2010-02-28T00:05:15"))
			.isEqualTo(utc("2010-03-29T00:05"));
	}

	/** {@code test_not_weekmonthdayyear}: {@code fri,sat}, 29th, months {@code 2-10}. */
	@Test
	void aFridayOrSaturdayTheTwentyNinth() {
		assertThat(next(cron("5,42", "*", "29", "2-10", "fri,sat"), "2010-01-28T14:30:15"))
			.isEqualTo(utc("2010-05-29T00:05"));
	}

	/** {@code test_leapyear}: 29 February fires every four years. */
	@Test
	void theTwentyNinthOfFebruaryWaitsForTheNextLeapYear() {
		assertThat(next(cron("30", "14", "29", "2", "*"), "2012-02-29T14:30")).isEqualTo(utc("2016-02-29T14:30"));
	}

	/**
	 * {@code test_invalid_specification}: {@code day_of_month=31, month_of_year=4} makes Celery raise a
	 * RuntimeError when it computes the next run; it is refused when read here, naming the field.
	 */
	@Test
	void aCrontabThatNeverFiresIsRefusedWhenRead() {
		assertThatExceptionOfType(InvalidCronException.class).isThrownBy(() -> cron("*", "*", "31", "4", "*"))
			.satisfies((ex) -> assertThat(ex.getField()).isEqualTo("day_of_month"))
			.withMessageContaining("never fires");
	}

	/**
	 * {@code test_day_after_dst_end} (Celery #1604): 09:00 daily in Europe/Paris, last run the day before the
	 * autumn change, fires at 09:00 of the new offset.
	 */
	@Test
	void theDayAfterDaylightSavingEndsFiresAtTheSameWallClockTime() {
		ZoneId paris = ZoneId.of("Europe/Paris");
		CronSchedule daily = CronSchedule.of("0", "9", "*", "*", "*", paris);
		Instant next = daily.next(ZonedDateTime.of(2017, 10, 28, 9, 0, 0, 0, paris).toInstant());
		assertThat(next.atZone(paris).getOffset().getTotalSeconds()).isEqualTo(3600);
		assertThat(next).isEqualTo(ZonedDateTime.of(2017, 10, 29, 9, 0, 0, 0, paris).toInstant());
	}

	/** {@code test_day_after_dst_start} (Celery #1604). */
	@Test
	void theDayAfterDaylightSavingStartsFiresAtTheSameWallClockTime() {
		ZoneId paris = ZoneId.of("Europe/Paris");
		CronSchedule daily = CronSchedule.of("0", "9", "*", "*", "*", paris);
		Instant next = daily.next(ZonedDateTime.of(2017, 3, 25, 9, 0, 0, 0, paris).toInstant());
		assertThat(next.atZone(paris).getOffset().getTotalSeconds()).isEqualTo(7200);
		assertThat(next).isEqualTo(ZonedDateTime.of(2017, 3, 26, 9, 0, 0, 0, paris).toInstant());
	}

	/** {@code test_every_hour_execution_is_due} and {@code _is_not_due}: {@code minute=30}. */
	@Test
	void hourly() {
		CronSchedule hourly = cron("30", "*", "*", "*", "*");
		assertThat(next(hourly, "2010-05-10T06:30")).isEqualTo(utc("2010-05-10T07:30"));
		assertThat(next(hourly, "2010-05-10T09:30")).isEqualTo(utc("2010-05-10T10:30"));
	}

	/** {@code test_first_quarter_execution_is_due} and the other quarter cases: {@code minute='*}{@code /15'}. */
	@Test
	void quarterly() {
		CronSchedule quarterly = cron("*/15", "*", "*", "*", "*");
		assertThat(next(quarterly, "2010-05-10T10:00")).isEqualTo(utc("2010-05-10T10:15"));
		assertThat(next(quarterly, "2010-05-10T10:15")).isEqualTo(utc("2010-05-10T10:30"));
		// due at 10:15 after a last run at 06:30: the latest fire time up to now is what is sent
		assertThat(quarterly.latest(utc("2010-05-10T06:30"), utc("2010-05-10T10:15")))
			.isEqualTo(utc("2010-05-10T10:15"));
	}

	/** {@code test_daily_execution_is_due} and {@code _is_not_due}: {@code hour=7, minute=30}. */
	@Test
	void daily() {
		CronSchedule daily = cron("30", "7", "*", "*", "*");
		assertThat(next(daily, "2010-05-09T07:30")).isEqualTo(utc("2010-05-10T07:30"));
		assertThat(next(daily, "2010-05-10T07:30")).isEqualTo(utc("2010-05-11T07:30"));
	}

	/** {@code test_weekly_execution_is_due} and {@code _is_not_due}: {@code day_of_week='thursday'}. */
	@Test
	void weekly() {
		CronSchedule weekly = cron("30", "7", "*", "*", "thursday");
		assertThat(next(weekly, "2010-04-30T07:30")).isEqualTo(utc("2010-05-06T07:30"));
		assertThat(next(weekly, "2010-05-06T07:30")).isEqualTo(utc("2010-05-13T07:30"));
	}

	/** {@code test_monthly_execution_is_due}: Thursdays of the 8th-14th, the second Thursday of a month. */
	@Test
	void monthlyOnTheSecondThursday() {
		CronSchedule monthly = cron("30", "7", "8-14", "*", "thursday");
		assertThat(next(monthly, "2010-04-08T07:30")).isEqualTo(utc("2010-05-13T07:30"));
	}

	/** {@code test_monthly_moy_execution_is_due}: {@code hour=22, month_of_year='2', day_of_month='26,27,28'}. */
	@Test
	void monthlyInOneMonthOfTheYear() {
		CronSchedule february = cron("*", "22", "26,27,28", "2", "*");
		assertThat(next(february, "2013-07-04T10:00")).isEqualTo(utc("2014-02-26T22:00"));
		assertThat(next(february, "2013-02-28T10:00")).isEqualTo(utc("2013-02-28T22:00"));
	}

	/** {@code test_yearly_execution_is_due}: the second Thursday of March. */
	@Test
	void yearly() {
		CronSchedule yearly = cron("30", "7", "8-14", "3", "thursday");
		assertThat(next(yearly, "2009-03-12T07:30")).isEqualTo(utc("2010-03-11T07:30"));
	}

	private static CronSchedule cron(String minute, String hour, String dayOfMonth, String month, String dayOfWeek) {
		return CronSchedule.parse(String.join(" ", minute, hour, dayOfMonth, month, dayOfWeek), UTC);
	}

	private static Instant next(Schedule schedule, String after) {
		return schedule.next(utc(after));
	}

	private static Instant utc(String localDateTime) {
		return LocalDateTime.parse(localDateTime).toInstant(ZoneOffset.UTC);
	}

}
