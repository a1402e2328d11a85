package dev.taskqueue.redis;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.taskqueue.broker.AbstractDelivery;
import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.BrokerException;
import dev.taskqueue.broker.DeadLetter;
import dev.taskqueue.broker.DeadLetterQueue;
import dev.taskqueue.broker.DeadLetterRetention;
import dev.taskqueue.broker.DelegatingDeadLetterQueue;
import dev.taskqueue.broker.DeliveryHandler;
import dev.taskqueue.broker.DeliverySource;
import dev.taskqueue.broker.Destination;
import dev.taskqueue.broker.LoopStep;
import dev.taskqueue.broker.PollingSubscription;
import dev.taskqueue.broker.Subscription;
import dev.taskqueue.protocol.Envelope;
import dev.taskqueue.protocol.IsoTime;
import dev.taskqueue.protocol.LogText;
import dev.taskqueue.status.ComponentStatus;

/**
 * A broker on Redis, laid out as kombu's Redis transport keeps it (the keys are listed in the
 * {@linkplain dev.taskqueue.redis package documentation}), so that Celery clients and workers on the same Redis
 * database are peers: a publish is an LPUSH of kombu's JSON message to the queue's priority bucket, a worker
 * takes messages from the other end (lower priority numbers first), recording each in
 * {@code unacked}/{@code unacked_index}, and an ack removes them from there.
 * <p>
 * At least once: taking a message and recording the claim is one Lua script; a worker refreshes the claims
 * it holds every {@code claimRefresh}, and every live worker restores (once, atomically) the messages of
 * claims not refreshed for {@code visibilityTimeout}, which is what is left of a worker that was killed.
 * Deferred messages (an eta) wait in a sorted set, parked atomically with the ack of their claim, and every
 * live worker releases those due each second. An idle worker waits in BRPOP, not in a loop.
 * <p>
 * Rejected messages are kept, intact and with the reason, in {@code <queue>.dead-letter} lists, which this
 * broker lists, redrives and purges as a {@link DeadLetterQueue}. Each list is kept within a
 * {@link DeadLetterRetention}: every reject trims its list in the same script (the oldest beyond the count, and
 * those too old), and a live worker drops those too old from every list each minute.
 */
