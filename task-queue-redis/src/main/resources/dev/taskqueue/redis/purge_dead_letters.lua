-- purge_dead_letters: drop every dead letter of a queue and forget that the queue has any, in one step.
--
-- KEYS[1] the dead-letter list "<queue>.dead-letter"
-- KEYS[2] taskqueue.dead-letter-queues  set  the queues that have dead letters (see reject.lua)
-- ARGV[1] the queue's name (the member of KEYS[2])
--
-- Returns how many dead letters were dropped.
local count = redis.call('LLEN', KEYS[1])
redis.call('DEL', KEYS[1])
redis.call('SREM', KEYS[2], ARGV[1])
return count
