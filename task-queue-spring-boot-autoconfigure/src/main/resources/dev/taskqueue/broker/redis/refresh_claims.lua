-- refresh_claims: a live worker keeps its claims fresh, so that neither our restore (taskqueue.claims) nor
-- kombu's (unacked_index, visibility_timeout) hands its messages to another worker while it works on them.
--
-- KEYS[1] unacked_index, KEYS[2] taskqueue.claims (see claim.lua)
-- ARGV the delivery tags the worker holds
--
-- Returns how many claims were refreshed (a claim already restored is not brought back).
-- whole seconds: Redis keeps an integer score in a small sorted set as an integer, where a fraction is text
-- it parses again (strtod) for every comparison of every later ZADD (perf: most of Redis' time in claims)
local now = tonumber(redis.call('TIME')[1])
local refreshed = 0
for _, tag in ipairs(ARGV) do
	if redis.call('ZSCORE', KEYS[2], tag) then
		redis.call('ZADD', KEYS[2], now, tag)
		redis.call('ZADD', KEYS[1], 'XX', now, tag)
		refreshed = refreshed + 1
	end
end
return refreshed
