package dev.taskqueue.rabbitmq;

import java.time.Duration;

/**
 * How the rpc result backend keeps results, consumes its reply queue and publishes results.
 *
 * @param expires how long results are kept ({@code taskqueue.result-expires}): the reply queue's
 * {@code x-expires} and the local cache's
 * @param recoveryInterval how long the reply queue's consumer waits between reconnection attempts
 * @param confirmTimeout how long a worker waits for the broker to take a result
 */
public record RpcResultBackendSettings(Duration expires, Duration recoveryInterval, Duration confirmTimeout) {

	/**
	 * The defaults of {@code taskqueue.result-expires} and {@code taskqueue.rabbitmq}.
	 * @return the settings
	 */
	public static RpcResultBackendSettings defaults() {
		return new RpcResultBackendSettings(Duration.ofDays(1), Duration.ofSeconds(1), Duration.ofSeconds(10));
	}

}
