package dev.taskqueue.actuate.health;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;

/**
 * Whether the application's workers are shutting down (Celery's {@code worker_shutting_down}): from the moment
 * its context starts closing, before the workers stop consuming and finish their running tasks. A worker in
 * that state has cancelled its consumers on purpose: health reports it OUT_OF_SERVICE, not DOWN.
 */
public class WorkersShutdown implements ApplicationListener<ContextClosedEvent>, ApplicationContextAware {

	private volatile boolean shuttingDown;

	private @Nullable ApplicationContext context;

	@Override
	public void setApplicationContext(ApplicationContext context) {
		this.context = context;
	}

	@Override
	public void onApplicationEvent(ContextClosedEvent event) {
		// a child context (a management context on its own port) closing is not the workers' shutdown
		if (this.context == null || event.getApplicationContext() == this.context) {
			this.shuttingDown = true;
		}
	}

	/**
	 * Whether the workers are shutting down.
	 * @return {@code true} once the application's context has begun to close
	 */
	public boolean isShuttingDown() {
		return this.shuttingDown;
	}

}
