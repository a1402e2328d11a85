-- stale_claims: find our workers' claims that were not refreshed within the visibility timeout, to restore.
-- Claims that lost their message (restored by a Celery worker, say) are cleaned up on the way.
--
-- KEYS[1] taskqueue.claims, KEYS[2] unacked, KEYS[3] taskqueue.claimed_from (see claim.lua)
-- ARGV[1] the visibility timeout in seconds, ARGV[2] how many to return at most
--
-- Returns {tag, [envelope, exchange, routing key], list it was taken from or '', ...}.
local time = redis.call('TIME')
local now = tonumber(time[1]) + tonumber(time[2]) / 1000000
local tags = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[1]), 'LIMIT', 0, tonumber(ARGV[2]))
local stale = {}
for _, tag in ipairs(tags) do
	local entry = redis.call('HGET', KEYS[2], tag)
	if entry then
		stale[#stale + 1] = tag
		stale[#stale + 1] = entry
		stale[#stale + 1] = redis.call('HGET', KEYS[3], tag) or ''
	else
		redis.call('ZREM', KEYS[1], tag)
		redis.call('HDEL', KEYS[3], tag)
	end
end
return stale
