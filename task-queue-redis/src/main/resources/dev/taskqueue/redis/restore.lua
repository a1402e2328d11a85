-- restore: give a claimed message back to its queue, at most once: on requeue by a live worker, or when the
-- claim went stale because its worker stopped refreshing it (killed, hung, cut off from Redis).
-- RPUSH puts it at the consuming end, so it is the next message taken, as kombu's restore does.
--
-- KEYS[1] unacked, KEYS[2] unacked_index, KEYS[3] taskqueue.claims (see claim.lua)
-- KEYS[4] the list to push it to
-- ARGV[1] the delivery tag
-- ARGV[2] the message to push (the original, marked redelivered)
-- ARGV[3] empty to restore unconditionally; otherwise a visibility timeout in seconds: restore only if the
--         claim was not refreshed within it (a live worker may have refreshed it since it was found stale)
-- ARGV[4] the claim's member in taskqueue.claims
--
-- Returns 1 if the message was pushed back, 0 if the claim was gone (acked, or restored by someone else).
if ARGV[3] ~= '' then
	local refreshed = redis.call('ZSCORE', KEYS[3], ARGV[4])
	local time = redis.call('TIME')
	local now = tonumber(time[1]) + tonumber(time[2]) / 1000000
	if refreshed and tonumber(refreshed) > now - tonumber(ARGV[3]) then
		return 0
	end
end
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[4])
if redis.call('HDEL', KEYS[1], ARGV[1]) == 0 then
	return 0
end
redis.call('RPUSH', KEYS[4], ARGV[2])
return 1
