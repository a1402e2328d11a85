-- reject: move a claimed message to its queue's dead letters, with the reason, and drop the claim, in one step.
--
-- KEYS[1] unacked, KEYS[2] unacked_index, KEYS[3] taskqueue.claims (see claim.lua)
-- KEYS[4] the dead-letter list "<queue>.dead-letter"
-- KEYS[5] taskqueue.dead-letter-queues  set  the queues that have dead letters, so they can be listed
-- ARGV[1] the delivery tag, ARGV[2] the dead letter: {"id", "queue", "reason", "rejected_at", "envelope"},
-- ARGV[3] the queue's name, ARGV[4] the claim's member in taskqueue.claims
--
-- Returns 1 if dead-lettered, 0 if the claim was gone (restored meanwhile: the message is back in its queue).
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[4])
if redis.call('HDEL', KEYS[1], ARGV[1]) == 0 then
	return 0
end
redis.call('LPUSH', KEYS[4], ARGV[2])
redis.call('SADD', KEYS[5], ARGV[3])
return 1
