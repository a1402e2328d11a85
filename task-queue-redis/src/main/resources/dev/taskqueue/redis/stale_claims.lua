-- stale_claims: find our workers' claims that were not refreshed within the visibility timeout, to restore.
-- Claims that lost their message (restored by a Celery worker, say) are cleaned up on the way.
--
-- KEYS[1] taskqueue.claims, KEYS[2] unacked, KEYS[3] taskqueue.claimed_from (see claim.lua)
-- ARGV[1] the visibility timeout in seconds, ARGV[2] how many to return at most
--
-- Returns {tag, [envelope, exchange, routing key], list it was taken from or '', claim member, ...}.
local time = redis.call('TIME')
local now = tonumber(time[1]) + tonumber(time[2]) / 1000000
local members = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[1]), 'LIMIT', 0, tonumber(ARGV[2]))
local stale = {}
for _, member in ipairs(members) do
	-- "<length of tag>:<tag><list>"; a claim of an older version is the tag alone, its list in claimed_from
	local tag, list = member, nil
	local colon = string.find(member, ':', 1, true)
	local length = colon and tonumber(string.sub(member, 1, colon - 1))
	if length and colon + length <= #member then
		tag = string.sub(member, colon + 1, colon + length)
		list = string.sub(member, colon + length + 1)
	end
	local entry = redis.call('HGET', KEYS[2], tag)
	if entry then
		stale[#stale + 1] = tag
		stale[#stale + 1] = entry
		stale[#stale + 1] = list or redis.call('HGET', KEYS[3], tag) or ''
		stale[#stale + 1] = member
	else
		redis.call('ZREM', KEYS[1], member)
		redis.call('HDEL', KEYS[3], tag)
	end
end
return stale
