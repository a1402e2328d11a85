package dev.taskqueue.control;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.taskqueue.broker.LoopStep;

/**
 * Celery's remote control within one JVM, for the in-memory broker: a command reaches every worker of the
 * application that {@linkplain #listen listens}, a reply the client whose reply queue is open. As on a broker,
 * handlers are called on the transport's thread (one, so that messages keep their order), never on the sender's,
 * and a reply for a client that no longer listens is dropped.
 */
public class InMemoryPidboxTransport implements PidboxTransport {

	private static final Logger logger = LoggerFactory.getLogger(InMemoryPidboxTransport.class);

	private static final String LOOP = "The in-memory remote-control transport";

	private final List<Handler> listeners = new CopyOnWriteArrayList<>();

	private final Map<String, Handler> replyQueues = new ConcurrentHashMap<>();

	private final ThreadPoolExecutor dispatcher;

	/**
	 * Create the transport; its thread starts with the first message and ends a second after the last.
	 */
	public InMemoryPidboxTransport() {
		this.dispatcher = new ThreadPoolExecutor(1, 1, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), (task) -> {
			Thread thread = new Thread(task, "taskqueue-pidbox-memory");
			thread.setDaemon(true);
			return thread;
		});
		this.dispatcher.allowCoreThreadTimeOut(true);
	}

	@Override
	public void broadcast(byte[] command, Map<String, Object> headers) {
		Map<String, Object> copied = new LinkedHashMap<>(headers);
		for (Handler listener : this.listeners) {
			this.dispatcher.execute(LoopStep.guarded(LOOP, () -> listener.received(command, copied)));
		}
	}

	@Override
	public void reply(String exchange, String routingKey, byte[] reply, Map<String, Object> headers) {
		// routed when sent, as a broker routes it: to the reply queue open now, or nowhere
		Handler handler = this.replyQueues.get(routingKey);
		if (handler == null) {
			logger.debug("Dropped a remote-control reply for '{}', which does not listen", routingKey);
			return;
		}
		Map<String, Object> copied = new LinkedHashMap<>(headers);
		this.dispatcher.execute(LoopStep.guarded(LOOP, () -> {
			// and dropped if the queue was closed while it was on its way
			if (this.replyQueues.get(routingKey) == handler) {
				handler.received(reply, copied);
			}
		}));
	}

	@Override
	public void listen(String hostname, Handler handler) {
		this.listeners.add(handler);
	}

	@Override
	public Subscription replies(String oid, Handler handler) {
		if (this.replyQueues.putIfAbsent(oid, handler) != null) {
			throw new IllegalStateException("The reply queue of '" + oid + "' is consumed already");
		}
		return () -> this.replyQueues.remove(oid, handler);
	}

	/**
	 * Stop delivering commands to the listeners; the reply queues stay open until their subscriptions close.
	 */
	@Override
	public void close() {
		this.listeners.clear();
	}

}
