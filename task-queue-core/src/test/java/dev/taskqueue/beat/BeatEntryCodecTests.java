package dev.taskqueue.beat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.SendOptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Entries put at run time, as the broker keeps them: written with configuration's words and read back whole.
 */
class BeatEntryCodecTests {

	private final BeatEntryCodec codec = new BeatEntryCodec(JsonMapper.builder().build());

	@Test
	void aCrontabEntryWithEveryOptionIsReadBackAsWritten() {
		BeatEntry entry = BeatEntry.of("nightly-report", "reports.render",
				CronSchedule.parse("0 7 * * mon-fri", ZoneId.of("Europe/Paris")))
			.withArgs(List.of(42))
			.withKwargs(Map.of("format", "pdf"))
			.withOptions(SendOptions.defaults()
				.withQueue("reports")
				.withPriority(5)
				.withExpires(Duration.ofMinutes(10))
				.withSerializer("msgpack")
				.withCompression("zlib")
				.withHeader("team", "finance"))
			.withCatchUp(CatchUp.SKIP);
		String document = this.codec.write(entry);
		assertThat(document).isEqualTo("{\"task\":\"reports.render\",\"cron\":\"0 7 * * mon-fri\","
				+ "\"timezone\":\"Europe/Paris\",\"args\":[42],\"kwargs\":{\"format\":\"pdf\"},\"queue\":\"reports\","
				+ "\"priority\":5,\"expires\":\"PT10M\",\"serializer\":\"msgpack\",\"compression\":\"zlib\","
				+ "\"headers\":{\"team\":\"finance\"},\"catch-up\":\"skip\"}");
		assertThat(this.codec.read("nightly-report", document)).isEqualTo(entry);
	}

	@Test
	void anIntervalEntryIsReadBackAsWritten() {
		BeatEntry entry = BeatEntry.of("heartbeat", "sample.echo", Schedule.every(Duration.ofSeconds(30)))
			.withArgs(List.of("tick"));
		assertThat(this.codec.read("heartbeat", this.codec.write(entry))).isEqualTo(entry);
	}

	@Test
	void aScheduleOfAnotherKindCannotBeKeptInTheBroker() {
		Schedule custom = new Schedule() {

			@Override
			public Instant next(Instant after) {
				return after.plusSeconds(1);
			}

			@Override
			public String describe() {
				return "custom";
			}

		};
		assertThatIllegalArgumentException().isThrownBy(() -> this.codec.write(BeatEntry.of("x", "t", custom)))
			.withMessageContaining("only cron and interval schedules can be added at run time");
	}

}
