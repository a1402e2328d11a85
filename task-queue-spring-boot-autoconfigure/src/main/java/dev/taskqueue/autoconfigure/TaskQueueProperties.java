package dev.taskqueue.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

import dev.taskqueue.Task;

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

	/**
	 * The compression of task messages sent by this application, unless a task or call says otherwise:
	 * zlib (also called gzip), bzip2 or lzma (also called xz). Empty for none.
	 */
	private String compression;

	/**
	 * The largest message body sent or accepted, compressed or not; a larger one is refused on send and
	 * dead-lettered on receipt.
	 */
	private DataSize maxMessageSize = DataSize.ofMegabytes(16);

	/**
	 * The deepest nesting of lists and maps in a message's arguments; a deeper one is refused on send and
	 * dead-lettered on receipt.
	 */
	private int maxNestingDepth = 64;

	/**
	 * Whether revocations are exchanged with Celery workers and clients through Celery's remote-control
	 * exchange (celery.pidbox): Celery's app.control.revoke reaches this application's workers, and
	 * TaskControl.revoke reaches Celery's workers. Empty means on, except on Redis with a key prefix (the
	 * application then keeps away from Celery).
	 */
	private Boolean celeryControl;

	/**
	 * The routing table: task name patterns (exact, glob such as "reports.*", or "regex:..."), tried in
	 * order; the first match decides the route. Router beans are asked before it.
	 */
	private List<RouteEntry> routes = new ArrayList<>();

	/**
	 * Settings per task name, overriding the @Task annotation. Write names with dots in brackets:
	 * taskqueue.tasks."[sample.add]".queue=math.
	 */
	private Map<String, TaskSettings> tasks = new LinkedHashMap<>();

	private final Worker worker = new Worker();

	private final Redis redis = new Redis();

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

	public String getCompression() {
		return this.compression;
	}

	public void setCompression(String compression) {
		this.compression = compression;
	}

	public DataSize getMaxMessageSize() {
		return this.maxMessageSize;
	}

	public void setMaxMessageSize(DataSize maxMessageSize) {
		this.maxMessageSize = maxMessageSize;
	}

	public Boolean getCeleryControl() {
		return this.celeryControl;
	}

	public void setCeleryControl(Boolean celeryControl) {
		this.celeryControl = celeryControl;
	}

	public int getMaxNestingDepth() {
		return this.maxNestingDepth;
	}

	public void setMaxNestingDepth(int maxNestingDepth) {
		this.maxNestingDepth = maxNestingDepth;
	}

	public List<RouteEntry> getRoutes() {
		return this.routes;
	}

	public void setRoutes(List<RouteEntry> routes) {
		this.routes = routes;
	}

	public Map<String, TaskSettings> getTasks() {
		return this.tasks;
	}

	public void setTasks(Map<String, TaskSettings> tasks) {
		this.tasks = tasks;
	}

	public Worker getWorker() {
		return this.worker;
	}

	public Redis getRedis() {
		return this.redis;
	}

	public Rabbitmq getRabbitmq() {
		return this.rabbitmq;
	}

	/**
	 * How tasks are sent: the settings a route and a task's own settings share.
	 */
	public static class SendSettings {

		/**
		 * The queue the tasks go to.
		 */
		private String queue;

		/**
		 * The message priority.
		 */
		private Integer priority;

		/**
		 * The serializer of their messages.
		 */
		private String serializer;

		/**
		 * The compression of their messages.
		 */
		private String compression;

		/**
		 * How long after sending they expire.
		 */
		private Duration expires;

		public String getQueue() {
			return this.queue;
		}

		public void setQueue(String queue) {
			this.queue = queue;
		}

		public Integer getPriority() {
			return this.priority;
		}

		public void setPriority(Integer priority) {
			this.priority = priority;
		}

		public String getSerializer() {
			return this.serializer;
		}

		public void setSerializer(String serializer) {
			this.serializer = serializer;
		}

		public String getCompression() {
			return this.compression;
		}

		public void setCompression(String compression) {
			this.compression = compression;
		}

		public Duration getExpires() {
			return this.expires;
		}

		public void setExpires(Duration expires) {
			this.expires = expires;
		}

	}

	/**
	 * One line of the routing table.
	 */
	public static class RouteEntry extends SendSettings {

		/**
		 * The task names this line applies to: an exact name, a glob ("reports.*", "?" for one character) or
		 * a regular expression prefixed with "regex:".
		 */
		private String pattern;

		/**
		 * The exchange to publish to (RabbitMQ). Empty for the default exchange.
		 */
		private String exchange;

		/**
		 * The routing key with the exchange. Empty for the queue's name.
		 */
		private String routingKey;

		public String getPattern() {
			return this.pattern;
		}

		public void setPattern(String pattern) {
			this.pattern = pattern;
		}

		public String getExchange() {
			return this.exchange;
		}

		public void setExchange(String exchange) {
			this.exchange = exchange;
		}

		public String getRoutingKey() {
			return this.routingKey;
		}

		public void setRoutingKey(String routingKey) {
			this.routingKey = routingKey;
		}

	}

	/**
	 * The settings of one task, overriding its @Task annotation.
	 */
	public static class TaskSettings extends SendSettings {

		/**
		 * When its message is acknowledged: late (after it ran) or early (before).
		 */
		private Task.Acks acks;

		/**
		 * Whether no result is stored.
		 */
		private Boolean ignoreResult;

		/**
		 * Whether STARTED is stored when it begins.
		 */
		private Boolean trackStarted;

		/**
		 * Exception classes that retry the task instead of failing it (Celery's autoretry_for).
		 */
		private List<Class<? extends Throwable>> autoretryFor = new ArrayList<>();

		/**
		 * How many times it is retried before it fails with its last exception (Celery's default: 3).
		 */
		private Integer maxRetries;

		/**
		 * The countdown of a retry without backoff (Celery's default_retry_delay, default 3 minutes).
		 */
		private Duration retryDelay;

		/**
		 * The first exponential backoff of automatic retries; each next one is twice as long.
		 */
		private Duration retryBackoff;

		/**
		 * The longest backoff (default 10 minutes).
		 */
		private Duration retryBackoffMax;

		/**
		 * Whether backoffs are drawn at random up to their value (default true).
		 */
		private Boolean retryJitter;

		/**
		 * What becomes of its message once its retries are used up: "fail" acknowledges it (as Celery),
		 * "dead-letter" moves it to the broker's dead letters with the reason. FAILURE is stored either way.
		 */
		private Task.RetriesExhausted onRetriesExhausted;

		/**
		 * The hard time limit: past it the task is abandoned and fails with TimeLimitExceeded.
		 */
		private Duration timeLimit;

		/**
		 * The soft time limit: past it the task's thread is interrupted so that it can clean up.
		 */
		private Duration softTimeLimit;

		/**
		 * How often each worker may start the task: 10/s, 100/m, 1000/h.
		 */
		private String rateLimit;

		public String getRateLimit() {
			return this.rateLimit;
		}

		public Task.RetriesExhausted getOnRetriesExhausted() {
			return this.onRetriesExhausted;
		}

		public void setOnRetriesExhausted(Task.RetriesExhausted onRetriesExhausted) {
			this.onRetriesExhausted = onRetriesExhausted;
		}

		public void setRateLimit(String rateLimit) {
			this.rateLimit = rateLimit;
		}

		public Duration getTimeLimit() {
			return this.timeLimit;
		}

		public void setTimeLimit(Duration timeLimit) {
			this.timeLimit = timeLimit;
		}

		public Duration getSoftTimeLimit() {
			return this.softTimeLimit;
		}

		public void setSoftTimeLimit(Duration softTimeLimit) {
			this.softTimeLimit = softTimeLimit;
		}

		public List<Class<? extends Throwable>> getAutoretryFor() {
			return this.autoretryFor;
		}

		public void setAutoretryFor(List<Class<? extends Throwable>> autoretryFor) {
			this.autoretryFor = autoretryFor;
		}

		public Integer getMaxRetries() {
			return this.maxRetries;
		}

		public void setMaxRetries(Integer maxRetries) {
			this.maxRetries = maxRetries;
		}

		public Duration getRetryDelay() {
			return this.retryDelay;
		}

		public void setRetryDelay(Duration retryDelay) {
			this.retryDelay = retryDelay;
		}

		public Duration getRetryBackoff() {
			return this.retryBackoff;
		}

		public void setRetryBackoff(Duration retryBackoff) {
			this.retryBackoff = retryBackoff;
		}

		public Duration getRetryBackoffMax() {
			return this.retryBackoffMax;
		}

		public void setRetryBackoffMax(Duration retryBackoffMax) {
			this.retryBackoffMax = retryBackoffMax;
		}

		public Boolean getRetryJitter() {
			return this.retryJitter;
		}

		public void setRetryJitter(Boolean retryJitter) {
			this.retryJitter = retryJitter;
		}

		public Task.Acks getAcks() {
			return this.acks;
		}

		public void setAcks(Task.Acks acks) {
			this.acks = acks;
		}

		public Boolean getIgnoreResult() {
			return this.ignoreResult;
		}

		public void setIgnoreResult(Boolean ignoreResult) {
			this.ignoreResult = ignoreResult;
		}

		public Boolean getTrackStarted() {
			return this.trackStarted;
		}

		public void setTrackStarted(Boolean trackStarted) {
			this.trackStarted = trackStarted;
		}

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
		 * Whether a second SIGTERM or SIGINT during shutdown makes it cold, as Celery's: running tasks are
		 * interrupted and their messages returned to the broker at once instead of after the shutdown timeout.
		 */
		private boolean coldShutdownOnSecondSignal = true;

		/**
		 * Whether messages are acknowledged after their task has run (at least once) rather than before
		 * (at most once). A task's @Task(acks = ...) overrides it.
		 */
		private boolean acksLate = true;

		/**
		 * What becomes of a task's message once its retries are used up, unless the task says: "fail"
		 * acknowledges it (as Celery), "dead-letter" moves it to the broker's dead letters with the reason, to
		 * be redriven once the cause is fixed. FAILURE is stored either way.
		 */
		private Task.RetriesExhausted onRetriesExhausted = Task.RetriesExhausted.FAIL;

		/**
		 * Where rate limits are kept: "local" holds each task's rate per worker, as Celery does; "cluster"
		 * holds it across all workers, in Redis (needs spring.data.redis).
		 */
		private RateLimits rateLimits = RateLimits.LOCAL;

		/**
		 * The worker's name, shown in logs, thread names and STARTED results. Empty means
		 * "taskqueue@<host name>".
		 */
		private String name;

		/**
		 * Worker groups, each with its own queues, concurrency and prefetch, run side by side in this
		 * application (for example a small pool for "reports" and a large one for "emails"). Empty means one
		 * worker configured by taskqueue.worker.*; a group leaves unset what taskqueue.worker.* sets.
		 */
		private Map<String, Group> groups = new LinkedHashMap<>();

		/**
		 * How long a revoked task id is kept: a message of a revoked task met within this window is not
		 * run but REVOKED. Celery's workers keep revocations in memory (up to 50000 ids, 3 hours by default
		 * for persistent revokes); here they are kept for this window, shared through the broker.
		 */
		private Duration revocationWindow = Duration.ofHours(3);

		public Duration getRevocationWindow() {
			return this.revocationWindow;
		}

		public void setRevocationWindow(Duration revocationWindow) {
			this.revocationWindow = revocationWindow;
		}

		public Map<String, Group> getGroups() {
			return this.groups;
		}

		public void setGroups(Map<String, Group> groups) {
			this.groups = groups;
		}

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

		public boolean isColdShutdownOnSecondSignal() {
			return this.coldShutdownOnSecondSignal;
		}

		public void setColdShutdownOnSecondSignal(boolean coldShutdownOnSecondSignal) {
			this.coldShutdownOnSecondSignal = coldShutdownOnSecondSignal;
		}

		public boolean isAcksLate() {
			return this.acksLate;
		}

		public Task.RetriesExhausted getOnRetriesExhausted() {
			return this.onRetriesExhausted;
		}

		public void setOnRetriesExhausted(Task.RetriesExhausted onRetriesExhausted) {
			this.onRetriesExhausted = onRetriesExhausted;
		}

		public void setAcksLate(boolean acksLate) {
			this.acksLate = acksLate;
		}

		public RateLimits getRateLimits() {
			return this.rateLimits;
		}

		public void setRateLimits(RateLimits rateLimits) {
			this.rateLimits = rateLimits;
		}

		/**
		 * Where rate limits are kept.
		 */
		public enum RateLimits {

			/** Per worker, in its memory, as Celery. */
			LOCAL,

			/** Across all workers, in Redis. */
			CLUSTER

		}

		public String getName() {
			return this.name;
		}

		public void setName(String name) {
			this.name = name;
		}

	}

	/**
	 * A worker group.
	 */
	public static class Group {

		/**
		 * The queues the group consumes.
		 */
		private List<String> queues = new ArrayList<>();

		/**
		 * How many tasks the group runs at once. Empty means taskqueue.worker.concurrency.
		 */
		private Integer concurrency;

		/**
		 * How many messages the group holds unacknowledged at once. Empty means four times its concurrency.
		 */
		private Integer prefetch;

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

		/** Redis, laid out as Celery's Redis transport (kombu) keeps it. */
		REDIS,

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

		/** Redis, as Celery's Redis result backend keeps them. */
		REDIS,

		/** Results sent as messages to the client's reply queue (Celery's {@code rpc://}); needs RabbitMQ. */
		RPC

	}

}
