package dev.taskqueue.beat;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Crontabs across the clock changes of {@code taskqueue.beat.timezone}, in Europe/Paris: 2017-03-26 02:00 CET
 * became 03:00 CEST (01:00 UTC), and 2017-10-29 03:00 CEST became 02:00 CET again (01:00 UTC), the dates of
 * Celery's own #1604 cases. A crontab every hour runs in real time; one at fixed hours names wall-clock times
 * (see {@link CronSchedule}).
 */
class DaylightSavingTests {

	private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

	@Test
	void aFixedTimeThatTheSpringChangeSkipsFiresOnceAnHourLater() {
		CronSchedule at0230 = CronSchedule.parse("30 2 * * *", PARIS);
		assertThat(times(at0230, utc("2017-03-25T00:00"), 3)).containsExactly(utc("2017-03-25T01:30"),
				// 02:30 does not exist on the 26th: 03:30 CEST, as zoneinfo resolves it
				utc("2017-03-26T01:30"), utc("2017-03-27T00:30"));
	}

	@Test
	void aFixedTimeThatTheAutumnChangeRepeatsFiresOnceAtItsFirstOccurrence() {
		CronSchedule at0230 = CronSchedule.parse("30 2 * * *", PARIS);
		assertThat(times(at0230, utc("2017-10-28T00:00"), 3)).containsExactly(utc("2017-10-28T00:30"),
				// 02:30 CEST; not again at 02:30 CET an hour later
				utc("2017-10-29T00:30"), utc("2017-10-30T01:30"));
	}

	@Test
	void anHourlyCrontabRunsInRealTimeThroughTheSpringChange() {
		CronSchedule quarterly = CronSchedule.parse("*/15 * * * *", PARIS);
		assertThat(times(quarterly, utc("2017-03-26T00:30"), 4)).containsExactly(utc("2017-03-26T00:45"),
				// 01:45 CET, then 03:00 CEST: fifteen minutes later, not an hour and fifteen
				utc("2017-03-26T01:00"), utc("2017-03-26T01:15"), utc("2017-03-26T01:30"));
	}

	@Test
	void anHourlyCrontabFiresInBothOccurrencesOfTheRepeatedHour() {
		CronSchedule hourly = CronSchedule.parse("0 * * * *", PARIS);
		assertThat(times(hourly, utc("2017-10-28T22:30"), 4)).containsExactly(
				// 01:00 CEST, 02:00 CEST, 02:00 CET, 03:00 CET: one an hour, as the hours pass
				utc("2017-10-28T23:00"), utc("2017-10-29T00:00"), utc("2017-10-29T01:00"), utc("2017-10-29T02:00"));
	}

	@Test
	void everyTwoHoursIsAWallClockScheduleThatStaysOnItsHours() {
		CronSchedule everyOtherHour = CronSchedule.parse("0 */2 * * *", PARIS);
		assertThat(times(everyOtherHour, utc("2017-10-28T21:30"), 3)).containsExactly(
				// 00:00 CEST, 02:00 CEST (first occurrence only), 04:00 CET
				utc("2017-10-28T22:00"), utc("2017-10-29T00:00"), utc("2017-10-29T03:00"));
	}

	@Test
	void aWeekdayCrontabIsReadInItsZone() {
		// 07:00 on weekdays in Paris: Monday 2 January 2017 at 06:00 UTC; the weekend is the zone's weekend
		CronSchedule weekdays = CronSchedule.parse("0 7 * * mon-fri", PARIS);
		assertThat(weekdays.next(utc("2016-12-30T06:00"))).isEqualTo(utc("2017-01-02T06:00"));
		CronSchedule tokyoMonday = CronSchedule.parse("0 1 * * mon", ZoneId.of("Asia/Tokyo"));
		// 01:00 on Monday in Tokyo is Sunday 16:00 UTC
		assertThat(tokyoMonday.next(utc("2017-01-01T00:00"))).isEqualTo(utc("2017-01-01T16:00"));
	}

	private static List<Instant> times(Schedule schedule, Instant from, int count) {
		List<Instant> times = new ArrayList<>();
		Instant last = from;
		for (int i = 0; i < count; i++) {
			last = schedule.next(last);
			times.add(last);
		}
		return times;
	}

	private static Instant utc(String localDateTime) {
		return LocalDateTime.parse(localDateTime).toInstant(ZoneOffset.UTC);
	}

}
