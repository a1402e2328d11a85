-- ack: the worker is done with messages; forget their claims (kombu's ZREM unacked_index + HDEL unacked, and ours).
--
-- KEYS[1] unacked, KEYS[2] unacked_index, KEYS[3] taskqueue.claims (see claim.lua)
-- ARGV pairs of a delivery tag and its claim's member in taskqueue.claims, one pair or many (acks sent while
--      another is under way go together)
--
-- Returns the tags whose claim was no longer there (restored: the worker had lost it), usually none.
local lost = {}
for i = 1, #ARGV, 2 do
	local tag = ARGV[i]
	redis.call('ZREM', KEYS[2], tag)
	redis.call('ZREM', KEYS[3], ARGV[i + 1])
	if redis.call('HDEL', KEYS[1], tag) == 0 then
		lost[#lost + 1] = tag
	end
end
return lost
