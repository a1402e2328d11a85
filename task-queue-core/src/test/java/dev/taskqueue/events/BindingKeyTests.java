package dev.taskqueue.events;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Binding keys match routing keys as RabbitMQ's topic exchange does: {@code *} one word, {@code #} zero or more.
 */
class BindingKeyTests {

	@Test
	void hashMatchesEveryEvent() {
		assertThat(BindingKey.ALL.matches("worker.heartbeat")).isTrue();
		assertThat(BindingKey.ALL.matches("task.multi")).isTrue();
		assertThat(BindingKey.ALL.matches("custom")).isTrue();
	}

	@Test
	void aGroupsHashMatchesItsEventsOnly() {
		BindingKey workers = new BindingKey("worker.#");
		assertThat(workers.matches("worker.heartbeat")).isTrue();
		assertThat(workers.matches("worker")).isTrue();
		assertThat(workers.matches("task.multi")).isFalse();
		assertThat(workers.matches("workers.heartbeat")).isFalse();
	}

	@Test
	void aStarMatchesExactlyOneWord() {
		BindingKey multi = new BindingKey("*.multi");
		assertThat(multi.matches("task.multi")).isTrue();
		assertThat(multi.matches("multi")).isFalse();
		assertThat(multi.matches("a.b.multi")).isFalse();
		assertThat(new BindingKey("task.*").matches("task.sent")).isTrue();
		assertThat(new BindingKey("task.*").matches("task.sent.extra")).isFalse();
	}

	@Test
	void aPlainKeyMatchesItself() {
		assertThat(new BindingKey("task.sent").matches("task.sent")).isTrue();
		assertThat(new BindingKey("task.sent").matches("task.multi")).isFalse();
	}

	@Test
	void hashesMatchInTheMiddleToo() {
		assertThat(new BindingKey("a.#.z").matches("a.z")).isTrue();
		assertThat(new BindingKey("a.#.z").matches("a.b.c.z")).isTrue();
		assertThat(new BindingKey("a.#.z").matches("a.b.c")).isFalse();
	}

	@Test
	void anEmptyKeyIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new BindingKey(""));
	}

}
