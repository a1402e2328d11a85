-- ack: the worker is done with messages; forget their claims (kombu's ZREM unacked_index + HDEL unacked, and ours).
--
-- KEYS[1] unacked, KEYS[2] unacked_index, KEYS[3] taskqueue.claims, KEYS[4] taskqueue.claimed_from (see claim.lua)
-- ARGV the delivery tags, one or many (acks sent while another is under way go together)
--
-- Returns the tags whose claim was no longer there (restored: the worker had lost it), usually none.
local lost = {}
for _, tag in ipairs(ARGV) do
	redis.call('ZREM', KEYS[2], tag)
	redis.call('ZREM', KEYS[3], tag)
	redis.call('HDEL', KEYS[4], tag)
	if redis.call('HDEL', KEYS[1], tag) == 0 then
		lost[#lost + 1] = tag
	end
end
return lost
