-- expire_dead_letters: drop a queue's dead letters rejected before a cut-off, from the old end of its list, and
-- forget that the queue has any once none is left; the housekeeping's pass for queues no reject touches.
--
-- KEYS[1] the dead-letter list "<queue>.dead-letter", newest first
-- KEYS[2] taskqueue.dead-letter-queues  set  the queues that have dead letters (see reject.lua)
-- ARGV[1] the cut-off (see reject.lua), ARGV[2] the queue's name (the member of KEYS[2]), ARGV[3] the most to
-- drop in one call
--
-- Returns how many were dropped.
local function instant(text)
	local date, fraction = string.match(text, '^(%d%d%d%d%-%d%d%-%d%dT%d%d:%d%d:%d%d)%.?(%d*)')
	if not date then
		return nil
	end
	return tonumber((string.gsub(date, '%D', ''))), tonumber(string.sub(fraction .. '000000', 1, 6))
end

local cutoff_seconds, cutoff_micros = instant(ARGV[1])
local most = tonumber(ARGV[3])
local dropped = 0
while cutoff_seconds and dropped < most do
	local oldest = redis.call('LINDEX', KEYS[1], -1)
	if not oldest then
		break
	end
	local ok, entry = pcall(cjson.decode, oldest)
	local at = ok and type(entry) == 'table' and entry['rejected_at']
	local seconds, micros
	if type(at) == 'string' then
		seconds, micros = instant(at)
	end
	if not seconds or seconds > cutoff_seconds or (seconds == cutoff_seconds and micros >= cutoff_micros) then
		break
	end
	redis.call('RPOP', KEYS[1])
	dropped = dropped + 1
end
if redis.call('LLEN', KEYS[1]) == 0 then
	redis.call('SREM', KEYS[2], ARGV[2])
end
return dropped
