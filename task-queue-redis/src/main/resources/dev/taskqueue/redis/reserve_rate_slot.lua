-- reserve_rate_slot: hand out the next start slot of a cluster-wide rate limit, as LocalRateLimiter does in
-- one JVM, but shared by every worker. Reading the slot and moving it on is one step, so that two workers
-- never get the same slot. Time is Redis' own clock, so that workers' clocks need not agree.
--
-- KEYS[1] <key-prefix>taskqueue.rate.<task name>  string: the next free slot, in microseconds since the epoch
-- ARGV[1] the interval between starts, in microseconds
--
-- Returns how long the caller waits before it starts, in microseconds (0 to start now). The key expires a
-- second after its slot so that idle limits leave nothing behind.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local interval = tonumber(ARGV[1])
local start = math.max(tonumber(redis.call('GET', KEYS[1]) or now), now)
local nextFree = start + interval
redis.call('SET', KEYS[1], string.format('%.0f', nextFree), 'PX', math.ceil((nextFree - now) / 1000) + 1000)
return start - now
