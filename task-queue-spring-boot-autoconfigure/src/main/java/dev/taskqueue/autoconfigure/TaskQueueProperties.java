package dev.taskqueue.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of Task Queue, under {@code taskqueue}.
 */
@ConfigurationProperties("taskqueue")
public class TaskQueueProperties {

	/**
	 * The broker that carries task messages.
	 */
	private BrokerType broker = BrokerType.MEMORY;

	/**
	 * Where task results are stored.
	 */
	private ResultBackendType resultBackend = ResultBackendType.MEMORY;

	/**
	 * The queue of a task that neither the call nor its @Task routes elsewhere (Celery's task_default_queue).
	 */
	private String defaultQueue = "celery";

	/**
	 * How long results are kept (Celery's result_expires).
	 */
	private Duration resultExpires = Duration.ofDays(1);

	/**
	 * The serializer of task messages sent by this application.
	 */
	private String serializer = "json";

	/**
	 * The content types (or serializer names) a worker accepts; a message of any other is dead-lettered
	 * without being deserialized (Celery's accept_content).
	 */
	private List<String> acceptContent = new ArrayList<>(List.of("json"));

	private final Worker worker = new Worker();

	private final Rabbitmq rabbitmq = new Rabbitmq();

	public BrokerType getBroker() {
		return this.broker;
	}

	public void setBroker(BrokerType broker) {
		this.broker = broker;
	}

	public ResultBackendType getResultBackend() {
		return this.resultBackend;
	}

	public void setResultBackend(ResultBackendType resultBackend) {
		this.resultBackend = resultBackend;
	}

	public String getDefaultQueue() {
		return this.defaultQueue;
	}

	public void setDefaultQueue(String defaultQueue) {
		this.defaultQueue = defaultQueue;
	}

	public Duration getResultExpires() {
		return this.resultExpires;
	}

	public void setResultExpires(Duration resultExpires) {
		this.resultExpires = resultExpires;
	}

	public String getSerializer() {
		return this.serializer;
	}

	public void setSerializer(String serializer) {
		this.serializer = serializer;
	}

	public List<String> getAcceptContent() {
		return this.acceptContent;
	}

	public void setAcceptContent(List<String> acceptContent) {
		this.acceptContent = acceptContent;
	}

	public Worker getWorker() {
		return this.worker;
	}

	public Rabbitmq getRabbitmq() {
		return this.rabbitmq;
	}

	/**
	 * The worker of this application.
	 */
	public static class Worker {

		/**
		 * Whether this application runs a worker. Switch it off in an application that only sends tasks.
		 */
		private boolean enabled = true;

		/**
		 * The queues the worker consumes. Empty means the default queue.
		 */
		private List<String> queues = new ArrayList<>();

		/**
		 * How many tasks the worker runs at once. Empty means the number of processors, as Celery.
		 */
		private Integer concurrency;

		/**
		 * How many messages the worker holds unacknowledged at once, running or waiting. Empty means four
		 * times the concurrency, as Celery's default prefetch multiplier.
		 */
		private Integer prefetch;

		/**
		 * How long running tasks may take to finish when the application stops; messages of tasks still
		 * running then are returned to the broker.
		 */
		private Duration shutdownTimeout = Duration.ofSeconds(30);

		/**
		 * Whether messages are acknowledged after their task has run (at least once) rather than before
		 * (at most once). A task's @Task(acks = ...) overrides it.
		 */
		private boolean acksLate = true;

		/**
		 * The worker's name, shown in logs, thread names and STARTED results. Empty means
		 * "taskqueue@<host name>".
		 */
		private String name;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public List<String> getQueues() {
			return this.queues;
		}

		public void setQueues(List<String> queues) {
			this.queues = queues;
		}

		public Integer getConcurrency() {
			return this.concurrency;
		}

		public void setConcurrency(Integer concurrency) {
			this.concurrency = concurrency;
		}

		public Integer getPrefetch() {
			return this.prefetch;
		}

		public void setPrefetch(Integer prefetch) {
			this.prefetch = prefetch;
		}

		public Duration getShutdownTimeout() {
			return this.shutdownTimeout;
		}

		public void setShutdownTimeout(Duration shutdownTimeout) {
			this.shutdownTimeout = shutdownTimeout;
		}

		public boolean isAcksLate() {
			return this.acksLate;
		}

		public void setAcksLate(boolean acksLate) {
			this.acksLate = acksLate;
		}

		public String getName() {
			return this.name;
		}

		public void setName(String name) {
			this.name = name;
		}

	}

