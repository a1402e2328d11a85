package dev.taskqueue.revoke;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.taskqueue.MovableClock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The revocations in force are those of the window, as {@code isRevoked} answers them.
 */
class InMemoryRevocationsTests {

	@Test
	void listsTheIdsRevokedWithinTheWindow() {
		MovableClock clock = new MovableClock(Instant.parse("2026-12-07T10:00:00Z"));
		InMemoryRevocations revocations = new InMemoryRevocations(Duration.ofMinutes(10), clock);
		assertThat(revocations.revokedIds()).isEmpty();
		revocations.revoke("old", false);
		clock.advance(Duration.ofMinutes(6));
		revocations.revoke("new", true);
		assertThat(revocations.revokedIds()).containsExactlyInAnyOrder("old", "new");
		clock.advance(Duration.ofMinutes(5));
		assertThat(revocations.revokedIds()).containsExactly("new");
		assertThat(revocations.isRevoked("old")).isFalse();
		clock.advance(Duration.ofMinutes(6));
		assertThat(revocations.revokedIds()).isEmpty();
	}

	@Test
	void aRevocationReadBackFromASharedLogLeavesTheWindowWhenItWouldHaveWhereItWasMade() {
		MovableClock clock = new MovableClock(Instant.parse("2026-12-07T10:00:00Z"));
		InMemoryRevocations revocations = new InMemoryRevocations(Duration.ofMinutes(10), clock);
		revocations.revoke("read-late", false, clock.instant().minus(Duration.ofMinutes(8)));
		revocations.revoke("too-old", false, clock.instant().minus(Duration.ofMinutes(11)));
		assertThat(revocations.revokedIds()).containsExactly("read-late");
		clock.advance(Duration.ofMinutes(3));
		assertThat(revocations.revokedIds()).isEmpty();
		assertThat(revocations.isRevoked("read-late")).isFalse();
	}

}
