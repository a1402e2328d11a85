package dev.taskqueue.redis;

/**
 * What a {@link RedisBroker} was built with, for the tests of the modules that build one (the
 * auto-configuration's), which do not see the broker's package-private keys.
 */
public final class RedisBrokers {

	private RedisBrokers() {
	}

	/**
	 * The prefix of every key the broker uses.
	 * @param broker the broker
	 * @return the prefix, empty when the keys are Celery's
	 */
	public static String keyPrefix(RedisBroker broker) {
		return broker.keys().prefix();
	}

}
