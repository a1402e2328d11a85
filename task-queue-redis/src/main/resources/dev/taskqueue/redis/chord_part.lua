-- chord_part: record one chord header task's outcome, as Celery's Redis backend does (on_chord_part_return),
-- and tell whether it completed the header. Adding, counting and (on completion) reading and deleting are one
-- atomic step, so exactly one header task sees the header complete, however many finish at the same moment, and
-- a task reporting again later (a redelivered message) finds no join left to complete.
--
-- KEYS[1] celery-taskset-meta-<group id>.j  zset    outcomes '[1, "<task id>", "<state>", <result>]' by group_index
-- KEYS[2] celery-taskset-meta-<group id>.t  string  tasks added to the chord later (Celery's add_to_chord), or none
-- KEYS[3] celery-taskset-meta-<group id>.s  string  the header's size, set by the client before its last task
-- ARGV[1] the outcome, ARGV[2] its score (the group_index, or '+inf'), ARGV[3] the keys' time to live in seconds
--
-- Returns every outcome in header order if this one completed the header (the keys are then deleted), else {}.
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
local count = redis.call('ZCARD', KEYS[1])
local extra = tonumber(redis.call('GET', KEYS[2]) or '0') or 0
local size = redis.call('GET', KEYS[3])
redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call('EXPIRE', KEYS[2], ARGV[3])
redis.call('EXPIRE', KEYS[3], ARGV[3])
if size and count == (tonumber(size) or -1) + extra then
	local outcomes = redis.call('ZRANGE', KEYS[1], 0, -1)
	redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
	return outcomes
end
return {}
