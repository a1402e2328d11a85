-- stale_claims: find our workers' claims that were not refreshed within the visibility timeout, to restore.
-- Claims that lost their message (restored by a Celery worker, say) are cleaned up on the way.
--
-- KEYS[1] taskqueue.claims, KEYS[2] unacked (see claim.lua)
-- ARGV[1] the visibility timeout in seconds, ARGV[2] how many to return at most
--
-- Returns {tag, [envelope, exchange, routing key], list it was taken from, claim member, ...}.
local time = redis.call('TIME')
local now = tonumber(time[1]) + tonumber(time[2]) / 1000000
local members = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[1]), 'LIMIT', 0, tonumber(ARGV[2]))
local stale = {}
for _, member in ipairs(members) do
	-- "<length of tag>:<tag><list>", as claim.lua writes it; anything else is not a claim of ours and goes
	local colon = string.find(member, ':', 1, true)
	local length = colon and tonumber(string.sub(member, 1, colon - 1))
	local entry = nil
	local tag, list
	if length and colon + length <= #member then
		tag = string.sub(member, colon + 1, colon + length)
		list = string.sub(member, colon + length + 1)
		entry = redis.call('HGET', KEYS[2], tag)
	end
	if entry then
		stale[#stale + 1] = tag
		stale[#stale + 1] = entry
		stale[#stale + 1] = list
		stale[#stale + 1] = member
	else
		redis.call('ZREM', KEYS[1], member)
	end
end
return stale