	/**
	 * The RabbitMQ broker ({@code taskqueue.broker=rabbitmq}) and its topology. The connection itself is
	 * Spring Boot's, configured under {@code spring.rabbitmq}.
	 */
	public static class Rabbitmq {

		/**
		 * The queue rejected messages are moved to, with the reason in the x-taskqueue-reason header. Declared
		 * durable at start-up.
		 */
		private String deadLetterQueue = "taskqueue.dead-letter";

		/**
		 * The headers exchange deferred messages are parked through. Its delay queues
		 * (taskqueue.delay.<ms>) hand messages back to their queue when their time to live runs out.
		 */
		private String delayExchange = "taskqueue.delay";

		/**
		 * How long a publish waits for the broker's confirm before it fails.
		 */
		private Duration confirmTimeout = Duration.ofSeconds(10);

		/**
		 * How long a consumer waits between attempts to reconnect after the connection was lost.
		 */
		private Duration recoveryInterval = Duration.ofSeconds(1);

		/**
		 * Whether the queues the worker consumes and the default queue are declared (durable, no arguments, as
		 * Celery declares them) when the topology below does not declare them.
		 */
		private boolean declareMissingQueues = true;

		/**
		 * Exchanges declared at start-up.
		 */
		private List<Exchange> exchanges = new ArrayList<>();

		/**
		 * Queues declared at start-up.
		 */
		private List<Queue> queues = new ArrayList<>();

		/**
		 * Bindings declared at start-up, after the exchanges and queues.
		 */
		private List<Binding> bindings = new ArrayList<>();

		public String getDeadLetterQueue() {
			return this.deadLetterQueue;
		}

		public void setDeadLetterQueue(String deadLetterQueue) {
			this.deadLetterQueue = deadLetterQueue;
		}

		public String getDelayExchange() {
			return this.delayExchange;
		}

		public void setDelayExchange(String delayExchange) {
			this.delayExchange = delayExchange;
		}

		public Duration getConfirmTimeout() {
			return this.confirmTimeout;
		}

		public void setConfirmTimeout(Duration confirmTimeout) {
			this.confirmTimeout = confirmTimeout;
		}

		public Duration getRecoveryInterval() {
			return this.recoveryInterval;
		}

		public void setRecoveryInterval(Duration recoveryInterval) {
			this.recoveryInterval = recoveryInterval;
		}

		public boolean isDeclareMissingQueues() {
			return this.declareMissingQueues;
		}

		public void setDeclareMissingQueues(boolean declareMissingQueues) {
			this.declareMissingQueues = declareMissingQueues;
		}

		public List<Exchange> getExchanges() {
			return this.exchanges;
		}

		public void setExchanges(List<Exchange> exchanges) {
			this.exchanges = exchanges;
		}

		public List<Queue> getQueues() {
			return this.queues;
		}

		public void setQueues(List<Queue> queues) {
			this.queues = queues;
		}

		public List<Binding> getBindings() {
			return this.bindings;
		}

		public void setBindings(List<Binding> bindings) {
			this.bindings = bindings;
		}

		/**
		 * An exchange.
		 */
		public static class Exchange {

			/**
			 * The exchange's name.
			 */
			private String name;

			/**
			 * Its type: direct, topic, fanout or headers.
			 */
			private String type = "direct";

			/**
			 * Whether it survives a broker restart.
			 */
			private boolean durable = true;

			/**
			 * Whether it is deleted when its last binding is removed.
			 */
			private boolean autoDelete;

			/**
			 * Extra arguments (alternate-exchange, ...). Numbers and true/false are sent as such.
			 */
			private Map<String, String> arguments = new LinkedHashMap<>();

			public String getName() {
				return this.name;
			}

			public void setName(String name) {
				this.name = name;
			}

			public String getType() {
				return this.type;
			}

			public void setType(String type) {
				this.type = type;
			}

			public boolean isDurable() {
				return this.durable;
			}

			public void setDurable(boolean durable) {
				this.durable = durable;
			}

			public boolean isAutoDelete() {
				return this.autoDelete;
			}

			public void setAutoDelete(boolean autoDelete) {
				this.autoDelete = autoDelete;
			}

			public Map<String, String> getArguments() {
				return this.arguments;
			}

			public void setArguments(Map<String, String> arguments) {
				this.arguments = arguments;
			}

		}

		/**
		 * A queue.
		 */
		public static class Queue {

			/**
			 * The queue's name.
			 */
			private String name;

			/**
			 * Whether it survives a broker restart.
			 */
			private boolean durable = true;

