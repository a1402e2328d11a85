package dev.taskqueue.autoconfigure;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

import dev.taskqueue.Task;
import dev.taskqueue.serialization.TypedValues;

/**
 * Configuration of Task Queue, under {@code taskqueue}.
 * <p>
 * The elements of {@code routes}, {@code tasks}, {@code worker.groups} and the {@code rabbitmq} topology lists
 * are the public nested types below: an IDE completes and documents their keys from these types, since
 * Spring Boot's metadata format describes no key inside a list or a map.
 */
@ConfigurationProperties("taskqueue")
public class TaskQueueProperties {

	/**
	 * The broker that carries task messages: memory, redis (needs
	 * dev.taskqueue:task-queue-spring-boot-starter-redis), rabbitmq (needs
	 * dev.taskqueue:task-queue-spring-boot-starter-rabbitmq) or sqs (needs
	 * dev.taskqueue:task-queue-spring-boot-starter-sqs).
	 */
	private BrokerType broker = BrokerType.MEMORY;

	/**
	 * Where task results are stored: memory, none, redis (needs
	 * dev.taskqueue:task-queue-spring-boot-starter-redis) or rpc (needs
	 * dev.taskqueue:task-queue-spring-boot-starter-rabbitmq).
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
	 * The serializer of task messages sent by this application: json, msgpack, yaml (needs SnakeYAML), or
	 * the name of a Serializer bean. Pickle is not offered: Java cannot read it safely.
	 */
	private String serializer = "json";

	/**
	 * The content types (or serializer names) a worker accepts; a message of any other is dead-lettered
	 * without being deserialized (Celery's accept_content).
	 */
	private List<String> acceptContent = new ArrayList<>(List.of("json"));

	/**
	 * The compression of task messages sent by this application, unless a task or call says otherwise:
	 * zlib (also called gzip), bzip2 (also called bzip, needs commons-compress), lzma (also called xz, needs
	 * org.tukaani:xz) or the name of a Compressor bean. Empty for none.
	 */
	private @Nullable String compression;

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
	 * Whether the application takes part in Celery's remote control (the celery.pidbox exchange): its worker
	 * answers celery inspect, celery control and Flower (which commands: taskqueue.control.*), Celery's
	 * app.control.revoke reaches it, and TaskControl.revoke reaches Celery's workers. "auto" means on, except on
	 * Redis with a key prefix (the application then keeps away from Celery); "on" and "off" (or true and false)
	 * force it either way.
	 */
	private CeleryControl celeryControl = CeleryControl.AUTO;

	/**
	 * Run every task in the thread that sends it, when it is sent, as Celery's task_always_eager: for unit tests.
	 * The task goes the way a worker takes it (serialization, argument binding, the result backend), an eta or
	 * countdown is not waited for, no worker runs and taskqueue.broker is not used.
	 */
	private boolean eager;

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

	private final DeadLetters deadLetters = new DeadLetters();

	private final Redis redis = new Redis();

	private final Rabbitmq rabbitmq = new Rabbitmq();

	private final Sqs sqs = new Sqs();

	private final Json json = new Json();

	private final PublishRetry publishRetry = new PublishRetry();

	private final Metrics metrics = new Metrics();

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

	public @Nullable String getCompression() {
		return this.compression;
	}

	public void setCompression(@Nullable String compression) {
		this.compression = compression;
	}

	public DataSize getMaxMessageSize() {
		return this.maxMessageSize;
	}

	public void setMaxMessageSize(DataSize maxMessageSize) {
		this.maxMessageSize = maxMessageSize;
	}

	public int getMaxNestingDepth() {
		return this.maxNestingDepth;
	}

	public void setMaxNestingDepth(int maxNestingDepth) {
		this.maxNestingDepth = maxNestingDepth;
	}

	public boolean isEager() {
		return this.eager;
	}

	public void setEager(boolean eager) {
		this.eager = eager;
	}

	public CeleryControl getCeleryControl() {
		return this.celeryControl;
	}

