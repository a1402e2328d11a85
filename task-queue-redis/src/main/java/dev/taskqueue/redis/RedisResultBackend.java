package dev.taskqueue.redis;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.SubscriptionListener;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

import dev.taskqueue.broker.LoopStep;
import dev.taskqueue.result.ResultBackend;
import dev.taskqueue.result.ResultTuples;
import dev.taskqueue.result.TaskResult;
import dev.taskqueue.status.ComponentStatus;

/**
 * Results in Redis, as Celery's Redis result backend keeps them: Celery's JSON document under
 * {@code celery-task-meta-<task id>} for {@code taskqueue.result-expires}, published on the channel of the
 * same name when stored. Waiters share one pub/sub connection and are woken by the publish; each checks the
 * key once its subscription is in place, so a result stored meanwhile is not missed.
 */
public class RedisResultBackend implements ResultBackend, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(RedisResultBackend.class);

	/** Celery's key (and channel) prefix for task results. */
	private static final String KEY_PREFIX = "celery-task-meta-";

	/** Celery's key prefix for saved groups and chords' joins ({@code .j}, {@code .t}, {@code .s}). */
	private static final String GROUP_PREFIX = "celery-taskset-meta-";

	private static final int DISPATCH_THREADS = 2;

	private static final TypeReference<Map<String, Object>> DOCUMENT = new TypeReference<>() {
	};

	private static final TypeReference<List<Object>> OUTCOME = new TypeReference<>() {
	};

	private final RedisConnectionFactory connectionFactory;

	private final StringRedisTemplate redis;

	private final JsonMapper mapper;

	private final Duration expires;

	private final String expiresSeconds;

	private final AsyncRedis pipelined;

	private final CoalescedRuns<Store, String> stores;

	private final String keyPrefix;

	private final Clock clock;

	private final RedisStatus status;

	@SuppressWarnings("rawtypes")
	private final RedisScript<List> storeScript = LuaScripts.load("store_result",
			List.class);

	@SuppressWarnings("rawtypes")
	private final RedisScript<List> chordPartScript = LuaScripts.load("chord_part", List.class);

	/** The most results stored by one script run. */
	private static final int MAX_BATCH = 128;

	private final ConcurrentMap<String, Waiter> waiters = new ConcurrentHashMap<>();

	private @Nullable RedisMessageListenerContainer listeners;

	private @Nullable ExecutorService dispatcher;

	private volatile Instant nextSweep = Instant.MIN;

	/**
	 * Create a backend.
	 * @param connectionFactory the Redis connections (Spring Boot's, from {@code spring.data.redis})
	 * @param mapper writes and reads the result documents
	 * @param settings key prefix and how long results are kept
	 * @param clock the clock abandoned waiters are swept by
	 */
	public RedisResultBackend(RedisConnectionFactory connectionFactory, JsonMapper mapper,
			RedisResultBackendSettings settings, Clock clock) {
		this.connectionFactory = connectionFactory;
		this.redis = new StringRedisTemplate(connectionFactory);
		this.mapper = mapper;
		this.expires = settings.expires();
		this.expiresSeconds = String.valueOf(Math.max(1, this.expires.toSeconds()));
		this.pipelined = new AsyncRedis(connectionFactory);
		// a run's keys must share a slot on a Redis Cluster: one result per run there
		this.stores = new CoalescedRuns<>(this::storeAll, isCluster(connectionFactory) ? 1 : MAX_BATCH);
		this.keyPrefix = settings.keyPrefix();
		this.clock = clock;
		this.status = new RedisStatus(connectionFactory);
	}

	/**
	 * PING and {@code INFO server} on the backend's connection (Lettuce's shared one), at most three seconds.
	 * Details: {@code host}, {@code port}, {@code database} and the server's {@code version}.
	 */
	@Override
	public ComponentStatus status() {
		return this.status.status();
	}

	@Override
	public void store(TaskResult result) {
		String document = this.mapper.writeValueAsString(result.toDocument());
		this.redis.execute(this.storeScript, List.of(key(result.taskId())), this.expiresSeconds, document);
	}

	/**
	 * Store without waiting for Redis: the script is pipelined on Lettuce's shared connection (run at once with
	 * another client), and the results stored while a run is under way go together in the next run (at most
	 * 128, one on a Redis Cluster); the future completes with the reply of the result's run.
	 */
	@Override
	public CompletableFuture<Void> storeAsync(TaskResult result, @Nullable String replyTo) {
		try {
			String document = this.mapper.writeValueAsString(result.toDocument());
			return this.stores.submit(new Store(key(result.taskId()), document)).thenApply((stored) -> null);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	private CompletableFuture<List<String>> storeAll(List<Store> stores) {
		String[] args = new String[stores.size() + 1];
		args[0] = this.expiresSeconds;
		for (int i = 0; i < stores.size(); i++) {
			args[i + 1] = stores.get(i).document();
		}
		return this.pipelined.evalList(this.storeScript, stores.stream().map(Store::key).toList(), args);
	}

	@Override
	public @Nullable TaskResult fetch(String taskId) {
		String document = this.redis.opsForValue().get(key(taskId));
		return (document != null) ? read(document) : null;
	}

	/**
	 * Completed at once if the result is there already (one GET), else woken by its publish: a waiter
	 * subscribes, then looks once more. A sender that waited for its broker's confirm usually finds the
	 * result there (RabbitMQ, persistent: 1,937 to 1,986 of 2,000 round trips), and saves the subscription's
	 * round trip and the notification's thread hop.
	 */
	@Override
	public CompletableFuture<TaskResult> whenReady(String taskId) {
		sweepAbandonedWaiters();
		TaskResult stored = fetch(taskId);
		if (stored != null && stored.state().isReady()) {
			return CompletableFuture.completedFuture(stored);
		}
		Waiter waiter = this.waiters.computeIfAbsent(taskId, Waiter::new);
		if (waiter.subscribe()) {
			// the subscription may have been in place before this, or not: look once more either way
			waiter.completeIfReady(fetch(taskId));
		}
		return waiter.future.thenApply((result) -> result);
	}

	@Override
	public void forget(String taskId) {
		this.redis.delete(key(taskId));
	}

	/**
	 * Chords are joined with Celery's keys: each header task adds its outcome to
	 * {@code celery-taskset-meta-<group id>.j}, and the one that brings it to the size in {@code .s} sends the body.
	 * One Lua script ({@code chord_part.lua}) adds, counts and, on completion, reads and deletes: exactly one header
	 * task completes a header, and a Celery worker's part of the same header is counted alike. The keys of one
	 * chord are not in one hash slot, so chords need a single Redis, not a Cluster (as in Celery).
	 */
	@Override
	public boolean joinsChordsNatively() {
		return true;
	}

	/**
	 * {@code SET celery-taskset-meta-<group id>.s <size> EX <result expiry>}, as Celery's {@code set_chord_size}.
	 */
	@Override
	public void setChordSize(String groupId, int size) {
		this.redis.opsForValue().set(groupKey(groupId) + ".s", String.valueOf(size), this.expires);
	}

	@Override
	@SuppressWarnings("unchecked")
	public @Nullable List<TaskResult> chordPartReturned(String groupId, @Nullable Integer groupIndex,
			TaskResult result) {
		List<Object> outcome = new ArrayList<>(4);
		outcome.add(1);
		outcome.add(result.taskId());
		outcome.add(result.status());
		outcome.add(result.result());
		String key = groupKey(groupId);
		List<String> outcomes = this.redis.execute(this.chordPartScript, List.of(key + ".j", key + ".t", key + ".s"),
				this.mapper.writeValueAsString(outcome), (groupIndex != null) ? groupIndex.toString() : "+inf",
				this.expiresSeconds);
		if (outcomes == null || outcomes.isEmpty()) {
			return null;
		}
		List<TaskResult> parts = new ArrayList<>(outcomes.size());
		for (String text : outcomes) {
			List<Object> part = this.mapper.readValue(text, OUTCOME);
			parts.add(new TaskResult((String) part.get(1), (String) part.get(2), part.get(3), null, null));
		}
		return parts;
	}

	/**
	 * {@code celery-taskset-meta-<group id>} = {@code {"result": <GroupResult.as_tuple()>}}, kept as long as
	 * results and published on its name, as Celery's {@code save_group}.
	 */
	@Override
	public void saveGroup(String groupId, List<String> taskIds) {
		String document = this.mapper.writeValueAsString(Map.of("result", ResultTuples.group(groupId, taskIds)));
		this.redis.execute(this.storeScript, List.of(groupKey(groupId)), this.expiresSeconds, document);
	}

	@Override
	public @Nullable List<String> restoreGroup(String groupId) {
		String document = this.redis.opsForValue().get(groupKey(groupId));
		if (document == null) {
			return null;
		}
		return ResultTuples.taskIds(this.mapper.readValue(document, DOCUMENT).get("result"));
	}

	@Override
	public void forgetGroup(String groupId) {
		this.redis.delete(groupKey(groupId));
	}

	private String groupKey(String groupId) {
		return this.keyPrefix + GROUP_PREFIX + groupId;
	}

	/**
	 * How many tasks are waited for.
	 * @return the number of waiters
	 */
	int waiting() {
		return this.waiters.size();
	}

	private static boolean isCluster(RedisConnectionFactory connectionFactory) {
		return connectionFactory instanceof LettuceConnectionFactory lettuce && lettuce.isClusterAware();
	}

	private String key(String taskId) {
		return this.keyPrefix + KEY_PREFIX + taskId;
	}

	private TaskResult read(String document) {
		return TaskResult.fromDocument(this.mapper.readValue(document, DOCUMENT));
	}

	private synchronized RedisMessageListenerContainer listeners() {
		if (this.listeners == null) {
			RedisMessageListenerContainer container = new RedisMessageListenerContainer();
			container.setConnectionFactory(this.connectionFactory);
			container.setBeanName("taskqueue-redis-results");
			// the container's default starts a thread per message: a waiter would wait for a thread to start
			AtomicInteger threads = new AtomicInteger();
			this.dispatcher = Executors.newFixedThreadPool(DISPATCH_THREADS, (runnable) -> {
				Thread thread = new Thread(runnable, "taskqueue-redis-results-" + threads.incrementAndGet());
				thread.setDaemon(true);
				return thread;
			});
			container.setTaskExecutor(this.dispatcher);
			container.afterPropertiesSet();
			container.start();
			// the container ends its subscription when the last channel goes, and a waiter arriving just then
			// finds it closed: a channel that stays keeps the one subscription open
			container.addMessageListener((message, pattern) -> {
			}, ChannelTopic.of(this.keyPrefix + "taskqueue.results.listening"));
			this.listeners = container;
		}
		return this.listeners;
	}

	/**
	 * A waiter nobody completed within the result expiry is waiting for a result that cannot come any more (a
	 * caller that gave up, say): drop it and its subscription.
	 */
	private void sweepAbandonedWaiters() {
		Instant now = this.clock.instant();
		if (now.isBefore(this.nextSweep)) {
			return;
		}
		this.nextSweep = now.plusSeconds(60);
		Instant abandoned = now.minus(this.expires);
		this.waiters.values().stream().filter((waiter) -> waiter.since.isBefore(abandoned)).forEach(Waiter::cancel);
	}

	@Override
	public synchronized void close() {
		this.waiters.values().forEach(Waiter::cancel);
		if (this.listeners != null) {
			try {
				this.listeners.destroy();
			}
			catch (Exception ex) {
				logger.debug("Could not stop the Redis result listener", ex);
			}
			this.listeners = null;
			this.dispatcher.shutdown();
		}
	}

	private record Store(String key, String document) {
	}

	private final class Waiter implements MessageListener, SubscriptionListener {

		private final String taskId;

		private final ChannelTopic topic;

		private final CompletableFuture<TaskResult> future = new CompletableFuture<>();

		private final Instant since = RedisResultBackend.this.clock.instant();

		private boolean subscribed;

		Waiter(String taskId) {
			this.taskId = taskId;
			this.topic = ChannelTopic.of(key(taskId));
		}

		/**
		 * Subscribe once.
		 * @return whether this call subscribed
		 */
		synchronized boolean subscribe() {
			if (this.subscribed || this.future.isDone()) {
				return false;
			}
			this.subscribed = true;
			listeners().addMessageListener(this, this.topic);
			return true;
		}

		@Override
		public void onMessage(Message message, byte @Nullable [] pattern) {
			LoopStep.run("The Redis result listener of task " + this.taskId,
					() -> completeIfReady(read(new String(message.getBody(), StandardCharsets.UTF_8))));
		}

		@Override
		public void onChannelSubscribed(byte[] channel, long count) {
			completeIfReady(fetch(this.taskId));
		}

		void completeIfReady(@Nullable TaskResult result) {
			if (result != null && result.state().isReady() && this.future.complete(result)) {
				unsubscribe();
			}
		}

		void cancel() {
			this.future.cancel(false);
			unsubscribe();
		}

		private void unsubscribe() {
			RedisResultBackend.this.waiters.remove(this.taskId, this);
			try {
				listeners().removeMessageListener(this, this.topic);
			}
			catch (RuntimeException ex) {
				logger.debug("Could not unsubscribe from {}", this.topic, ex);
			}
		}

	}

}
