package dev.taskqueue.result.memory;

import java.time.Clock;
import java.time.Duration;

import dev.taskqueue.result.ResultBackend;
import dev.taskqueue.result.ResultBackendContract;

/**
 * The in-memory result backend keeps the result backend contract, with no hook overridden: it stores results
 * where any caller of the same application reads them, at once, with their {@code date_done}.
 */
class InMemoryResultBackendContractTests extends ResultBackendContract {

	@Override
	protected ResultBackend createBackend() {
		return new InMemoryResultBackend(Duration.ofDays(1), Clock.systemUTC());
	}

}