	public void setCeleryControl(CeleryControl celeryControl) {
		this.celeryControl = celeryControl;
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

	public Json getJson() {
		return this.json;
	}

	public Rabbitmq getRabbitmq() {
		return this.rabbitmq;
	}

	public Sqs getSqs() {
		return this.sqs;
	}

	public DeadLetters getDeadLetters() {
		return this.deadLetters;
	}

	public PublishRetry getPublishRetry() {
		return this.publishRetry;
	}

	public Metrics getMetrics() {
		return this.metrics;
	}

	/**
	 * How a send the broker did not take is retried before it fails with a BrokerException, as Celery's
	 * task_publish_retry and task_publish_retry_policy: each try is bounded by its broker
	 * (taskqueue.redis.send-timeout, taskqueue.rabbitmq.confirm-timeout).
	 */
	public static class PublishRetry {

		/**
		 * Whether a send the broker did not take is retried (Celery's task_publish_retry).
		 */
		private boolean enabled = true;

		/**
		 * The most retries after the first try.
		 */
		private int maxRetries = 3;

		/**
		 * The wait before the first retry.
		 */
		private Duration intervalStart = Duration.ZERO;

		/**
		 * How much longer each next wait is.
		 */
		private Duration intervalStep = Duration.ofMillis(200);

		/**
		 * The longest wait between two tries.
		 */
		private Duration intervalMax = Duration.ofMillis(200);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public int getMaxRetries() {
			return this.maxRetries;
		}

		public void setMaxRetries(int maxRetries) {
			this.maxRetries = maxRetries;
		}

		public Duration getIntervalStart() {
			return this.intervalStart;
		}

		public void setIntervalStart(Duration intervalStart) {
			this.intervalStart = intervalStart;
		}

		public Duration getIntervalStep() {
			return this.intervalStep;
		}

		public void setIntervalStep(Duration intervalStep) {
			this.intervalStep = intervalStep;
		}

		public Duration getIntervalMax() {
			return this.intervalMax;
		}

		public void setIntervalMax(Duration intervalMax) {
			this.intervalMax = intervalMax;
		}

	}

	/**
	 * How tasks are sent: the settings a route, a task's own settings and a beat entry
	 * ({@link TaskQueueBeatProperties.Entry}) share. Each one left empty is decided further down (for a beat
	 * entry, by the task's route first): by the task's @Task, then by the application's defaults.
	 */
	public static class SendSettings {

		/**
		 * The queue the tasks go to.
		 */
		private @Nullable String queue;

		/**
		 * The message priority.
		 */
		private @Nullable Integer priority;

		/**
		 * The serializer of their messages: json, msgpack, yaml, or the name of a Serializer bean.
		 */
		private @Nullable String serializer;

		/**
		 * The compression of their messages: zlib (gzip), bzip2 (bzip), lzma (xz), or the name of a
		 * Compressor bean.
		 */
		private @Nullable String compression;

		/**
		 * How long after sending they expire.
		 */
		private @Nullable Duration expires;

		public @Nullable String getQueue() {
			return this.queue;
		}

		public void setQueue(@Nullable String queue) {
			this.queue = queue;
		}

		public @Nullable Integer getPriority() {
			return this.priority;
		}

		public void setPriority(@Nullable Integer priority) {
			this.priority = priority;
		}

		public @Nullable String getSerializer() {
			return this.serializer;
		}

		public void setSerializer(@Nullable String serializer) {
			this.serializer = serializer;
		}

		public @Nullable String getCompression() {
			return this.compression;
		}

		public void setCompression(@Nullable String compression) {
			this.compression = compression;
		}

		public @Nullable Duration getExpires() {
			return this.expires;
		}

		public void setExpires(@Nullable Duration expires) {
			this.expires = expires;
		}

	}

	/**
	 * One line of the routing table, {@code taskqueue.routes[i]}.
	 */
	public static class RouteEntry extends SendSettings {

		/**
		 * The task names this line applies to: an exact name, a glob ("reports.*", "?" for one character) or
		 * a regular expression prefixed with "regex:".
		 */
		private @Nullable String pattern;

		/**
		 * The exchange to publish to (RabbitMQ). Empty for the default exchange.
		 */
		private @Nullable String exchange;

		/**
		 * The routing key with the exchange. Empty for the queue's name.
		 */
		private @Nullable String routingKey;

		public @Nullable String getPattern() {
			return this.pattern;
		}

		public void setPattern(@Nullable String pattern) {
			this.pattern = pattern;
		}

		public @Nullable String getExchange() {
			return this.exchange;
		}

		public void setExchange(@Nullable String exchange) {
			this.exchange = exchange;
		}

		public @Nullable String getRoutingKey() {
			return this.routingKey;
		}

		public void setRoutingKey(@Nullable String routingKey) {
			this.routingKey = routingKey;
		}

	}

	/**
	 * The settings of one task, {@code taskqueue.tasks.[name]}, overriding its @Task annotation. Each one
	 * left empty keeps the annotation's.
	 */
	public static class TaskSettings extends SendSettings {

		/**
		 * When its message is acknowledged: late (after it ran) or early (before).
		 */
		private Task.@Nullable Acks acks;

		/**
		 * Whether no result is stored.
		 */
		private @Nullable Boolean ignoreResult;

		/**
		 * Whether STARTED is stored when it begins.
		 */
		private @Nullable Boolean trackStarted;

		/**
		 * Exception classes that retry the task instead of failing it (Celery's autoretry_for).
		 */
		private List<Class<? extends Throwable>> autoretryFor = new ArrayList<>();

		/**
		 * How many times it is retried before it fails with its last exception (Celery's default: 3).
		 */
		private @Nullable Integer maxRetries;

		/**
		 * The countdown of a retry without backoff (Celery's default_retry_delay, default 3 minutes).
		 */
		private @Nullable Duration retryDelay;

		/**
		 * The first exponential backoff of automatic retries; each next one is twice as long.
		 */
		private @Nullable Duration retryBackoff;

		/**
		 * The longest backoff (default 10 minutes).
		 */
		private @Nullable Duration retryBackoffMax;

		/**
		 * Whether backoffs are drawn at random up to their value (default true).
		 */
		private @Nullable Boolean retryJitter;

		/**
		 * What becomes of its message once its retries are used up: "fail" acknowledges it (as Celery),
		 * "dead-letter" moves it to the broker's dead letters with the reason. FAILURE is stored either way.
		 */
		private Task.@Nullable RetriesExhausted onRetriesExhausted;

		/**
		 * The hard time limit: past it the task is abandoned and fails with TimeLimitExceeded.
		 */
		private @Nullable Duration timeLimit;

		/**
		 * The soft time limit: past it the task's thread is interrupted so that it can clean up.
		 */
		private @Nullable Duration softTimeLimit;

		/**
		 * How often each worker may start the task: 10/s, 100/m, 1000/h.
		 */
		private @Nullable String rateLimit;

		public Task.@Nullable Acks getAcks() {
			return this.acks;
		}

		public void setAcks(Task.@Nullable Acks acks) {
			this.acks = acks;
		}

		public @Nullable Boolean getIgnoreResult() {
			return this.ignoreResult;
		}

		public void setIgnoreResult(@Nullable Boolean ignoreResult) {
			this.ignoreResult = ignoreResult;
		}

		public @Nullable Boolean getTrackStarted() {
			return this.trackStarted;
		}

		public void setTrackStarted(@Nullable Boolean trackStarted) {
			this.trackStarted = trackStarted;
		}

		public List<Class<? extends Throwable>> getAutoretryFor() {
			return this.autoretryFor;
		}

		public void setAutoretryFor(List<Class<? extends Throwable>> autoretryFor) {
			this.autoretryFor = autoretryFor;
		}

		public @Nullable Integer getMaxRetries() {
			return this.maxRetries;
		}

		public void setMaxRetries(@Nullable Integer maxRetries) {
			this.maxRetries = maxRetries;
		}

		public @Nullable Duration getRetryDelay() {
			return this.retryDelay;
		}

		public void setRetryDelay(@Nullable Duration retryDelay) {
			this.retryDelay = retryDelay;
		}

		public @Nullable Duration getRetryBackoff() {
			return this.retryBackoff;
		}

		public void setRetryBackoff(@Nullable Duration retryBackoff) {
			this.retryBackoff = retryBackoff;
		}

		public @Nullable Duration getRetryBackoffMax() {
			return this.retryBackoffMax;
		}

		public void setRetryBackoffMax(@Nullable Duration retryBackoffMax) {
			this.retryBackoffMax = retryBackoffMax;
		}

		public @Nullable Boolean getRetryJitter() {
			return this.retryJitter;
		}

		public void setRetryJitter(@Nullable Boolean retryJitter) {
			this.retryJitter = retryJitter;
		}

		public Task.@Nullable RetriesExhausted getOnRetriesExhausted() {
			return this.onRetriesExhausted;
		}

		public void setOnRetriesExhausted(Task.@Nullable RetriesExhausted onRetriesExhausted) {
			this.onRetriesExhausted = onRetriesExhausted;
		}

		public @Nullable Duration getTimeLimit() {
			return this.timeLimit;
		}

		public void setTimeLimit(@Nullable Duration timeLimit) {
			this.timeLimit = timeLimit;
		}

		public @Nullable Duration getSoftTimeLimit() {
			return this.softTimeLimit;
		}

		public void setSoftTimeLimit(@Nullable Duration softTimeLimit) {
			this.softTimeLimit = softTimeLimit;
		}

		public @Nullable String getRateLimit() {
			return this.rateLimit;
		}

		public void setRateLimit(@Nullable String rateLimit) {
			this.rateLimit = rateLimit;
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
		private @Nullable Integer concurrency;

		/**
		 * How many messages the worker holds unacknowledged at once, running or waiting. Empty means four
		 * times the concurrency, as Celery's default prefetch multiplier.
		 */
		private @Nullable Integer prefetch;

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
		 * holds it across all workers, in Redis (needs dev.taskqueue:task-queue-spring-boot-starter-redis).
		 */
		private RateLimits rateLimits = RateLimits.LOCAL;

		/**
		 * The worker's name, shown in logs, thread names and STARTED results. Empty means
		 * "taskqueue@<host name>".
		 */
		private @Nullable String name;

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

		public @Nullable Integer getConcurrency() {
			return this.concurrency;
		}

		public void setConcurrency(@Nullable Integer concurrency) {
			this.concurrency = concurrency;
		}

		public @Nullable Integer getPrefetch() {
			return this.prefetch;
		}

		public void setPrefetch(@Nullable Integer prefetch) {
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

		public void setAcksLate(boolean acksLate) {
			this.acksLate = acksLate;
		}

		public Task.RetriesExhausted getOnRetriesExhausted() {
			return this.onRetriesExhausted;
		}

		public void setOnRetriesExhausted(Task.RetriesExhausted onRetriesExhausted) {
			this.onRetriesExhausted = onRetriesExhausted;
		}

		public RateLimits getRateLimits() {
			return this.rateLimits;
		}

		public void setRateLimits(RateLimits rateLimits) {
			this.rateLimits = rateLimits;
		}

		public @Nullable String getName() {
			return this.name;
		}

		public void setName(@Nullable String name) {
			this.name = name;
		}

		public Map<String, Group> getGroups() {
			return this.groups;
		}

		public void setGroups(Map<String, Group> groups) {
			this.groups = groups;
		}

		public Duration getRevocationWindow() {
			return this.revocationWindow;
		}

		public void setRevocationWindow(Duration revocationWindow) {
			this.revocationWindow = revocationWindow;
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

		/**
		 * A worker group, {@code taskqueue.worker.groups.<group>}: what it leaves empty comes from
		 * {@code taskqueue.worker.*}.
		 */
		public static class Group {

			/**
			 * The queues the group consumes.
			 */
			private List<String> queues = new ArrayList<>();

			/**
			 * How many tasks the group runs at once. Empty means taskqueue.worker.concurrency.
			 */
			private @Nullable Integer concurrency;

			/**
			 * How many messages the group holds unacknowledged at once. Empty means four times its
			 * concurrency.
			 */
			private @Nullable Integer prefetch;

			public List<String> getQueues() {
				return this.queues;
			}

			public void setQueues(List<String> queues) {
				this.queues = queues;
			}

			public @Nullable Integer getConcurrency() {
				return this.concurrency;
			}

			public void setConcurrency(@Nullable Integer concurrency) {
				this.concurrency = concurrency;
			}

			public @Nullable Integer getPrefetch() {
				return this.prefetch;
			}

			public void setPrefetch(@Nullable Integer prefetch) {
				this.prefetch = prefetch;
			}

		}

	}

	/**
	 * The JSON serializer ({@code taskqueue.json}).
	 */
	public static class Json {

		/**
		 * How task arguments sent and results stored write dates and times, BigDecimal, UUID and byte[]: plain
		 * (ISO text and strings, as Celery 5.2 and earlier write them; every Celery reads these, 5.3+ as
		 * strings) or kombu53 (typed objects such as {"__type__": "datetime", "__value__": "..."}, which Celery
		 * 5.3+ reads back as datetime, Decimal, UUID and bytes, but Celery 5.2 sees as dicts). Keep plain while
		 * any Celery 5.2 peer reads what this application writes. Typed objects are read as values either way.
		 */
		private TypedValues typedValues = TypedValues.PLAIN;

		public TypedValues getTypedValues() {
			return this.typedValues;
		}

		public void setTypedValues(TypedValues typedValues) {
			this.typedValues = typedValues;
		}

	}

	/**
	 * How many dead letters the broker keeps, and for how long, {@code taskqueue.dead-letters}: without a bound a
	 * flood of bad messages fills the broker until it runs out of memory.
	 */
	public static class DeadLetters {

		/**
		 * The most dead letters kept: per queue in memory and on Redis, in the one dead-letter queue of all
		 * queues on RabbitMQ (its x-max-length). Beyond it the oldest are dropped first, and counted in the log.
		 */
		private int maxCount = 10_000;

		/**
		 * How long a dead letter is kept. Older ones are dropped: in memory and on Redis on each reject and by a
		 * pass each minute, counted in the log; on RabbitMQ by the dead-letter queue's x-message-ttl, silently.
		 */
		private Duration maxAge = Duration.ofDays(7);

		public int getMaxCount() {
			return this.maxCount;
		}

		public void setMaxCount(int maxCount) {
			this.maxCount = maxCount;
		}

		public Duration getMaxAge() {
			return this.maxAge;
		}

		public void setMaxAge(Duration maxAge) {
			this.maxAge = maxAge;
		}

	}

	/**
	 * The Micrometer meters of tasks and queues; they are switched off as any other meter, with
	 * {@code management.metrics.enable.taskqueue=false}.
	 */
	public static class Metrics {

		/**
		 * How long the taskqueue.queue.depth and taskqueue.dead.letters gauges serve the values they read from
		 * the broker before they read it again: at most one read per interval however often they are scraped.
		 */
		private Duration queueDepthRefresh = Duration.ofSeconds(10);

		public Duration getQueueDepthRefresh() {
			return this.queueDepthRefresh;
		}

		public void setQueueDepthRefresh(Duration queueDepthRefresh) {
			this.queueDepthRefresh = queueDepthRefresh;
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

		/**
		 * How long a send waits for Redis to take the message before the try fails (and is retried as
		 * taskqueue.publish-retry says), rather than the client's command timeout of a minute.
		 */
		private Duration sendTimeout = Duration.ofSeconds(2);

		public Duration getSendTimeout() {
			return this.sendTimeout;
		}

		public void setSendTimeout(Duration sendTimeout) {
			this.sendTimeout = sendTimeout;
		}

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
	 * The Amazon SQS broker ({@code taskqueue.broker=sqs}), as kombu's SQS transport options name it. Credentials
	 * come from the AWS SDK's default chain (environment, system properties, profile, container or instance
	 * role).
	 */
	public static class Sqs {

		/**
		 * The AWS region of the queues, e.g. eu-west-1 (Celery's transport option region). When unset, the AWS
		 * SDK's default region chain decides (AWS_REGION, the profile, the instance).
		 */
		private @Nullable String region;

		/**
		 * The SQS endpoint, for a local SQS-compatible server such as ElasticMQ (e.g. http://localhost:9324);
		 * when unset, AWS's endpoint of the region.
		 */
		private @Nullable URI endpoint;

		/**
		 * Put before every queue name (Celery's transport option queue_name_prefix); then dots become dashes and
		 * other punctuation underscores, as kombu names SQS queues.
		 */
		private String queueNamePrefix = "";

		/**
		 * How long one receive waits for a message, SQS long polling (Celery's wait_time_seconds): 0 to 20
		 * seconds. A worker's consumer stops within it at shutdown.
		 */
		private Duration waitTime = Duration.ofSeconds(10);

		/**
		 * How long a received message stays invisible before SQS delivers it again (Celery's
		 * visibility_timeout), also given to the queues this application creates. The worker extends it for the
		 * messages it holds, so a task may run longer; a killed worker's messages reappear within it.
		 */
		private Duration visibilityTimeout = Duration.ofMinutes(30);

		/**
		 * The queue rejected messages are moved to, with the reason in the taskqueue-reason message attribute
		 * (SQS name after the prefix and kombu's translation: taskqueue-dead-letter).
		 */
		private String deadLetterQueue = "taskqueue.dead-letter";

		public @Nullable String getRegion() {
			return this.region;
		}

		public void setRegion(@Nullable String region) {
			this.region = region;
		}

		public @Nullable URI getEndpoint() {
			return this.endpoint;
		}

		public void setEndpoint(@Nullable URI endpoint) {
			this.endpoint = endpoint;
		}

		public String getQueueNamePrefix() {
			return this.queueNamePrefix;
		}

		public void setQueueNamePrefix(String queueNamePrefix) {
			this.queueNamePrefix = queueNamePrefix;
		}

		public Duration getWaitTime() {
			return this.waitTime;
		}

		public void setWaitTime(Duration waitTime) {
			this.waitTime = waitTime;
		}

		public Duration getVisibilityTimeout() {
			return this.visibilityTimeout;
		}

		public void setVisibilityTimeout(Duration visibilityTimeout) {
			this.visibilityTimeout = visibilityTimeout;
		}

		public String getDeadLetterQueue() {
			return this.deadLetterQueue;
		}

		public void setDeadLetterQueue(String deadLetterQueue) {
			this.deadLetterQueue = deadLetterQueue;
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
		 * Whether the first send to a queue that does not exist declares it, as Celery's
		 * task_create_missing_queues does (a durable queue without arguments, bound to a durable direct exchange
		 * of its name), so that the message waits for a consumer that has not started yet. When false, such a
		 * send fails with NO_ROUTE.
		 */
		private boolean createMissingQueues = true;

		/**
		 * The broker's consumer_timeout (RabbitMQ's default, 30m): how long it lets a delivery stay
		 * unacknowledged before it closes the channel and requeues the message. A task still running shortly
		 * before then (a quarter of it, at most a minute) is handed over: a guard copy is parked in the delay
		 * queues, due when the task's hard time limit ends (else one timeout later), and the original is
		 * acknowledged; a guard that comes due runs the task again only if no final result is stored.
		 */
		private Duration consumerTimeout = Duration.ofMinutes(30);

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

		public boolean isCreateMissingQueues() {
			return this.createMissingQueues;
		}

		public void setCreateMissingQueues(boolean createMissingQueues) {
			this.createMissingQueues = createMissingQueues;
		}

		public Duration getConsumerTimeout() {
			return this.consumerTimeout;
		}

		public void setConsumerTimeout(Duration consumerTimeout) {
			this.consumerTimeout = consumerTimeout;
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
		 * An exchange, {@code taskqueue.rabbitmq.exchanges[i]}.
		 */
		public static class Exchange {

			/**
			 * The exchange's name.
			 */
			private @Nullable String name;

			/**
			 * Its type: direct, topic, fanout or headers.
			 */
			private ExchangeType type = ExchangeType.DIRECT;

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

			public @Nullable String getName() {
				return this.name;
			}

			public void setName(@Nullable String name) {
				this.name = name;
			}

			public ExchangeType getType() {
				return this.type;
			}

			public void setType(ExchangeType type) {
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
		 * A queue, {@code taskqueue.rabbitmq.queues[i]}.
		 */
		public static class Queue {

			/**
			 * The queue's name.
			 */
			private @Nullable String name;

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
			private @Nullable Integer maxPriority;

			/**
			 * Whether it is a quorum queue (x-queue-type=quorum): replicated, always durable, no priorities.
			 */
			private boolean quorum;

			/**
			 * How long a message may wait in it (x-message-ttl).
			 */
			private @Nullable Duration messageTtl;

			/**
			 * The most messages it holds (x-max-length).
			 */
			private @Nullable Integer maxLength;

			/**
			 * The exchange messages it rejects or expires go to (x-dead-letter-exchange).
			 */
			private @Nullable String deadLetterExchange;

			/**
			 * The routing key they go with (x-dead-letter-routing-key).
			 */
			private @Nullable String deadLetterRoutingKey;

			/**
			 * Any other argument (x-expires, x-overflow, x-queue-mode, ...). Numbers and true/false are sent as
			 * such.
			 */
			private Map<String, String> arguments = new LinkedHashMap<>();

			public @Nullable String getName() {
				return this.name;
			}

			public void setName(@Nullable String name) {
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

			public @Nullable Integer getMaxPriority() {
				return this.maxPriority;
			}

			public void setMaxPriority(@Nullable Integer maxPriority) {
				this.maxPriority = maxPriority;
			}

			public boolean isQuorum() {
				return this.quorum;
			}

			public void setQuorum(boolean quorum) {
				this.quorum = quorum;
			}

			public @Nullable Duration getMessageTtl() {
				return this.messageTtl;
			}

			public void setMessageTtl(@Nullable Duration messageTtl) {
				this.messageTtl = messageTtl;
			}

			public @Nullable Integer getMaxLength() {
				return this.maxLength;
			}

			public void setMaxLength(@Nullable Integer maxLength) {
				this.maxLength = maxLength;
			}

			public @Nullable String getDeadLetterExchange() {
				return this.deadLetterExchange;
			}

			public void setDeadLetterExchange(@Nullable String deadLetterExchange) {
				this.deadLetterExchange = deadLetterExchange;
			}

			public @Nullable String getDeadLetterRoutingKey() {
				return this.deadLetterRoutingKey;
			}

			public void setDeadLetterRoutingKey(@Nullable String deadLetterRoutingKey) {
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
		 * A binding of a queue to an exchange, {@code taskqueue.rabbitmq.bindings[i]}.
		 */
		public static class Binding {

			/**
			 * The exchange.
			 */
			private @Nullable String exchange;

			/**
			 * The queue.
			 */
			private @Nullable String queue;

			/**
			 * The routing key (a pattern for topic exchanges); empty for fanout and headers exchanges.
			 */
			private String routingKey = "";

			/**
			 * Binding arguments (x-match and the headers to match, for headers exchanges).
			 */
			private Map<String, String> arguments = new LinkedHashMap<>();

			public @Nullable String getExchange() {
				return this.exchange;
			}

			public void setExchange(@Nullable String exchange) {
				this.exchange = exchange;
			}

			public @Nullable String getQueue() {
				return this.queue;
			}

			public void setQueue(@Nullable String queue) {
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

		/**
		 * The types of exchange RabbitMQ has without plugins.
		 */
		public enum ExchangeType {

			/** Routes to the queues bound with exactly the message's routing key. */
			DIRECT("direct"),

			/** Routes to the queues whose binding pattern ("orders.*", "audit.#") matches the routing key. */
			TOPIC("topic"),

			/** Routes to every bound queue. */
			FANOUT("fanout"),

			/** Routes on the message's headers, matched against the binding's arguments (x-match). */
			HEADERS("headers");

			private final String value;

			ExchangeType(String value) {
				this.value = value;
			}

			/**
			 * The type as AMQP names it.
			 * @return {@code direct}, {@code topic}, {@code fanout} or {@code headers}
			 */
			public String value() {
				return this.value;
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
		RABBITMQ,

		/** Amazon SQS, as Celery's SQS transport (kombu) uses it, configured by {@code taskqueue.sqs.*}. */
		SQS

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

	/**
	 * Whether revocations are exchanged with Celery through its remote-control exchange,
	 * {@code celery.pidbox}. Bound from {@code auto}, {@code on} and {@code off}, and from {@code true} and
	 * {@code false} as {@code on} and {@code off}.
	 */
	public enum CeleryControl {

		/** On, except on Redis with a key prefix, where the application keeps away from Celery. */
		AUTO,

		/** Always on. */
		ON,

		/** Always off: revocations stay among this application's workers. */
		OFF;

		/**
		 * Whether revocations are exchanged with Celery.
		 * @param sharedWithCelery whether the broker's keys or queues are Celery's own, which decides
		 * {@link #AUTO}
		 * @return whether they are exchanged
		 */
		public boolean isEnabled(boolean sharedWithCelery) {
			return switch (this) {
				case AUTO -> sharedWithCelery;
				case ON -> true;
				case OFF -> false;
			};
		}

	}

}