			/**
			 * Whether it is deleted when its last consumer goes away.
			 */
			private boolean autoDelete;

			/**
			 * The highest message priority it honours (x-max-priority); empty means no priorities, as Celery.
			 */
			private Integer maxPriority;

			/**
			 * Whether it is a quorum queue (x-queue-type=quorum): replicated, always durable, no priorities.
			 */
			private boolean quorum;

			/**
			 * How long a message may wait in it (x-message-ttl).
			 */
			private Duration messageTtl;

			/**
			 * The most messages it holds (x-max-length).
			 */
			private Integer maxLength;

			/**
			 * The exchange messages it rejects or expires go to (x-dead-letter-exchange).
			 */
			private String deadLetterExchange;

			/**
			 * The routing key they go with (x-dead-letter-routing-key).
			 */
			private String deadLetterRoutingKey;

			/**
			 * Any other argument (x-expires, x-overflow, x-queue-mode, ...). Numbers and true/false are sent as
			 * such.
			 */
			private Map<String, String> arguments = new LinkedHashMap<>();

			public String getName() {
				return this.name;
			}

			public void setName(String name) {
				this.name = name;
			}

			public boolean isDurable() {
				return this.durable;
			}

			public void setDurable(boolean durable) {
				this.durable = durable;
			}

			public boolean isAutoDelete() {
				return this.autoDelete;
			}

			public void setAutoDelete(boolean autoDelete) {
				this.autoDelete = autoDelete;
			}

			public Integer getMaxPriority() {
				return this.maxPriority;
			}

			public void setMaxPriority(Integer maxPriority) {
				this.maxPriority = maxPriority;
			}

			public boolean isQuorum() {
				return this.quorum;
			}

			public void setQuorum(boolean quorum) {
				this.quorum = quorum;
			}

			public Duration getMessageTtl() {
				return this.messageTtl;
			}

			public void setMessageTtl(Duration messageTtl) {
				this.messageTtl = messageTtl;
			}

			public Integer getMaxLength() {
				return this.maxLength;
			}

			public void setMaxLength(Integer maxLength) {
				this.maxLength = maxLength;
			}

			public String getDeadLetterExchange() {
				return this.deadLetterExchange;
			}

			public void setDeadLetterExchange(String deadLetterExchange) {
				this.deadLetterExchange = deadLetterExchange;
			}

			public String getDeadLetterRoutingKey() {
				return this.deadLetterRoutingKey;
			}

			public void setDeadLetterRoutingKey(String deadLetterRoutingKey) {
				this.deadLetterRoutingKey = deadLetterRoutingKey;
			}

			public Map<String, String> getArguments() {
				return this.arguments;
			}

			public void setArguments(Map<String, String> arguments) {
				this.arguments = arguments;
			}

		}

		/**
		 * A binding of a queue to an exchange.
		 */
		public static class Binding {

			/**
			 * The exchange.
			 */
			private String exchange;

			/**
			 * The queue.
			 */
			private String queue;

			/**
			 * The routing key (a pattern for topic exchanges); empty for fanout and headers exchanges.
			 */
			private String routingKey = "";

			/**
			 * Binding arguments (x-match and the headers to match, for headers exchanges).
			 */
			private Map<String, String> arguments = new LinkedHashMap<>();

			public String getExchange() {
				return this.exchange;
			}

			public void setExchange(String exchange) {
				this.exchange = exchange;
			}

			public String getQueue() {
				return this.queue;
			}

			public void setQueue(String queue) {
				this.queue = queue;
			}

			public String getRoutingKey() {
				return this.routingKey;
			}

			public void setRoutingKey(String routingKey) {
				this.routingKey = routingKey;
			}

			public Map<String, String> getArguments() {
				return this.arguments;
			}

			public void setArguments(Map<String, String> arguments) {
				this.arguments = arguments;
			}

		}

	}

	/**
	 * The brokers Task Queue can use.
	 */
	public enum BrokerType {

		/** In the application's memory: nothing to install, nothing survives a restart. */
		MEMORY,

		/** RabbitMQ, through the connection Spring Boot's {@code spring.rabbitmq.*} configures. */
		RABBITMQ

	}

	/**
	 * The result backends Task Queue can use.
	 */
	public enum ResultBackendType {

		/** In the application's memory. */
		MEMORY,

		/** No results are stored. */
		NONE,

		/** Results sent as messages to the client's reply queue (Celery's {@code rpc://}); needs RabbitMQ. */
		RPC

	}

}
