package dev.taskqueue.it;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@link CeleryCanvasSemantics} over the Redis broker: Celery and our workers share one Redis of the test's own, as
 * broker and result backend.
 */
class CeleryCanvasRedisInteropIT extends CeleryCanvasSemantics {

	@Override
	protected ConfigurableApplicationContext startJava(int redisPort, String... properties) {
		return new SpringApplicationBuilder(RedisWorkerApplication.class).web(WebApplicationType.NONE)
			.properties(properties)
			.properties("taskqueue.broker=redis")
			.run();
	}

	@Override
	protected String celeryBroker(int redisPort) {
		return "redis://127.0.0.1:" + redisPort + "/0";
	}

	@Override
	protected String name() {
		return "redis";
	}

}
