package dev.taskqueue.beat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Intervals, and the latest fire time a scheduler that was away catches up with.
 */
class ScheduleTests {

	private static final Instant START = utc("2024-05-01T12:00:00");

	@Test
	void anIntervalFiresOneIntervalAfterTheLastRun() {
		IntervalSchedule every30s = Schedule.every(Duration.ofSeconds(30));
		assertThat(every30s.next(START)).isEqualTo(START.plusSeconds(30));
		assertThat(every30s.describe()).isEqualTo("every PT30S");
	}

	@Test
	void anIntervalCatchesUpWithTheLatestTimeOnItsGrid() {
		IntervalSchedule every30s = Schedule.every(Duration.ofSeconds(30));
		assertThat(every30s.latest(START, START.plusSeconds(29))).isNull();
		assertThat(every30s.latest(START, START.plusSeconds(30))).isEqualTo(START.plusSeconds(30));
		// away for an hour and 10 seconds: the time on the grid, not when it is noticed
		assertThat(every30s.latest(START, START.plusSeconds(3610))).isEqualTo(START.plusSeconds(3600));
	}

	@Test
	void anIntervalMustBePositive() {
		assertThatIllegalArgumentException().isThrownBy(() -> Schedule.every(Duration.ZERO));
		assertThatIllegalArgumentException().isThrownBy(() -> Schedule.every(Duration.ofSeconds(-1)));
	}

	@Test
	void aCrontabCatchesUpWithItsLatestTimeAfterAYearAway() {
		CronSchedule everyMinute = Schedule.cron("* * * * *", ZoneOffset.UTC);
		assertThat(everyMinute.latest(START, START.plusSeconds(59))).isNull();
		assertThat(everyMinute.latest(START, START.plus(Duration.ofDays(365)).plusSeconds(30)))
			.isEqualTo(START.plus(Duration.ofDays(365)));
		CronSchedule yearly = Schedule.cron("0 0 1 1 *", ZoneOffset.UTC);
		assertThat(yearly.latest(START, utc("2030-06-01T00:00:00"))).isEqualTo(utc("2030-01-01T00:00:00"));
		assertThat(yearly.latest(START, utc("2024-12-31T23:59:59"))).isNull();
	}

	@Test
	void theLatestTimeMayBeTheNextOne() {
		CronSchedule hourly = Schedule.cron("0 * * * *", ZoneOffset.UTC);
		assertThat(hourly.latest(START, utc("2024-05-01T13:00:00"))).isEqualTo(utc("2024-05-01T13:00:00"));
		assertThat(hourly.latest(START, utc("2024-05-01T13:59:59"))).isEqualTo(utc("2024-05-01T13:00:00"));
	}

	@Test
	void aCrontabDescribesItselfAsConfigurationWritesIt() {
		assertThat(Schedule.cron(" 0  7 * *   mon-fri ", ZoneOffset.UTC).describe())
			.isEqualTo("cron 0 7 * * mon-fri (Z)");
	}

	private static Instant utc(String localDateTime) {
		return LocalDateTime.parse(localDateTime).toInstant(ZoneOffset.UTC);
	}

}
