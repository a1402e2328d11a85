-- reject: move a claimed message to its queue's dead letters, with the reason, and drop the claim, in one step;
-- then keep the queue's dead letters within their retention: those rejected before the cut-off are dropped from
-- the old end, then the oldest beyond the most kept (LTRIM), so the list never outgrows it.
--
-- KEYS[1] unacked, KEYS[2] unacked_index, KEYS[3] taskqueue.claims (see claim.lua)
-- KEYS[4] the dead-letter list "<queue>.dead-letter", newest first
-- KEYS[5] taskqueue.dead-letter-queues  set  the queues that have dead letters, so they can be listed
-- ARGV[1] the delivery tag, ARGV[2] the dead letter: {"id", "queue", "reason", "rejected_at", "envelope"},
-- ARGV[3] the queue's name, ARGV[4] the claim's member in taskqueue.claims,
-- ARGV[5] the most dead letters the queue keeps, ARGV[6] the cut-off: a dead letter whose rejected_at (UTC
-- "YYYY-MM-DDTHH:MM:SS[.ffffff]+00:00", as we write it) is before it is dropped
--
-- Returns {1 if dead-lettered or 0 if the claim was gone (restored meanwhile: the message is back in its queue),
-- how many were dropped for the count, how many for their age}.
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[4])
if redis.call('HDEL', KEYS[1], ARGV[1]) == 0 then
	return {0, 0, 0}
end
redis.call('LPUSH', KEYS[4], ARGV[2])
redis.call('SADD', KEYS[5], ARGV[3])

-- an ISO time as two numbers, seconds (YYYYMMDDHHMMSS) and microseconds: compared as numbers, since Lua compares
-- strings by the server's locale
local function instant(text)
	local date, fraction = string.match(text, '^(%d%d%d%d%-%d%d%-%d%dT%d%d:%d%d:%d%d)%.?(%d*)')
	if not date then
		return nil
	end
	return tonumber((string.gsub(date, '%D', ''))), tonumber(string.sub(fraction .. '000000', 1, 6))
end

local cutoff_seconds, cutoff_micros = instant(ARGV[6])
local by_age = 0
-- the newest (just pushed) is never dropped for its age here; a bounded step, the housekeeping does the rest
while cutoff_seconds and by_age < 1000 and redis.call('LLEN', KEYS[4]) > 1 do
	local ok, entry = pcall(cjson.decode, redis.call('LINDEX', KEYS[4], -1))
	local at = ok and type(entry) == 'table' and entry['rejected_at']
	local seconds, micros
	if type(at) == 'string' then
		seconds, micros = instant(at)
	end
	-- an entry whose time cannot be read is kept: it is not known to be old
	if not seconds or seconds > cutoff_seconds or (seconds == cutoff_seconds and micros >= cutoff_micros) then
		break
	end
	redis.call('RPOP', KEYS[4])
	by_age = by_age + 1
end

local max = tonumber(ARGV[5])
local by_count = redis.call('LLEN', KEYS[4]) - max
if by_count > 0 then
	redis.call('LTRIM', KEYS[4], 0, max - 1)
else
	by_count = 0
end
return {1, by_count, by_age}
