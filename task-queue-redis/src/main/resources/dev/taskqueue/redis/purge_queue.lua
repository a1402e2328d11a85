-- purge_queue: remove every message waiting in a queue, all priority buckets, in one step (as kombu's purge).
--
-- KEYS[1..n] the queue's priority buckets (lists): "<queue>", "<queue>\x06\x163", "<queue>\x06\x166", ...
-- ARGV none
--
-- Returns how many messages were removed. Messages claimed by a worker (unacked) or deferred stay.
local removed = 0
for _, key in ipairs(KEYS) do
  removed = removed + redis.call('LLEN', key)
end
if removed > 0 then
  redis.call('DEL', unpack(KEYS))
end
return removed
