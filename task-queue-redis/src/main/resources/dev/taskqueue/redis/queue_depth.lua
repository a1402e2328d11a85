-- queue_depth: how many messages wait in a queue, all priority buckets together, in one round trip.
--
-- KEYS[1..n] the queue's priority buckets (lists): "<queue>", "<queue>\x06\x163", "<queue>\x06\x166", ...
-- ARGV none
--
-- Returns the sum of their lengths (messages claimed by a worker or deferred are not in them).
local depth = 0
for _, key in ipairs(KEYS) do
  depth = depth + redis.call('LLEN', key)
end
return depth
