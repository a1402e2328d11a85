-- beat_release: give the beat's lead up, for the holder of the current token only, so that another scheduler
-- takes it at once.
--
-- KEYS[1] <key-prefix>taskqueue.beat.lease   string "<token> <owner>"
-- ARGV[1] the token held
--
-- Returns 1 if released, 0 if it was not held by that token.
local held = redis.call('GET', KEYS[1])
if held and string.match(held, '^%d+') == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
