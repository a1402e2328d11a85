-- release_due: move deferred messages that are due back to the consuming end of the list they came from.
--
-- KEYS[1] taskqueue.deferred (see defer.lua)
-- ARGV[1] how many to release at most
--
-- Returns how many were released.
local time = redis.call('TIME')
local now = tonumber(time[1]) + tonumber(time[2]) / 1000000
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[1]))
for _, member in ipairs(due) do
	local colon = string.find(member, ':', 1, true)
	local length = tonumber(string.sub(member, 1, colon - 1))
	local list = string.sub(member, colon + 1, colon + length)
	redis.call('RPUSH', list, string.sub(member, colon + length + 1))
	redis.call('ZREM', KEYS[1], member)
end
return #due
