package dev.taskqueue.beat;

import java.time.ZoneOffset;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The crontab fields, with the cases of Celery's {@code test_crontab_parser} and of the {@code *_formats} and
 * {@code *_invalid_*} cases of {@code test_crontab_is_due} (celery/celery, {@code t/unit/app/test_schedules.py}).
 * Celery's {@code crontab_parser(max_, min_)} takes any range; its cases are ported to the field with that
 * range ({@code crontab_parser(60)} is the minute, {@code (24)} the hour, {@code (7)} the day of week,
 * {@code (31, 1)} the day of month, {@code (12, 1)} the month), and those on ranges no field has are adapted
 * to the nearest field, as said on each.
 */
class CronFieldTests {

	/** {@code test_parse_star}. */
	@Test
	void aStarIsEveryValueOfTheField() {
		assertThat(values(CronField.HOUR, "*")).isEqualTo(range(0, 23));
		assertThat(values(CronField.MINUTE, "*")).isEqualTo(range(0, 59));
		assertThat(values(CronField.DAY_OF_WEEK, "*")).isEqualTo(range(0, 6));
		assertThat(values(CronField.DAY_OF_MONTH, "*")).isEqualTo(range(1, 31));
		assertThat(values(CronField.MONTH_OF_YEAR, "*")).isEqualTo(range(1, 12));
	}

	/** {@code test_parse_range}. */
	@Test
	void aRangeIncludesBothEnds() {
		assertThat(values(CronField.MINUTE, "1-10")).isEqualTo(range(1, 10));
		assertThat(values(CronField.HOUR, "0-20")).isEqualTo(range(0, 20));
		assertThat(values(CronField.MINUTE, "2-10")).isEqualTo(range(2, 10));
	}

	/**
	 * {@code test_parse_range_wraps}: {@code crontab_parser(12).parse('11-1') == {11, 0, 1}}, adapted to the
	 * hour ({@code 23-1}); {@code crontab_parser(60, 1).parse('2-1')} is every value, adapted to the day of month.
	 */
	@Test
	void aRangeBackwardsWrapsAroundTheEnd() {
		assertThat(values(CronField.HOUR, "23-1")).containsExactlyInAnyOrder(23, 0, 1);
		assertThat(values(CronField.DAY_OF_MONTH, "2-1")).isEqualTo(range(1, 31));
		assertThat(values(CronField.DAY_OF_WEEK, "fri-mon")).containsExactlyInAnyOrder(5, 6, 0, 1);
	}

	/** {@code test_parse_groups}. */
	@Test
	void aListIsTheUnionOfItsParts() {
		assertThat(values(CronField.MINUTE, "1,2,3,4")).containsExactly(1, 2, 3, 4);
		assertThat(values(CronField.MINUTE, "0,15,30,45")).containsExactly(0, 15, 30, 45);
		assertThat(values(CronField.DAY_OF_MONTH, "1,2,3,4")).containsExactly(1, 2, 3, 4);
	}

	/** {@code test_parse_steps}, and {@code test_crontab_spec_dom_formats}' {@code '*}{@code /5'}. */
	@Test
	void aStepKeepsEveryNthValueFromTheFirst() {
		assertThat(values(CronField.MINUTE, "*/2")).isEqualTo(stepped(0, 59, 2));
		assertThat(values(CronField.MINUTE, "*/3")).isEqualTo(stepped(0, 59, 3));
		assertThat(values(CronField.DAY_OF_MONTH, "*/5")).containsExactly(1, 6, 11, 16, 21, 26, 31);
		assertThat(values(CronField.MONTH_OF_YEAR, "*/2")).containsExactly(1, 3, 5, 7, 9, 11);
		assertThat(values(CronField.DAY_OF_WEEK, "*/2")).containsExactly(0, 2, 4, 6);
	}

	/**
	 * {@code test_parse_composite}; {@code crontab_parser(min_=1).parse('55-5/3') == {55, 58, 1, 4}} read as a
	 * minute (0-59) gives the same values, although the wrapped range counts 0 instead of 60.
	 */
	@Test
	void rangesWithStepsAndListsCombine() {
		assertThat(values(CronField.MINUTE, "2-9/5")).containsExactly(2, 7);
		assertThat(values(CronField.MINUTE, "2-10/5")).containsExactly(2, 7);
		assertThat(values(CronField.MINUTE, "2-11/5,3")).containsExactly(2, 3, 7);
		assertThat(values(CronField.MINUTE, "2-4/3,*/5,0-21/4")).containsExactly(0, 2, 4, 5, 8, 10, 12, 15, 16, 20,
				25, 30, 35, 40, 45, 50, 55);
		assertThat(values(CronField.MINUTE, "1-9/2")).containsExactly(1, 3, 5, 7, 9);
		assertThat(values(CronField.MINUTE, "55-5/3")).containsExactly(1, 4, 55, 58);
		assertThat(values(CronField.MONTH_OF_YEAR, "2-12/2")).containsExactly(2, 4, 6, 8, 10, 12);
	}

	/** {@code test_crontab_spec_dow_formats}. */
	@Test
	void daysOfWeekByNumberOrName() {
		assertThat(values(CronField.DAY_OF_WEEK, "5")).containsExactly(5);
		assertThat(values(CronField.DAY_OF_WEEK, "fri")).containsExactly(5);
		assertThat(values(CronField.DAY_OF_WEEK, "tuesday,sunday,fri")).containsExactly(0, 2, 5);
		assertThat(values(CronField.DAY_OF_WEEK, "mon-fri")).containsExactly(1, 2, 3, 4, 5);
		assertThat(values(CronField.DAY_OF_WEEK, "SUN")).containsExactly(0);
	}