public class RedisBroker implements Broker, DeliverySource, DelegatingDeadLetterQueue, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(RedisBroker.class);

	private static final Duration HOUSEKEEPING_INTERVAL = Duration.ofSeconds(1);

	private static final int BATCH = 100;

	private static final Duration ACKS_ON_CLOSE = Duration.ofSeconds(5);

	/** How often a live worker drops the dead letters too old from every queue's list. */
	private static final Duration DEAD_LETTER_EXPIRY_INTERVAL = Duration.ofMinutes(1);

	private final RedisConnectionFactory connectionFactory;

	private final StringRedisTemplate redis;

	private final AsyncRedis pipelined;

	private final KombuMessageCodec codec;

	private final RedisKeys keys;

	private final RedisBrokerScripts scripts = new RedisBrokerScripts();

	private final RedisBrokerSettings settings;

	private final RedisDeadLetters deadLetters;

	private final RedisAcks acks;

	private final Clock clock;

	private final DeadLetterRetention retention;

	private final RedisStatus status;

	private final Set<String> declared = ConcurrentHashMap.newKeySet();

	private final Map<String, RedisDelivery> inFlight = new ConcurrentHashMap<>();

	private final ConcurrentLinkedQueue<RedisConnection> idleBlockingConnections = new ConcurrentLinkedQueue<>();

	private final AtomicInteger nextQueue = new AtomicInteger();

	private final AtomicInteger subscriptions = new AtomicInteger();

	private volatile @Nullable ScheduledExecutorService housekeeping;

	private volatile Instant nextRefresh = Instant.MIN;

	private volatile Instant nextDeadLetterExpiry = Instant.MIN;

	private volatile boolean closed;

	/**
	 * Create a broker.
	 * @param connectionFactory the Redis connections (Spring Boot's, from {@code spring.data.redis})
	 * @param mapper writes and reads kombu's JSON messages
	 * @param settings key prefix, visibility timeout and claim refresh
	 * @param clock the clock dead letters are stamped by
	 */
	public RedisBroker(RedisConnectionFactory connectionFactory, JsonMapper mapper, RedisBrokerSettings settings,
			Clock clock) {
		this(connectionFactory, mapper, settings, clock, DeadLetterRetention.defaults());
	}

	/**
	 * Create a broker.
	 * @param connectionFactory the Redis connections (Spring Boot's, from {@code spring.data.redis})
	 * @param mapper writes and reads kombu's JSON messages
	 * @param settings key prefix, visibility timeout and claim refresh
	 * @param clock the clock dead letters are stamped and aged by
	 * @param retention how many dead letters each queue keeps, and for how long
	 */
	public RedisBroker(RedisConnectionFactory connectionFactory, JsonMapper mapper, RedisBrokerSettings settings,
			Clock clock, DeadLetterRetention retention) {
		this.retention = retention;
		this.connectionFactory = connectionFactory;
		this.redis = new StringRedisTemplate(connectionFactory);
		this.pipelined = new AsyncRedis(connectionFactory);
		this.codec = new KombuMessageCodec(mapper);
		this.keys = new RedisKeys(settings.keyPrefix());
		this.settings = settings;
		this.clock = clock;
		this.deadLetters = new RedisDeadLetters(this.redis, this.codec, this.keys, this.scripts);
		this.acks = new RedisAcks(this.pipelined, this.scripts, this.keys);
		this.status = new RedisStatus(connectionFactory);
	}

	/**
	 * Publish and wait until Redis took the message, at most the send timeout: while Redis is away, Lettuce
	 * holds a command until it reconnects or its command timeout (a minute) passes, and a send would hang that
	 * long. A send that times out is cancelled if Lettuce has not written it yet.
	 */
	@Override
	public void publish(String queue, Envelope envelope) {
		String message = this.codec.write(queue, envelope, UUID.randomUUID().toString());
		CompletableFuture<?> declared = CompletableFuture.completedFuture(null);
		CompletableFuture<?> pushed = CompletableFuture.completedFuture(null);
		try {
			declared = declareAsync(queue);
			pushed = this.pipelined.leftPush(this.keys.bucket(queue, envelope.priority()), message);
			CompletableFuture.allOf(declared, pushed)
				.get(this.settings.sendTimeout().toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			declared.cancel(false);
			pushed.cancel(false);
			throw new BrokerException("Redis did not take task " + envelope.correlationId() + " for queue '" + queue
					+ "' within " + this.settings.sendTimeout() + " (taskqueue.redis.send-timeout)", ex);
		}
		catch (ExecutionException ex) {
			throw notTaken(queue, envelope, (ex.getCause() != null) ? ex.getCause() : ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw notTaken(queue, envelope, ex);
		}
		catch (RuntimeException ex) {
			throw notTaken(queue, envelope, ex);
		}
	}

	/**
	 * Bind the queue as {@link #declare(String)} does, without waiting for Redis.
	 */
	private CompletableFuture<?> declareAsync(String queue) {
		if (!this.declared.add(queue)) {
			return CompletableFuture.completedFuture(null);
		}
		CompletableFuture<?> added = this.pipelined.addToSet(this.keys.binding(queue), RedisKeys.bindingMember(queue));
		added.whenComplete((count, failure) -> {
			if (failure != null) {
				this.declared.remove(queue);
			}
		});
		return added;
	}

	/**
	 * Publish without waiting for Redis: the LPUSH is pipelined on the shared connection with the other
	 * publishes in flight, so one producer thread is not held to one round trip per message.
	 */
	@Override
	public CompletableFuture<Void> publishAsync(Destination destination, Envelope envelope) {
		String queue = destination.queue();
		try {
			String message = this.codec.write(queue, envelope, UUID.randomUUID().toString());
			declare(queue);
			return this.pipelined.leftPush(this.keys.bucket(queue, envelope.priority()), message)
				.handle((length, failure) -> {
					if (failure != null) {
						throw notTaken(queue, envelope, (failure.getCause() != null) ? failure.getCause() : failure);
					}
					return null;
				});
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(notTaken(queue, envelope, ex));
		}
	}

	private static BrokerException notTaken(String queue, Envelope envelope, Throwable cause) {
		return new BrokerException("Redis did not take task " + envelope.correlationId() + " for queue '" + queue
				+ "': " + cause.getMessage(), cause);
	}

	/**
	 * Bind the queue as Celery does, once per queue and broker, so that Celery tools see it.
	 */
	private void declare(String queue) {
		if (this.declared.add(queue)) {
			try {
				this.redis.opsForSet().add(this.keys.binding(queue), RedisKeys.bindingMember(queue));
			}
			catch (RuntimeException ex) {
				this.declared.remove(queue);
				throw ex;
			}
		}
	}

	@Override
	public Subscription subscribe(List<String> queues, int prefetch, DeliveryHandler handler) {
		try {
			queues.forEach(this::declare);
		}
		catch (RuntimeException ex) {
			// not fatal: Redis may come back, and the consumer loop retries on its own
			logger.warn("Could not declare queues {} in Redis: {}", queues, ex.toString());
		}
		startHousekeeping();
		this.subscriptions.incrementAndGet();
		PollingSubscription subscription = PollingSubscription.start(this, queues, prefetch, handler,
				"taskqueue-redis-consumer");
		return new RedisSubscription(subscription);
	}

	/**
	 * The consumer loop of a subscription, counted while it runs so that the housekeeping runs while some do.
	 * It consumes while its loop polls Redis without failing or hanging (see
	 * {@link PollingSubscription#isConsuming(String)}): false while Redis is away and Lettuce reconnects.
	 */
	private final class RedisSubscription implements Subscription {

		private final PollingSubscription polling;

		private final AtomicBoolean cancelled = new AtomicBoolean();

		RedisSubscription(PollingSubscription polling) {
			this.polling = polling;
		}

		@Override
		public void cancel() {
			this.polling.cancel();
			if (this.cancelled.compareAndSet(false, true)) {
				RedisBroker.this.subscriptions.decrementAndGet();
			}
		}

		@Override
		public boolean isConsuming(String queue) {
			return this.polling.isConsuming(queue);
		}

	}

	@Override
	public @Nullable AbstractDelivery poll(List<String> queues, Duration timeout) throws InterruptedException {
		List<AbstractDelivery> deliveries = poll(queues, 1, timeout);
		return deliveries.isEmpty() ? null : deliveries.get(0);
	}

	@Override
	public List<AbstractDelivery> poll(List<String> queues, int max, Duration timeout) throws InterruptedException {
		Map<String, String> queueOfList = listsInTurn(queues);
		List<String> lists = new ArrayList<>(queueOfList.keySet());
		List<String> claimed = claim(lists, queueOfList, max, null, null);
		if (claimed.isEmpty()) {
			Popped popped = blockingPop(lists, timeout);
			if (popped == null) {
				return List.of();
			}
			String queue = queueOfList.getOrDefault(popped.list(), this.keys.queueOf(popped.list()));
			if (popped.message().length > this.settings.maxMessageSize()) {
				deadLetterOversized(queue, popped.message());
				return List.of();
			}
			claimed = claim(List.of(), queueOfList, 1, new String(popped.message(), StandardCharsets.UTF_8),
					popped.list());
		}
		List<AbstractDelivery> deliveries = new ArrayList<>(claimed.size() / 3);
		for (int i = 0; i + 2 < claimed.size(); i += 3) {
			String list = claimed.get(i);
			if (claimed.get(i + 2).isEmpty()) {
				// dead-lettered by the claim script for its size, its body left in Redis
				logger.warn("Dead-lettered a message of {} bytes from queue '{}': above the maximum message size of {} "
						+ "bytes (taskqueue.max-message-size)", claimed.get(i + 1),
						queueOfList.getOrDefault(list, this.keys.queueOf(list)), this.settings.maxMessageSize());
				continue;
			}
			AbstractDelivery delivery = delivery(queueOfList.getOrDefault(list, this.keys.queueOf(list)), list,
					claimed.get(i + 1), claimed.get(i + 2));
			if (delivery != null) {
				deliveries.add(delivery);
			}
		}
		return deliveries;
	}

	/**
	 * Every bucket of every queue, BRPOP's order: a different queue first each time so that a busy queue
	 * does not starve the others, and within a queue the buckets lowest priority number first.
	 */
	private Map<String, String> listsInTurn(List<String> queues) {
		Map<String, String> lists = new LinkedHashMap<>();
		int start = Math.floorMod(this.nextQueue.getAndIncrement(), queues.size());
		for (int i = 0; i < queues.size(); i++) {
			String queue = queues.get((start + i) % queues.size());
			this.keys.buckets(queue).forEach((list) -> lists.put(list, queue));
		}
		return lists;
	}

	@SuppressWarnings("unchecked")
	private List<String> claim(List<String> lists, Map<String, String> queueOfList, int max, @Nullable String popped,
			@Nullable String poppedFrom) {
		List<String> scriptKeys = new ArrayList<>(this.keys.claimKeys());
		scriptKeys.addAll(lists);
		List<Object> args = new ArrayList<>(List.of(String.valueOf(max), UUID.randomUUID().toString(),
				String.valueOf(this.settings.maxMessageSize()), IsoTime.format(this.clock.instant()),
				(popped != null) ? popped : "", (poppedFrom != null) ? poppedFrom : ""));
		for (String list : lists) {
			String queue = queueOfList.getOrDefault(list, this.keys.queueOf(list));
			scriptKeys.add(this.keys.deadLetter(queue));
			args.add(queue);
		}
		scriptKeys.add(this.keys.deadLetterQueues());
		List<String> claimed = this.redis.execute(this.scripts.claim, scriptKeys, args.toArray());
		// an empty script reply can come back as a list holding one null
		return (claimed != null && claimed.size() >= 3) ? claimed : List.of();
	}

	/**
	 * Wait in BRPOP on a connection of its own (a blocking command would hold up the shared one); the
	 * connections are kept for the next wait.
	 */
	private @Nullable Popped blockingPop(List<String> lists, Duration timeout) {
		RedisConnection connection = this.idleBlockingConnections.poll();
		boolean healthy = false;
		try {
			if (connection == null) {
				connection = this.connectionFactory.getConnection();
			}
			byte[][] keys = lists.stream().map((list) -> list.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
			List<byte[]> popped = connection.listCommands().bRPop((int) Math.max(1, timeout.toSeconds()), keys);
			healthy = true;
			// the message stays bytes until its size is checked
			return (popped != null && popped.size() == 2)
					? new Popped(new String(popped.get(0), StandardCharsets.UTF_8), popped.get(1)) : null;
		}
		finally {
			if (connection != null) {
				if (healthy && !this.closed) {
					this.idleBlockingConnections.offer(connection);
				}
				else {
					closeQuietly(connection);
				}
			}
		}
	}

	private @Nullable AbstractDelivery delivery(String queue, String list, String message, String tag) {
		KombuMessageCodec.Received received;
		try {
			received = this.codec.receive(message);
		}
		catch (RuntimeException ex) {
			String reason = "not a kombu message: " + ex.getMessage();
			Envelope salvaged = this.codec.salvage(message);
			if (salvaged != null) {
				// its task id can be read: the worker stores FAILURE for it, then rejects it to the dead letters
				RedisDelivery delivery = new RedisDelivery(salvaged, queue, false, tag, list, message, reason);
				this.inFlight.put(tag, delivery);
				return delivery;
			}
			logger.warn("Dead-lettered a message from queue '{}' that is not a kombu message: {}", queue,
					LogText.escape(ex.getMessage()));
			deadLetter(tag, RedisKeys.claim(tag, list), queue, message, reason);
			return null;
		}
		RedisDelivery delivery = new RedisDelivery(received.envelope(), queue, received.redelivered(), tag, list, message,
				null);
		this.inFlight.put(tag, delivery);
		return delivery;
	}

	/**
	 * Dead-letter a message BRPOP took that is above the size limit, unparsed: BRPOP hands over a message whole
	 * (the claim script refuses one by its size while it is still in Redis), so this one was read once, as
	 * bytes, and is written back once to its queue's dead letters.
	 */
	private void deadLetterOversized(String queue, byte[] message) {
		String reason = "message of " + message.length + " bytes is above the maximum message size of "
				+ this.settings.maxMessageSize() + " bytes (taskqueue.max-message-size)";
		String entry = this.deadLetters.unparsedEntry(queue, new String(message, StandardCharsets.UTF_8), reason,
				this.clock.instant());
		this.redis.opsForList().leftPush(this.keys.deadLetter(queue), entry);
		this.redis.opsForSet().add(this.keys.deadLetterQueues(), queue);
		logger.warn("Dead-lettered a message from queue '{}': {}", queue, reason);
	}

	/** A message BRPOP took, with the list it came from. */
	private record Popped(String list, byte[] message) {
	}

	private void deadLetter(String tag, String claim, String queue, String message, String reason) {
		List<String> scriptKeys = new ArrayList<>(this.keys.claimKeys());
		scriptKeys.add(this.keys.deadLetter(queue));
		scriptKeys.add(this.keys.deadLetterQueues());
		Instant now = this.clock.instant();
		List<?> outcome = this.redis.execute(this.scripts.reject, scriptKeys, tag,
				this.deadLetters.entry(queue, message, reason, now), queue, claim,
				String.valueOf(this.retention.maxCount()), IsoTime.format(this.retention.cutoff(now)));
		if (outcome != null && outcome.size() == 3) {
			this.retention.droppedOverMaxAge("queue '" + queue + "'", number(outcome.get(2)));
			this.retention.droppedOverMaxCount("queue '" + queue + "'", number(outcome.get(1)));
		}
	}

	private static long number(@Nullable Object value) {
		return (value instanceof Number number) ? number.longValue() : 0;
	}

	/**
	 * Drop the dead letters too old from every queue's list, and count them in the log.
	 * @return how many were dropped
	 */
	long expireDeadLetters() {
		return this.deadLetters.expire(this.retention, this.clock.instant());
	}

	private @Nullable Long runScript(org.springframework.data.redis.core.script.RedisScript<Long> script,
			@Nullable String extraKey, Object... args) {
		List<String> scriptKeys = new ArrayList<>(this.keys.claimKeys());
		if (extraKey != null) {
			scriptKeys.add(extraKey);
		}
		return this.redis.execute(script, scriptKeys, args);
	}

	/**
	 * The messages rejected from a queue so far, oldest first.
	 * @param queue the queue
	 * @return the dead letters
	 */
	public List<DeadLetter> deadLetters(String queue) {
		return listDeadLetters(queue, Integer.MAX_VALUE);
	}

	/**
	 * How many dead letters this broker keeps, and for how long.
	 * @return the retention
	 */
	public DeadLetterRetention getDeadLetterRetention() {
		return this.retention;
	}

	@Override
	public DeadLetterQueue deadLetterQueue() {
		return this.deadLetters;
	}

	/**
	 * How many messages wait in a queue, all priorities (not counting those claimed or deferred).
	 * @param queue the queue
	 * @return the number of waiting messages
	 */
	public long size(String queue) {
		return queueDepth(queue);
	}

	/**
	 * PING and {@code INFO server} on the broker's connection (Lettuce's shared one), at most three seconds.
	 * Details: {@code host}, {@code port}, {@code database} and the server's {@code version}. Down at once while
	 * Lettuce reconnects; up again at the first call after it did.
	 */
	@Override
	public ComponentStatus status() {
		return this.status.status();
	}

	/**
	 * The lengths of the queue's priority buckets, added up by one script in one round trip: O(1) in Redis
	 * whatever the queue holds. Claimed (unacked) and deferred messages are not counted.
	 */
	@Override
	public long queueDepth(String queue) {
		try {
			Long depth = this.redis.execute(this.scripts.queueDepth, this.keys.buckets(queue));
			return (depth != null) ? depth : 0;
		}
		catch (RuntimeException ex) {
			throw new BrokerException("Could not read the depth of queue '" + queue + "' in Redis: " + ex.getMessage(),
					ex);
		}
	}

	/**
	 * Delete the queue's priority buckets, counting what they held, in one script (as {@code celery purge} on
	 * kombu's Redis transport); claimed (unacked) and deferred messages stay.
	 */
	@Override
	public int purge(String queue) {
		try {
			Long removed = this.redis.execute(this.scripts.purgeQueue, this.keys.buckets(queue));
			return (removed != null) ? removed.intValue() : 0;
		}
		catch (RuntimeException ex) {
			throw new BrokerException("Could not purge queue '" + queue + "' in Redis: " + ex.getMessage(), ex);
		}
	}

	/**
	 * The keys this broker uses.
	 * @return the keys
	 */
	RedisKeys keys() {
		return this.keys;
	}

	private synchronized void startHousekeeping() {
		if (this.housekeeping != null || this.closed) {
			return;
		}
		this.housekeeping = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "taskqueue-redis-housekeeping");
			thread.setDaemon(true);
			return thread;
		});
		this.housekeeping.scheduleWithFixedDelay(this::keepHouse, 0, HOUSEKEEPING_INTERVAL.toMillis(),
				TimeUnit.MILLISECONDS);
	}

	private void keepHouse() {
		if (this.subscriptions.get() == 0 && this.inFlight.isEmpty()) {
			// no consumer and nothing held (a stopped worker): leave Redis alone, it may be shutting down too
			return;
		}
		try {
			if (!this.clock.instant().isBefore(this.nextRefresh)) {
				refreshClaims();
				this.nextRefresh = this.clock.instant().plus(this.settings.claimRefresh());
			}
			releaseDue();
			restoreStaleClaims();
			if (!this.clock.instant().isBefore(this.nextDeadLetterExpiry)) {
				this.nextDeadLetterExpiry = this.clock.instant().plus(DEAD_LETTER_EXPIRY_INTERVAL);
				expireDeadLetters();
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Redis housekeeping (claims, deferred messages) failed, retrying in {}: {}",
					HOUSEKEEPING_INTERVAL, ex.toString());
		}
		catch (Throwable ex) {
			// an Error too: thrown out of a scheduled task, it would end the housekeeping for good, silently
			LoopStep.failed("Redis housekeeping (claims, deferred messages)", ex);
		}
	}

	/**
	 * Refresh the claims on every message this broker's consumers hold, so that no other worker restores them.
	 * @return how many claims were refreshed
	 */
	long refreshClaims() {
		List<String> args = new ArrayList<>();
		this.inFlight.values().forEach((delivery) -> {
			args.add(delivery.tag);
			args.add(delivery.claim);
		});
		long refreshed = 0;
		for (int from = 0; from < args.size(); from += 2000) {
			List<String> chunk = args.subList(from, Math.min(args.size(), from + 2000));
			Long count = this.redis.execute(this.scripts.refreshClaims, List.of(this.keys.unackedIndex(), this.keys.claims()),
					chunk.toArray());
			refreshed += (count != null) ? count : 0;
		}
		return refreshed;
	}

	/**
	 * Return deferred messages that are due to their queues.
	 * @return how many were released
	 */
	long releaseDue() {
		long total = 0;
		long released;
		do {
			Long count = this.redis.execute(this.scripts.releaseDue, List.of(this.keys.deferred()), String.valueOf(BATCH));
			released = (count != null) ? count : 0;
			total += released;
		}
		while (released == BATCH);
		return total;
	}

	/**
	 * Restore the messages of claims nobody refreshed within the visibility timeout (their worker is gone).
	 * @return how many were restored
	 */
	@SuppressWarnings("unchecked")
	long restoreStaleClaims() {
		String timeout = String.valueOf(this.settings.visibilityTimeout().toMillis() / 1000.0);
		List<String> stale = this.redis.execute(this.scripts.staleClaims,
				List.of(this.keys.claims(), this.keys.unacked()), timeout, String.valueOf(BATCH));
		long restored = 0;
		for (int i = 0; stale != null && i + 3 < stale.size(); i += 4) {
			restored += restoreStale(stale.get(i), stale.get(i + 1), stale.get(i + 2), stale.get(i + 3), timeout);
		}
		return restored;
	}

	private long restoreStale(String tag, String entry, String list, String claim, String timeout) {
		String message;
		try {
			message = this.codec.readUnacked(entry);
		}
		catch (RuntimeException ex) {
			String queue = this.keys.queueOf(list);
			logger.warn("Dead-lettered a stale claim on a message from queue '{}' that is not a kombu message", queue);
			deadLetter(tag, claim, queue, entry, "not a kombu message: " + ex.getMessage());
			return 0;
		}
		Long restored = runScript(this.scripts.restore, list, tag, this.codec.markRedelivered(message), timeout, claim);
		if (restored != null && restored == 1) {
			logger.warn("Restored message {} to queue '{}': the worker that took it did not refresh its claim for {}",
					LogText.escape(tag), this.keys.queueOf(list), this.settings.visibilityTimeout());
			return 1;
		}
		return 0;
	}

	@Override
	public void close() {
		this.closed = true;
		ScheduledExecutorService executor = this.housekeeping;
		if (executor != null) {
			executor.shutdownNow();
		}
		try {
			if (!this.acks.awaitSent(ACKS_ON_CLOSE)) {
				logger.warn("Acks still unanswered by Redis after {}: their messages run again after the visibility "
						+ "timeout", ACKS_ON_CLOSE);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		RedisConnection connection;
		while ((connection = this.idleBlockingConnections.poll()) != null) {
			closeQuietly(connection);
		}
	}

	private static void closeQuietly(RedisConnection connection) {
		try {
			connection.close();
		}
		catch (RuntimeException ex) {
			logger.debug("Could not close a Redis connection", ex);
		}
	}

	private final class RedisDelivery extends AbstractDelivery implements RedisAcks.Outcome {

		private final String tag;

		private final String list;

		private final String message;

		/** The claim's member in {@link RedisKeys#claims()}. */
		private final String claim;

		RedisDelivery(Envelope envelope, String queue, boolean redelivered, String tag, String list, String message,
				@Nullable String unreadable) {
			super(envelope, queue, redelivered, unreadable);
			this.tag = tag;
			this.list = list;
			this.message = message;
			this.claim = RedisKeys.claim(tag, list);
		}

		/**
		 * Send the ack without waiting for Redis, batched with the acks made while another is under way (see
		 * {@link RedisAcks}), so the worker thread goes on at once. An ack that fails is logged; its claim is no
		 * longer refreshed, so the message comes back after the visibility timeout, as when a synchronous ack
		 * fails (at least once).
		 */
		@Override
		protected void doAck() {
			settle(() -> RedisBroker.this.acks.ack(this.tag, this.claim, this));
		}

		@Override
		public void failed(Throwable failure) {
			logger.warn("Could not ack message {} of queue '{}' (task {}) in Redis; it runs again after the "
					+ "visibility timeout ({}): {}", LogText.escape(this.tag), queue(),
					LogText.escape(envelope().correlationId()), RedisBroker.this.settings.visibilityTimeout(),
					failure.toString());
		}

		@Override
		public void lost() {
			logger.warn("Message {} of queue '{}' (task {}) had been restored to its queue before its ack "
					+ "(its claim was not refreshed for {}): it may run again", LogText.escape(this.tag), queue(),
					LogText.escape(envelope().correlationId()), RedisBroker.this.settings.visibilityTimeout());
		}

		@Override
		protected void doRequeue() {
			settle(() -> runScript(RedisBroker.this.scripts.restore, this.list, this.tag,
					RedisBroker.this.codec.markRedelivered(this.message), "", this.claim));
		}

		@Override
		protected void doReject(String reason) {
			settle(() -> deadLetter(this.tag, this.claim, queue(), this.message, reason));
			logger.warn("Dead-lettered a message from queue '{}' (task {}): {}", queue(),
					LogText.escape(envelope().taskName()), LogText.escape(reason));
		}

		@Override
		protected void doDefer(Instant due) {
			// back to the list it came from when due: that is its queue and priority bucket
			String member = this.list.getBytes(StandardCharsets.UTF_8).length + ":" + this.list + this.message;
			settle(() -> runScript(RedisBroker.this.scripts.defer, RedisBroker.this.keys.deferred(), this.tag,
					String.valueOf(due.toEpochMilli() / 1000.0), member, this.claim));
		}

		/**
		 * Settle in Redis; either way the claim is no longer refreshed, so a claim that could not be settled
		 * is restored after the visibility timeout (at least once).
		 */
		private void settle(Runnable action) {
			try {
				action.run();
			}
			catch (RuntimeException ex) {
				throw new BrokerException("Could not settle message " + this.tag + " of queue '" + queue() + "' in Redis: "
						+ ex.getMessage(), ex);
			}
			finally {
				RedisBroker.this.inFlight.remove(this.tag);
			}
		}

	}

}
