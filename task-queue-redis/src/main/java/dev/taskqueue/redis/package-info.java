/**
 * Everything Redis, laid out as Celery keeps it so that Celery clients and workers on the same Redis database
 * are peers: {@link dev.taskqueue.redis.RedisBroker} is kombu's Redis transport (lists per queue and priority
 * bucket, {@code queue}, {@code queue\x06\x163}, {@code queue\x06\x166}, {@code queue\x06\x169}, the
 * {@code _kombu.binding.<queue>} sets, and the {@code unacked} hash with its {@code unacked_index}), with claims
 * that a live worker refreshes ({@code taskqueue.claims}) where kombu restores after a long
 * {@code visibility_timeout}, deferred messages parked in Redis ({@code taskqueue.deferred}) and dead letters
 * ({@code <queue>.dead-letter}, {@code taskqueue.dead-letter-queues}); {@link dev.taskqueue.redis.RedisResultBackend}
 * is Celery's Redis result backend ({@code celery-task-meta-<task id>}, SETEX and PUBLISH on the channel of the
 * same name); {@link dev.taskqueue.redis.RedisPidboxTransport} carries Celery's remote control
 * ({@code celery.pidbox}) as kombu does on Redis, and {@link dev.taskqueue.redis.RedisEventTransport} Celery's events
({@code celeryev}, a fanout over pub/sub). {@link dev.taskqueue.redis.RedisRevocations} (a stream,
 * {@code taskqueue.revoked}) and {@link dev.taskqueue.redis.RedisRateLimiter} (cluster-wide rate limits,
 * {@code taskqueue.rate.<task>}) have no Celery counterpart. {@link dev.taskqueue.redis.RedisBrokerSettings}
 * and {@link dev.taskqueue.redis.RedisResultBackendSettings} hold what the auto-configuration reads from
 * {@code taskqueue.redis.*}; every key starts with the key prefix, empty to share the keys with Celery. Each
 * atomic step is a Lua script in this package's resources, loaded once by {@code LuaScripts}; the other
 * classes are the transport's own helpers and stay package-private.
 */
@NullMarked
package dev.taskqueue.redis;

import org.jspecify.annotations.NullMarked;
