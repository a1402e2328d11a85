-- ack: the worker is done with a message; forget its claim (kombu's ZREM unacked_index + HDEL unacked, and ours).
--
-- KEYS[1] unacked, KEYS[2] unacked_index, KEYS[3] taskqueue.claims, KEYS[4] taskqueue.claimed_from (see claim.lua)
-- ARGV[1] the delivery tag
--
-- Returns 1 if the claim was still there, 0 if it had been restored (the worker had lost it).
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('HDEL', KEYS[4], ARGV[1])
return redis.call('HDEL', KEYS[1], ARGV[1])
