-- beat_acquire: take the beat's lead if nobody holds it, with a fencing token larger than every earlier one.
--
-- KEYS[1] <key-prefix>taskqueue.beat.lease   string "<token> <owner>", expiring after the lease
-- KEYS[2] <key-prefix>taskqueue.beat.token   integer: the last token handed out
-- ARGV[1] the owner's name
-- ARGV[2] the lease, in milliseconds
--
-- Returns the new token, or 0 if another scheduler holds the lead.
if redis.call('EXISTS', KEYS[1]) == 1 then
  return 0
end
local token = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], token .. ' ' .. ARGV[1], 'PX', ARGV[2])
return token
