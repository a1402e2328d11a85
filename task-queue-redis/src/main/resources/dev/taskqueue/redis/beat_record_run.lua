-- beat_record_run: record an entry's last run, if the token is the current lease's and the last run is the one
-- the leader expects (compare-and-set): a leader that lost the lead without knowing it cannot record, and so
-- does not send.
--
-- KEYS[1] <key-prefix>taskqueue.beat.lease       string "<token> <owner>"
-- KEYS[2] <key-prefix>taskqueue.beat.last-runs   hash: entry name to epoch milliseconds
-- ARGV[1] the token held
-- ARGV[2] the entry's name
-- ARGV[3] the last run expected, in epoch milliseconds, or '' for none
-- ARGV[4] the new last run, in epoch milliseconds
--
-- Returns 1 if recorded, 0 if the token is not current, -1 if the last run is not the one expected.
local held = redis.call('GET', KEYS[1])
if not held or string.match(held, '^%d+') ~= ARGV[1] then
  return 0
end
if (redis.call('HGET', KEYS[2], ARGV[2]) or '') ~= ARGV[3] then
  return -1
end
redis.call('HSET', KEYS[2], ARGV[2], ARGV[4])
return 1
