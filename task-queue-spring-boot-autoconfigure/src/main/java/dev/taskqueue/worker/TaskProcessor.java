package dev.taskqueue.worker;

import java.time.Clock;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.taskqueue.TaskQueueException;
import dev.taskqueue.broker.Delivery;
import dev.taskqueue.protocol.TaskMessage;
import dev.taskqueue.registry.TaskDefinition;
import dev.taskqueue.registry.TaskRegistry;
import dev.taskqueue.result.ResultBackend;
import dev.taskqueue.result.TaskResult;
import dev.taskqueue.serialization.TaskMessageConverter;

/**
 * What a worker does with one delivery, top to bottom: decode, check, run, store the outcome, settle.
 * Every outcome settles the delivery, and nothing a message contains can throw out of
 * {@link #process(Delivery)}: bad input is dead-lettered with its reason.
 */
public class TaskProcessor {

	private static final Logger logger = LoggerFactory.getLogger(TaskProcessor.class);

	private final TaskMessageConverter converter;

	private final TaskRegistry registry;

	private final TaskInvoker invoker;

	private final ResultBackend results;

	private final ResultValues values;

	private final Clock clock;

	private final boolean acksLateByDefault;

	private final String hostname;

	/**
	 * Create a processor.
	 * @param converter decodes messages, refusing content types not accepted
	 * @param registry the tasks this worker runs
	 * @param invoker runs a task
	 * @param results where outcomes are stored
	 * @param values turns return values into plain values for storage
	 * @param clock the clock eta and expiry are checked against
	 * @param acksLateByDefault whether messages are acknowledged after their task ({@code taskqueue.worker.acks-late})
	 * @param hostname this worker's name, stored with STARTED
	 */
	public TaskProcessor(TaskMessageConverter converter, TaskRegistry registry, TaskInvoker invoker,
			ResultBackend results, ResultValues values, Clock clock, boolean acksLateByDefault, String hostname) {
		this.converter = converter;
		this.registry = registry;
		this.invoker = invoker;
		this.results = results;
		this.values = values;
		this.clock = clock;
		this.acksLateByDefault = acksLateByDefault;
		this.hostname = hostname;
	}

	/**
	 * Process a delivery and settle it.
	 * @param delivery the delivery
	 */
	public void process(Delivery delivery) {
		try {
			TaskMessage message = decode(delivery);
			if (message != null) {
				dispatch(message, delivery);
			}
		}
		catch (RuntimeException ex) {
			// not the task's fault (the result backend failed, say): give the message back for another try
			logger.error("Could not process task {} from queue '{}'; returning it to the queue",
					delivery.envelope().correlationId(), delivery.queue(), ex);
			delivery.requeue();
		}
	}

	private TaskMessage decode(Delivery delivery) {
		try {
			return this.converter.fromEnvelope(delivery.envelope());
		}
		catch (TaskQueueException ex) {
			logger.warn("Rejected an undecodable message from queue '{}' (task {}, id {}): {}", delivery.queue(),
					delivery.envelope().taskName(), delivery.envelope().correlationId(), ex.getMessage());
			delivery.reject("undecodable message: " + ex.getMessage());
			return null;
		}
	}

	private void dispatch(TaskMessage message, Delivery delivery) {
		TaskDefinition task = this.registry.find(message.task());
		Instant now = this.clock.instant();
		if (task == null) {
			logger.warn("Received unregistered task {}[{}]; dead-lettered", message.task(), message.id());
			store(delivery, TaskResult.failure(message.id(), "NotRegistered", TaskResult.CELERY_EXCEPTIONS,
					message.task(), null, now));
			delivery.reject("unregistered task '" + message.task() + "'");
		}
		else if (message.isExpiredAt(now)) {
			logger.info("Task {}[{}] expired at {}; revoked", message.task(), message.id(), message.expires());
			store(delivery, TaskResult.revoked(message.id(), "expired", now));
			delivery.ack();
		}
		else if (message.isDueAfter(now)) {
			delivery.deferUntil(message.eta());
		}
		else {
			run(task, message, delivery);
		}
	}

	private void run(TaskDefinition task, TaskMessage message, Delivery delivery) {
		boolean acksLate = task.options().acksLate(this.acksLateByDefault);
		boolean storeResult = !task.options().ignoreResult() && !message.ignoreResult();
		if (!acksLate) {
			delivery.ack();
		}
		if (task.options().trackStarted() && storeResult) {
			store(delivery, TaskResult.started(message.id(), this.hostname, ProcessHandle.current().pid()));
		}
		WorkerTaskContext context = new WorkerTaskContext(message.id(), message.task(), message.retries(),
				delivery.envelope().headers(), delivery.queue(), delivery.redelivered());
		long started = System.nanoTime();
		try {
			Object value = this.invoker.invoke(task, message, context);
			if (storeResult) {
				store(delivery, TaskResult.success(message.id(), this.values.toPlain(value), this.clock.instant()));
			}
			logger.debug("Task {}[{}] succeeded in {} ms", message.task(), message.id(), millisSince(started));
			delivery.ack();
		}
		catch (ArgumentBindingException ex) {
			String reason = "task " + message.task() + " " + ex.getMessage();
			logger.warn("Task {}[{}] cannot run: {}; dead-lettered", message.task(), message.id(), reason);
			store(delivery, TaskResult.failure(message.id(), ex, this.clock.instant()));
			delivery.reject(reason);
		}
		catch (TaskExecutionException ex) {
			Throwable error = ex.getCause();
			logger.info("Task {}[{}] raised {} in {} ms", message.task(), message.id(), error, millisSince(started));
			if (storeResult) {
				store(delivery, TaskResult.failure(message.id(), error, this.clock.instant()));
			}
			delivery.ack();
		}
	}

	private void store(Delivery delivery, TaskResult result) {
		// the sender's reply_to goes along, for a backend that replies to it (rpc)
		this.results.store(result, delivery.envelope().replyTo());
	}

	private static long millisSince(long nanos) {
		return (System.nanoTime() - nanos) / 1_000_000;
	}

}
