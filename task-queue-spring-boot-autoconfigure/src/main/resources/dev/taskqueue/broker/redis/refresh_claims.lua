-- refresh_claims: a live worker keeps its claims fresh, so that neither our restore (taskqueue.claims) nor
-- kombu's (unacked_index, visibility_timeout) hands its messages to another worker while it works on them.
--
-- KEYS[1] unacked_index, KEYS[2] taskqueue.claims (see claim.lua)
-- ARGV the delivery tags the worker holds
--
-- Returns how many claims were refreshed (a claim already restored is not brought back).
local time = redis.call('TIME')
local now = tonumber(time[1]) + tonumber(time[2]) / 1000000
local refreshed = 0
for _, tag in ipairs(ARGV) do
	if redis.call('ZSCORE', KEYS[2], tag) then
		redis.call('ZADD', KEYS[2], now, tag)
		redis.call('ZADD', KEYS[1], 'XX', now, tag)
		refreshed = refreshed + 1
	end
end
return refreshed
