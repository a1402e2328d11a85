package dev.taskqueue.worker;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Celery's two-signal shutdown for a JVM: the first SIGTERM or SIGINT shuts the application down as usual
 * (the workers' warm shutdown); a second one while that runs makes it cold: running tasks are interrupted and
 * their messages handed back at once instead of after the shutdown timeout.
 * <p>
 * The first signal is passed on to the handler installed before (the JVM's, which runs the shutdown hooks).
 * Uses {@code sun.misc.Signal}, the only way a JVM sees a signal; a signal that cannot be handled here (the
 * JVM runs with {@code -Xrs}, say) is left alone.
 */
final class ShutdownSignals {

	private static final Logger logger = LoggerFactory.getLogger(ShutdownSignals.class);

	private static final String[] SIGNALS = { "TERM", "INT" };

	private final Runnable coldShutdown;

	private final AtomicBoolean signalled = new AtomicBoolean();

	private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();

	private final SignalHandler handler = this::handle;

	private ShutdownSignals(Runnable coldShutdown) {
		this.coldShutdown = coldShutdown;
	}

	/**
	 * Handle SIGTERM and SIGINT until {@link #restore()}.
	 * @param coldShutdown what a second signal does
	 * @return the installed handlers
	 */
	static ShutdownSignals install(Runnable coldShutdown) {
		ShutdownSignals signals = new ShutdownSignals(coldShutdown);
		for (String name : SIGNALS) {
			Signal signal = new Signal(name);
			try {
				signals.previous.put(signal, Signal.handle(signal, signals.handler));
			}
			catch (IllegalArgumentException ex) {
				logger.debug("Signal {} cannot be handled here: {}", name, ex.getMessage());
			}
		}
		return signals;
	}

	private void handle(Signal signal) {
		if (this.signalled.compareAndSet(false, true)) {
			logger.info("SIG{} received: warm shutdown (send it again to stop at once, handing running tasks back)",
					signal.getName());
			SignalHandler next = this.previous.get(signal);
			if (next != null && next != SignalHandler.SIG_DFL && next != SignalHandler.SIG_IGN) {
				next.handle(signal);
			}
			else {
				System.exit(128 + signal.getNumber());
			}
		}
		else {
			logger.warn("SIG{} received again: cold shutdown, handing running tasks back", signal.getName());
			this.coldShutdown.run();
		}
	}

	/**
	 * Put back the handlers installed before, unless someone installed another one after ours.
	 */
	synchronized void restore() {
		this.previous.forEach((signal, handler) -> {
			SignalHandler current = Signal.handle(signal, handler);
			if (current != this.handler) {
				Signal.handle(signal, current);
			}
		});
		this.previous.clear();
	}

}
