-- defer: park a claimed message until it is due (an eta or countdown), and drop the claim, in one step, so that
-- it waits in Redis rather than in a worker's memory and is neither lost nor duplicated.
--
-- KEYS[1] unacked, KEYS[2] unacked_index, KEYS[3] taskqueue.claims (see claim.lua)
-- KEYS[4] taskqueue.deferred  zset  member "<byte length of list key>:<list key><envelope>" -> due epoch seconds
-- ARGV[1] the delivery tag, ARGV[2] the due time in epoch seconds, ARGV[3] the member
-- ARGV[4] the claim's member in taskqueue.claims
--
-- Returns 1 if parked, 0 if the claim was gone (restored meanwhile: the message is back in its queue).
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[4])
if redis.call('HDEL', KEYS[1], ARGV[1]) == 0 then
	return 0
end
redis.call('ZADD', KEYS[4], ARGV[2], ARGV[3])
return 1
