package dev.taskqueue.control.panel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import dev.taskqueue.protocol.LogText;
import dev.taskqueue.worker.WorkerSnapshot;
import dev.taskqueue.worker.Workers;

/**
 * The queues a worker consumes, as Celery's {@code active_queues}, {@code add_consumer} and
 * {@code cancel_consumer} show and change them.
 */
final class Consumers {

	private static final Logger logger = LoggerFactory.getLogger(Consumers.class);

	private final Workers workers;

	/**
	 * Changes the consumers after the reply, in the order asked, as Celery's {@code call_soon}: a resubscription
	 * may wait for a broker's poll to end, longer than a client waits for replies. Its thread ends when idle.
	 */
	private final ThreadPoolExecutor changes = new ThreadPoolExecutor(0, 1, 10, TimeUnit.SECONDS,
			new LinkedBlockingQueue<>(), (runnable) -> {
				Thread thread = new Thread(runnable, "taskqueue-control-consumers");
				thread.setDaemon(true);
				return thread;
			});

	Consumers(Workers workers) {
		this.workers = workers;
	}

	List<Command> commands() {
		return List.of(Command.inspect("active_queues", this::activeQueues),
				Command.control("add_consumer", this::add), Command.control("cancel_consumer", this::cancel));
	}

	/**
	 * Consume a queue: a configured one paused is resumed, any other is added to the first worker group. The
	 * {@code exchange}, {@code exchange_type} and {@code routing_key} Celery also takes are not used: on RabbitMQ,
	 * a queue that does not exist is declared as Celery declares a missing queue.
	 */
	private Map<String, Object> add(JsonNode arguments) {
		String queue = Arguments.required(arguments, "queue", "add_consumer");
		soon("add a consumer of '" + queue + "'", () -> this.workers.addConsumer(queue));
		return Reply.ok("add consumer " + queue);
	}

	private Map<String, Object> cancel(JsonNode arguments) {
		String queue = Arguments.required(arguments, "queue", "cancel_consumer");
		soon("cancel the consumer of '" + queue + "'", () -> this.workers.cancelConsumer(queue));
		return Reply.ok("no longer consuming from " + queue);
	}

	private void soon(String what, Runnable change) {
		this.changes.execute(() -> {
			try {
				change.run();
			}
			catch (RuntimeException ex) {
				logger.error("Remote control could not {}", LogText.escape(what), ex);
			}
		});
	}

	/**
	 * The queues consumed now, each as kombu describes a {@code Queue} ({@code Queue.as_dict}): a durable queue
	 * bound to the direct exchange of its name, as Celery declares the queues it is told of by name.
	 */
	private List<Map<String, @Nullable Object>> activeQueues(JsonNode arguments) {
		List<Map<String, @Nullable Object>> queues = new ArrayList<>();
		for (WorkerSnapshot worker : this.workers.snapshot()) {
			if (!worker.running()) {
				continue;
			}
			worker.queues()
				.stream()
				.filter((queue) -> !worker.pausedQueues().contains(queue))
				.forEach((queue) -> queues.add(describe(queue)));
		}
		return queues;
	}

	private static Map<String, @Nullable Object> describe(String queue) {
		Map<String, @Nullable Object> exchange = new LinkedHashMap<>();
		exchange.put("name", queue);
		exchange.put("type", "direct");
		exchange.put("arguments", null);
		exchange.put("durable", true);
		exchange.put("passive", false);
		exchange.put("auto_delete", false);
		exchange.put("delivery_mode", null);
		exchange.put("no_declare", false);
		Map<String, @Nullable Object> description = new LinkedHashMap<>();
		description.put("name", queue);
		description.put("exchange", exchange);
		description.put("routing_key", queue);
		for (String key : List.of("queue_arguments", "binding_arguments", "consumer_arguments")) {
			description.put(key, null);
		}
		description.put("durable", true);
		description.put("exclusive", false);
		description.put("auto_delete", false);
		description.put("no_ack", false);
		description.put("alias", null);
		description.put("bindings", List.of());
		description.put("no_declare", null);
		for (String key : List.of("expires", "message_ttl", "max_length", "max_length_bytes", "max_priority")) {
			description.put(key, null);
		}
		return description;
	}

}
