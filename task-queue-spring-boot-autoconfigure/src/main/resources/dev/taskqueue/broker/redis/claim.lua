-- claim: take the next messages for a worker and record the worker's claim on each in one step, so that a
-- message is never out of its queue without being in the unacked bookkeeping (kombu's layout, plus ours).
--
-- KEYS[1] unacked          hash  delivery tag -> [envelope, exchange, routing key] (kombu)
-- KEYS[2] unacked_index    zset  delivery tag -> epoch seconds of the claim (kombu restores entries older
--                                than its visibility_timeout; we keep the score fresh while we work)
-- KEYS[3] taskqueue.claims zset  delivery tag -> epoch seconds of the last refresh (only our workers' claims)
-- KEYS[4] taskqueue.claimed_from hash delivery tag -> the list the message was taken from
-- KEYS[5..] the queue lists (priority buckets), in the order to look at them
-- ARGV[1] how many messages to take at most
-- ARGV[2] a prefix for the delivery tags of messages that have none
-- ARGV[3] optional: a message BRPOP has already taken (the consumer was waiting), ARGV[4] the list it came from;
--         it is recorded alone
--
-- Returns {list, message, delivery tag, list, message, delivery tag, ...}, empty when every list is empty.
local time = redis.call('TIME')
local now = tonumber(time[1]) + tonumber(time[2]) / 1000000
local claimed = {}

local function record(list, message)
	local tag, exchange, routing_key = ARGV[2] .. ':' .. (#claimed / 3), '', ''
	-- a message that is not JSON is still recorded (under a made-up tag), so the worker can dead-letter it
	local ok, decoded = pcall(cjson.decode, message)
	if ok and type(decoded) == 'table' and type(decoded.properties) == 'table' then
		local properties = decoded.properties
		if type(properties.delivery_tag) == 'string' then
			tag = properties.delivery_tag
		end
		local info = properties.delivery_info
		if type(info) == 'table' then
			if type(info.exchange) == 'string' then
				exchange = info.exchange
			end
			if type(info.routing_key) == 'string' then
				routing_key = info.routing_key
			end
		end
	end
	redis.call('ZADD', KEYS[2], now, tag)
	redis.call('HSET', KEYS[1], tag, '[' .. message .. ', ' .. cjson.encode(exchange) .. ', ' .. cjson.encode(routing_key) .. ']')
	redis.call('ZADD', KEYS[3], now, tag)
	redis.call('HSET', KEYS[4], tag, list)
	claimed[#claimed + 1] = list
	claimed[#claimed + 1] = message
	claimed[#claimed + 1] = tag
end

if ARGV[3] then
	record(ARGV[4], ARGV[3])
	return claimed
end
local wanted = tonumber(ARGV[1])
for i = 5, #KEYS do
	while #claimed < wanted * 3 do
		local message = redis.call('RPOP', KEYS[i])
		if not message then
			break
		end
		record(KEYS[i], message)
	end
	if #claimed >= wanted * 3 then
		break
	end
end
return claimed
