package dev.taskqueue.control;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The commands a worker accepts: by name, by kind ({@code inspect}, {@code control}) or all, a denied one refused
 * even when allowed.
 */
class AllowedCommandsTests {

	private final ControlCommand ping = command("ping", ControlCommand.Kind.INSPECT);

	private final ControlCommand shutdown = command("shutdown", ControlCommand.Kind.CONTROL);

	private final ControlCommand rateLimit = command("rate_limit", ControlCommand.Kind.CONTROL);

	@Test
	void everyCommandIsAllowedByDefault() {
		assertThat(AllowedCommands.ALL.allows(this.shutdown)).isTrue();
		assertThat(AllowedCommands.ALL.allows(this.ping)).isTrue();
	}

	@Test
	void inspectAllowsTheCommandsThatOnlyReadAndNamesAddOthers() {
		AllowedCommands allowed = AllowedCommands.of(List.of("inspect", "rate_limit"), List.of());

		assertThat(allowed.allows(this.ping)).isTrue();
		assertThat(allowed.allows(this.rateLimit)).isTrue();
		assertThat(allowed.allows(this.shutdown)).isFalse();
	}

	@Test
	void aDeniedCommandIsRefusedEvenWhenAllowed() {
		AllowedCommands allowed = AllowedCommands.of(List.of("*"), List.of("shutdown"));

		assertThat(allowed.allows(this.shutdown)).isFalse();
		assertThat(allowed.allows(this.rateLimit)).isTrue();
		assertThat(AllowedCommands.of(List.of("*"), List.of("control")).allows(this.rateLimit)).isFalse();
	}

	private static ControlCommand command(String name, ControlCommand.Kind kind) {
		return ScriptedCommand.replying(name, kind, null);
	}

}
