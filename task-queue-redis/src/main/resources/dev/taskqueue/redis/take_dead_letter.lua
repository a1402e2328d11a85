-- take_dead_letter: remove one dead letter and, for a redrive, publish its message back to its queue, in one
-- step, so that a dead letter is neither lost nor redriven twice when two callers act on it at once.
--
-- KEYS[1] the dead-letter list "<queue>.dead-letter"
-- KEYS[2] taskqueue.dead-letter-queues  set  the queues that have dead letters (see reject.lua)
-- KEYS[3] optional: the list to publish the message to (its queue's priority bucket); absent for a purge
-- ARGV[1] the dead letter's entry, exactly as stored
-- ARGV[2] the queue's name (the member of KEYS[2])
-- ARGV[3] with KEYS[3]: the message to publish
--
-- Returns 1 if the dead letter was there (and was published back), 0 if it was gone.
if redis.call('LREM', KEYS[1], 1, ARGV[1]) == 0 then
	return 0
end
if KEYS[3] then
	redis.call('LPUSH', KEYS[3], ARGV[3])
end
if redis.call('LLEN', KEYS[1]) == 0 then
	redis.call('SREM', KEYS[2], ARGV[2])
end
return 1
