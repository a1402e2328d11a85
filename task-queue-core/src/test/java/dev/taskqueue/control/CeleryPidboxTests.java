package dev.taskqueue.control;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import dev.taskqueue.revoke.InMemoryRevocations;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Revocations crossing to Celery are still the application's revocations: what is revoked through the pidbox is
 * listed as the revocations it wraps list it (Celery's {@code inspect revoked}, the actuator's endpoint).
 */
class CeleryPidboxTests {

	@Test
	void listsTheRevokedIdsOfTheRevocationsItWraps() {
		InMemoryRevocations revocations = new InMemoryRevocations(Duration.ofHours(1), Clock.systemUTC());
		CeleryPidbox pidbox = new CeleryPidbox(revocations, new SilentTransport(), null, JsonMapper.builder().build(),
				Clock.systemUTC());
		pidbox.revoke("task-1", false);
		assertThat(pidbox.revokedIds()).containsExactly("task-1");
	}

	/**
	 * A pidbox that reaches no Celery peer.
	 */
	static class SilentTransport implements PidboxTransport {

		@Override
		public void broadcast(byte[] command, Map<String, Object> headers) {
		}

		@Override
		public void reply(String exchange, String routingKey, byte[] reply, Map<String, Object> headers) {
		}

		@Override
		public void listen(String hostname, Handler handler) {
		}

		@Override
		public void close() {
		}

	}

}
