package dev.taskqueue.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import dev.taskqueue.broker.LoopStep;
import dev.taskqueue.control.PidboxTransport;

/**
 * A client's remote-control reply queue on Redis, declared and consumed as kombu does for {@code app.control}:
 * bound to the direct exchange {@code reply.celery.pidbox} by a member of {@code _kombu.binding.reply.celery.pidbox}
 * (which is how a worker finds it), and emptied by BRPOP on a connection and thread of its own. Closing it removes
 * the binding and deletes the lists of its four priority buckets, as kombu deletes an auto-delete queue.
 * <p>
 * The loop outlives an outage: it logs once and retries each second; and each second without a reply it binds
 * the queue again (idempotent), since Lettuce reconnects a blocked BRPOP to a restarted Redis without a word, and
 * that Redis may have lost the binding. A reply its BRPOP takes after the queue was closed is handed back
 * to the queue if a new consumer of the same client has bound it meanwhile, and dropped otherwise.
 */
final class RedisReplyQueue implements PidboxTransport.Subscription {

	private static final Logger logger = LoggerFactory.getLogger(RedisReplyQueue.class);

	static final String BINDINGS = "_kombu.binding." + "reply.celery.pidbox";

	private static final String SEPARATOR = "\u0006\u0016";

	/** kombu's priority steps: a queue is a list per step, all but the first suffixed with the step. */
	private static final List<Integer> PRIORITY_STEPS = List.of(0, 3, 6, 9);

	private static final int BLOCK_SECONDS = 1;

	private static final Duration RETRY = Duration.ofSeconds(1);

	private final RedisConnectionFactory connectionFactory;

	private final StringRedisTemplate redis;

	private final RedisScript<Long> push;

	private final String queue;

	private final String binding;

	private final Consumer<byte[]> receiver;

	private final Thread thread;

	/** Keeps a rebinding from undoing close()'s unbinding. */
	private final Object bindingLock = new Object();

	private volatile boolean closed;

	/**
	 * Bind the queue, then start consuming it.
	 * @throws RuntimeException if Redis could not bind it
	 */
	RedisReplyQueue(RedisConnectionFactory connectionFactory, StringRedisTemplate redis, RedisScript<Long> push,
			String oid, Consumer<byte[]> receiver) {
		this.connectionFactory = connectionFactory;
		this.redis = redis;
		this.push = push;
		this.queue = queue(oid);
		this.binding = binding(oid);
		this.receiver = receiver;
		this.redis.opsForSet().add(BINDINGS, this.binding);
		this.thread = new Thread(this::consume, "taskqueue-pidbox-replies");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	/**
	 * The reply queue of a client: {@code <oid>.reply.celery.pidbox}.
	 */
	static String queue(String oid) {
		return oid + ".reply.celery.pidbox";
	}

	/**
	 * The queue's member of {@link #BINDINGS}: routing key, pattern (none) and queue, as kombu joins them.
	 */
	static String binding(String oid) {
		return oid + SEPARATOR + SEPARATOR + queue(oid);
	}

	private void consume() {
		boolean failing = false;
		while (!this.closed) {
			try (RedisConnection connection = this.connectionFactory.getConnection()) {
				while (!this.closed) {
					List<byte[]> popped = connection.listCommands()
						.bRPop(BLOCK_SECONDS, this.queue.getBytes(StandardCharsets.UTF_8));
					if (popped != null && popped.size() == 2) {
						received(popped.get(1));
					}
					else {
						// idle for a second: Lettuce may have reconnected the BRPOP to a Redis that lost the binding
						rebind();
					}
					if (failing) {
						logger.info("Receiving remote-control replies from Redis again");
						failing = false;
					}
				}
			}
			catch (RuntimeException ex) {
				if (this.closed || (this.connectionFactory instanceof SmartLifecycle lifecycle
						&& !lifecycle.isRunning())) {
					return;
				}
				if (!failing) {
					logger.warn("Receiving remote-control replies from Redis failed, retrying each {}: {}", RETRY,
							ex.toString());
					failing = true;
				}
				pause();
			}
			catch (Throwable ex) {
				LoopStep.failed("The remote-control reply queue on Redis", ex);
				pause();
			}
		}
	}

	private void received(byte[] message) {
		if (this.closed) {
			// taken by a BRPOP that outlived the close: a new consumer of this client may be waiting for it
			this.redis.execute(this.push, List.of(BINDINGS, this.queue), this.binding,
					new String(message, StandardCharsets.UTF_8), "RPUSH");
			return;
		}
		LoopStep.run("The remote-control reply queue on Redis", () -> this.receiver.accept(message));
	}

	private void rebind() {
		synchronized (this.bindingLock) {
			// never after close() unbound it
			if (!this.closed) {
				this.redis.opsForSet().add(BINDINGS, this.binding);
			}
		}
	}

	private void pause() {
		long until = System.nanoTime() + RETRY.toNanos();
		while (!this.closed && System.nanoTime() < until) {
			try {
				Thread.sleep(50);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	@Override
	public void close() {
		synchronized (this.bindingLock) {
			this.closed = true;
			try {
				this.redis.opsForSet().remove(BINDINGS, this.binding);
				this.redis.delete(PRIORITY_STEPS.stream().map(this::bucket).toList());
			}
			catch (RuntimeException ex) {
				logger.warn("Could not delete the remote-control reply queue '{}' from Redis: {}", this.queue,
						ex.toString());
			}
		}
	}

	private String bucket(int priority) {
		return (priority == 0) ? this.queue : this.queue + SEPARATOR + priority;
	}

}
