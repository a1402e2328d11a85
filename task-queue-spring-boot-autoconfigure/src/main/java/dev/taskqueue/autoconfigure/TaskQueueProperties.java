package dev.taskqueue.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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

	private final Redis redis = new Redis();

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

	public Redis getRedis() {
		return this.redis;
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
	 * The Redis broker and result backend ({@code taskqueue.broker=redis}, {@code taskqueue.result-backend=redis}).
	 * The connection itself is Spring Boot's, configured under {@code spring.data.redis}.
	 */
	public static class Redis {

		/**
		 * A prefix for every key the broker and result backend use. Empty, the default, shares the keys with
		 * Celery's Redis transport and result backend; anything else separates this application from Celery.
		 */
		private String keyPrefix = "";

		/**
		 * How long a worker's claim on a message it took is honoured without being refreshed. A worker that
		 * was killed or cut off stops refreshing its claims, and after this time a live worker returns their
		 * messages to their queues.
		 */
		private Duration visibilityTimeout = Duration.ofSeconds(30);

		/**
		 * How often a worker refreshes its claims on the messages it holds; keep it well below the
		 * visibility timeout.
		 */
		private Duration claimRefresh = Duration.ofSeconds(10);

		public String getKeyPrefix() {
			return this.keyPrefix;
		}

		public void setKeyPrefix(String keyPrefix) {
			this.keyPrefix = keyPrefix;
		}

		public Duration getVisibilityTimeout() {
			return this.visibilityTimeout;
		}

		public void setVisibilityTimeout(Duration visibilityTimeout) {
			this.visibilityTimeout = visibilityTimeout;
		}

		public Duration getClaimRefresh() {
			return this.claimRefresh;
		}

		public void setClaimRefresh(Duration claimRefresh) {
			this.claimRefresh = claimRefresh;
		}

	}

	/**
	 * The brokers Task Queue can use.
	 */
	public enum BrokerType {

		/** In the application's memory: nothing to install, nothing survives a restart. */
		MEMORY,

		/** Redis, laid out as Celery's Redis transport (kombu) keeps it. */
		REDIS

	}

	/**
	 * The result backends Task Queue can use.
	 */
	public enum ResultBackendType {

		/** In the application's memory. */
		MEMORY,

		/** No results are stored. */
		NONE,

		/** Redis, as Celery's Redis result backend keeps them. */
		REDIS

	}

}
