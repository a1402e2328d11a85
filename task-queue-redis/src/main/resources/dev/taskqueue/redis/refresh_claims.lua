-- refresh_claims: a live worker keeps its claims fresh, so that neither our restore (taskqueue.claims) nor
-- kombu's (unacked_index, visibility_timeout) hands its messages to another worker while it works on them.
--
-- KEYS[1] unacked_index, KEYS[2] taskqueue.claims (see claim.lua)
-- ARGV pairs of a delivery tag the worker holds and its claim's member in taskqueue.claims
--
-- Returns how many claims were refreshed (a claim already restored is not brought back).
local now = tonumber(redis.call('TIME')[1])
local refreshed = 0
for i = 1, #ARGV, 2 do
	if redis.call('ZSCORE', KEYS[2], ARGV[i + 1]) then
		redis.call('ZADD', KEYS[2], now, ARGV[i + 1])
		redis.call('ZADD', KEYS[1], 'XX', now, ARGV[i])
		refreshed = refreshed + 1
	end
end
return refreshed
