-- beat_renew: extend the beat's lead, for the holder of the current token only.
--
-- KEYS[1] <key-prefix>taskqueue.beat.lease   string "<token> <owner>"
-- ARGV[1] the token held
-- ARGV[2] the lease from now, in milliseconds
--
-- Returns 1 if extended, 0 if the lease ran out or another scheduler holds it.
local held = redis.call('GET', KEYS[1])
if held and string.match(held, '^%d+') == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
