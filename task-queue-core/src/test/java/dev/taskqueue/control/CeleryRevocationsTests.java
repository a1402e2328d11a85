package dev.taskqueue.control;

import java.time.Clock;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.protocol.LamportClock;
import dev.taskqueue.revoke.InMemoryRevocations;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A revocation made here reaches Celery's workers as {@code app.control.revoke(id)} sends it, and stays the
 * application's revocation: listed as the revocations it wraps list it, and recorded there, not broadcast back,
 * when it comes from Celery.
 */
class CeleryRevocationsTests {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private final InMemoryRevocations delegate = new InMemoryRevocations(Duration.ofHours(1), Clock.systemUTC());

	private final RecordingPidboxTransport transport = new RecordingPidboxTransport();

	private final CeleryRevocations revocations = new CeleryRevocations(this.delegate, this.transport, MAPPER,
			Clock.systemUTC(), new LamportClock());

	@Test
	void aRevocationIsBroadcastAsCeleryBroadcastsOneThatWantsNoReply() {
		this.revocations.revoke("task-1", true);

		assertThat(this.transport.broadcasts).singleElement().satisfies((sent) -> {
			JsonNode command = MAPPER.readTree(sent.body());
			assertThat(command.path("method").asString()).isEqualTo("revoke");
			assertThat(command.path("arguments").path("task_id").asString()).isEqualTo("task-1");
			assertThat(command.path("arguments").path("terminate").asBoolean()).isTrue();
			assertThat(command.path("arguments").path("signal").asString()).isEqualTo("SIGTERM");
			assertThat(command.has("destination")).isTrue();
			// a request that wants no reply has no ticket and no reply_to
			assertThat(command.has("ticket")).isFalse();
			assertThat(command.has("reply_to")).isFalse();
			assertThat(sent.headers()).containsKeys("clock", "expires", CeleryRevocations.ORIGIN_HEADER);
		});
	}

	@Test
	void listsTheRevokedIdsOfTheRevocationsItWraps() {
		this.revocations.revoke("task-1", false);

		assertThat(this.revocations.revokedIds()).containsExactly("task-1");
		assertThat(this.revocations.isRevoked("task-1")).isTrue();
	}

	@Test
	void aRevocationFromCeleryIsRecordedInTheWrappedRevocationsWithoutABroadcast() {
		CeleryRevocations.local(this.revocations).revoke("from-celery", false);

		assertThat(this.revocations.isRevoked("from-celery")).isTrue();
		assertThat(this.transport.broadcasts).isEmpty();
		assertThat(CeleryRevocations.local(this.delegate)).isSameAs(this.delegate);
	}

}
