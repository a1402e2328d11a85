package dev.taskqueue.result.memory;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.taskqueue.TaskState;
import dev.taskqueue.result.TaskResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The striped open-addressing table behaves as a map under any mix of stores, removals and expiries
 * (checked against a {@link HashMap}), including the entries moved back when one is removed.
 */
class ResultTableTests {

	private static final Instant AT = Instant.parse("2026-11-25T10:00:00Z");

	@Test
	void behavesAsAMap() {
		ResultTable table = new ResultTable();
		Map<String, Long> expected = new HashMap<>();
		Random random = new Random(42);
		for (int step = 0; step < 200_000; step++) {
			// few ids, so that probe chains collide and removals move entries back
			String id = "id-" + random.nextInt(3_000);
			int action = random.nextInt(10);
			if (action < 6) {
				long expiresAt = step + 1 + random.nextInt(50_000);
				table.store(TaskResult.started(id, "host", expiresAt), step, expiresAt);
				expected.put(id, expiresAt);
			}
			else if (action < 8) {
				table.remove(id);
				expected.remove(id);
			}
			else if (action < 9) {
				TaskResult result = table.fetch(id, step);
				Long expiresAt = expected.get(id);
				if (expiresAt != null && expiresAt <= step) {
					expected.remove(id);
					expiresAt = null;
				}
				assertThat(result).isEqualTo((expiresAt != null) ? TaskResult.started(id, "host", expiresAt) : null);
			}
			else if (step % 1000 == 0) {
				long now = step;
				table.removeExpired(now);
				expected.values().removeIf((expiresAt) -> expiresAt <= now);
			}
			assertThat(table.size()).isEqualTo(expected.size());
		}
		for (Map.Entry<String, Long> entry : expected.entrySet()) {
			assertThat(table.fetch(entry.getKey(), 0)).isEqualTo(TaskResult.started(entry.getKey(), "host", entry.getValue()));
		}
	}

	@Test
	void fetchesEveryKindOfResultAsStored() {
		List<TaskResult> results = List.of(TaskResult.success("a", 5L, AT),
				TaskResult.success("b", null, Instant.parse("1969-12-31T23:59:59.999999999Z")),
				TaskResult.success("c", Map.of("k", List.of(1)), Instant.MAX),
				TaskResult.success("d", "x", null), new TaskResult("e", TaskState.SUCCESS, 1, "traceback", AT),
				TaskResult.failure("f", new IllegalStateException("boom"), AT), TaskResult.started("g", "host", 1),
				TaskResult.revoked("h", "expired", AT), TaskResult.retry("i", new IllegalStateException("again")));
		ResultTable table = new ResultTable();
		for (TaskResult result : results) {
			table.store(result, 0, 100);
		}
		for (TaskResult result : results) {
			assertThat(table.fetch(result.taskId(), 50)).isEqualTo(result);
		}
	}

	@Test
	void aSuccessKeptAsItsValueIsStillFinal() {
		ResultTable table = new ResultTable();
		table.store(TaskResult.success("a", 1, AT), 0, 100);
		table.store(TaskResult.failure("a", new IllegalStateException("late"), AT), 10, 110);
		assertThat(table.fetch("a", 20)).isEqualTo(TaskResult.success("a", 1, AT));
		table.store(TaskResult.started("b", "host", 1), 0, 100);
		table.store(TaskResult.success("b", 2, AT), 10, 110);
		table.store(TaskResult.revoked("b", "revoked", AT), 20, 120);
		assertThat(table.fetch("b", 30)).isEqualTo(TaskResult.success("b", 2, AT));
	}

	@Test
	void successIsKeptUntilItExpires() {
		ResultTable table = new ResultTable();
		table.store(TaskResult.success("a", 1, AT), 0, 100);
		table.store(TaskResult.success("a", 2, AT), 50, 150);
		assertThat(table.fetch("a", 60).result()).isEqualTo(1);
		table.store(TaskResult.success("a", 3, AT), 100, 200);
		assertThat(table.fetch("a", 120).result()).isEqualTo(3);
	}

	@Test
	void growsAndShrinks() {
		ResultTable table = new ResultTable();
		for (int i = 0; i < 100_000; i++) {
			table.store(TaskResult.success("t" + i, i, AT), 0, (i < 90_000) ? 10 : 20);
		}
		assertThat(table.size()).isEqualTo(100_000);
		table.removeExpired(10);
		assertThat(table.size()).isEqualTo(10_000);
		assertThat(table.fetch("t5", 10)).isNull();
		assertThat(table.fetch("t95000", 10).result()).isEqualTo(95_000);
	}

}