	/** Month names, which cron(5) reads and Celery does not. */
	@Test
	void monthsByNumberOrName() {
		assertThat(values(CronField.MONTH_OF_YEAR, "jan")).containsExactly(1);
		assertThat(values(CronField.MONTH_OF_YEAR, "jun-aug")).containsExactly(6, 7, 8);
		assertThat(values(CronField.MONTH_OF_YEAR, "december,2")).containsExactly(2, 12);
	}

	/** {@code test_eq}: crontabs are equal when their expanded fields are. */
	@Test
	void crontabsThatExpandAlikeAreEqual() {
		assertThat(CronSchedule.of("*", "*", "1, 2", "*", "*", ZoneOffset.UTC))
			.isEqualTo(CronSchedule.of("*", "*", "1-2", "*", "*", ZoneOffset.UTC));
		assertThat(CronSchedule.of("*", "*", "*", "1, 16, 31", "*", ZoneOffset.UTC))
			.isEqualTo(CronSchedule.of("*", "*", "*", "*/15", "*", ZoneOffset.UTC));
		assertThat(CronSchedule.parse("1 * * * *", ZoneOffset.UTC))
			.isNotEqualTo(CronSchedule.parse("2 * * * *", ZoneOffset.UTC));
	}

	/**
	 * {@code test_parse_errors_on_empty_string}, {@code _on_empty_group}, {@code _on_empty_steps},
	 * {@code _on_negative_number}.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "", "1,,2", "*/", "-20", "1-5/", "*/0", "*/x" })
	void malformedFieldsAreRefused(String spec) {
		assertThatExceptionOfType(InvalidCronException.class).isThrownBy(() -> CronField.MINUTE.parse(spec))
			.satisfies((ex) -> assertThat(ex.getField()).isEqualTo("minute"))
			.withMessageStartingWith("The minute field '" + spec + "'");
	}

	/**
	 * {@code test_parse_errors_on_lt_min}, {@code _on_gt_max}, {@code test_crontab_spec_invalid_minute},
	 * {@code _hour}, {@code _dow} ({@code '7'} included: Celery's Sunday is 0 only), {@code _dom},
	 * {@code _moy}.
	 */
	@Test
	void valuesOutOfTheFieldAreRefused() {
		assertThatExceptionOfType(InvalidCronException.class).isThrownBy(() -> CronField.MINUTE.parse("60"));
		assertThatExceptionOfType(InvalidCronException.class).isThrownBy(() -> CronField.MINUTE.parse("0-100"));
		assertThatExceptionOfType(InvalidCronException.class).isThrownBy(() -> CronField.MINUTE.parse("61-0"));
		assertThatExceptionOfType(InvalidCronException.class).isThrownBy(() -> CronField.HOUR.parse("24"));
		assertThatExceptionOfType(InvalidCronException.class).isThrownBy(() -> CronField.HOUR.parse("0-30"));
		for (String dow : new String[] { "fooday-barday", "1,4,foo", "7", "12", "monkey" }) {
			assertThatExceptionOfType(InvalidCronException.class).as(dow)
				.isThrownBy(() -> CronField.DAY_OF_WEEK.parse(dow))
				.satisfies((ex) -> assertThat(ex.getField()).isEqualTo("day_of_week"));
		}
		for (String dom : new String[] { "0", "0-10", "32", "31,32" }) {
			assertThatExceptionOfType(InvalidCronException.class).as(dom)
				.isThrownBy(() -> CronField.DAY_OF_MONTH.parse(dom));
		}
		for (String moy : new String[] { "0", "0-5", "13", "12,13", "fooary" }) {
			assertThatExceptionOfType(InvalidCronException.class).as(moy)
				.isThrownBy(() -> CronField.MONTH_OF_YEAR.parse(moy));
		}
		assertThatExceptionOfType(InvalidCronException.class).isThrownBy(() -> CronField.MINUTE.parse("mon"))
			.withMessageContaining("not a number");
	}

	@Test
	void aCrontabOfOtherThanFiveFieldsIsRefusedNamingTheWholeExpression() {
		assertThatExceptionOfType(InvalidCronException.class)
			.isThrownBy(() -> CronSchedule.parse("0 7 * *", ZoneOffset.UTC))
			.satisfies((ex) -> assertThat(ex.getField()).isEqualTo("expression"))
			.withMessageContaining("has 4 fields");
		assertThatExceptionOfType(InvalidCronException.class)
			.isThrownBy(() -> CronSchedule.parse("0 7 * * mon-fri extra", ZoneOffset.UTC));
	}

	private static Set<Integer> values(CronField field, String spec) {
		long bits = field.parse(spec);
		return IntStream.range(0, 64).filter((i) -> (bits & (1L << i)) != 0).boxed()
			.collect(Collectors.toCollection(TreeSet::new));
	}

	private static Set<Integer> range(int from, int to) {
		return IntStream.rangeClosed(from, to).boxed().collect(Collectors.toCollection(TreeSet::new));
	}

	private static Set<Integer> stepped(int from, int to, int step) {
		return IntStream.rangeClosed(from, to).filter((i) -> (i - from) % step == 0).boxed()
			.collect(Collectors.toCollection(TreeSet::new));
	}

}
