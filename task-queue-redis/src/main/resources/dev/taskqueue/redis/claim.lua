-- claim: take the next messages for a worker and record the worker's claim on each in one step, so that a
-- message is never out of its queue without being in the unacked bookkeeping (kombu's layout, plus ours).
--
-- KEYS[1] unacked          hash  delivery tag -> [envelope, exchange, routing key] (kombu)
-- KEYS[2] unacked_index    zset  delivery tag -> epoch seconds of the claim (kombu restores entries older
--                                than its visibility_timeout; we keep the score fresh while we work)
-- KEYS[3] taskqueue.claims zset  "<length of tag>:<tag><list it was taken from>" -> epoch seconds of the last
--                                refresh (only our workers' claims; the list in the member spares a hash)
-- KEYS[4..3+n] the queue lists (priority buckets), in the order to look at them
-- KEYS[4+n..3+2n] the dead-letter list of each one's queue, in the same order
-- KEYS[4+2n] taskqueue.dead-letter-queues  set  the queues that have dead letters
-- ARGV[1] how many messages to take at most
-- ARGV[2] a prefix for the delivery tags of messages that have none (a fresh UUID: dead letters' ids too)
-- ARGV[3] the largest message taken, in bytes: a larger one is dead-lettered here, its body never sent to the
--         worker, which would have to hold it whole before it could refuse it
-- ARGV[4] the time, ISO-8601, for a dead letter's rejected_at
-- ARGV[5] a message BRPOP has already taken (the consumer was waiting), ARGV[6] the list it came from, or both
--         empty; such a message is recorded alone
-- ARGV[7..6+n] the queue of each list, in the same order
--
-- Returns {list, message, delivery tag, list, message, delivery tag, ...}, empty when every list is empty; for
-- a message dead-lettered for its size, {list, its size, ""}.
-- whole seconds: Redis keeps an integer score in a small sorted set as an integer, where a fraction is text
-- it parses again (strtod) for every comparison of every later ZADD (perf: most of Redis' time in claims)
local now = tonumber(redis.call('TIME')[1])
local claimed = {}
local lists = (#KEYS - 4) / 2

-- The string value of a field that occurs once in the message, after its properties start, unescaped: how
-- kombu (Python's json.dumps) and our workers lay a message out. Anything else is nil, for cjson to decide.
local function field(message, properties, name)
	local needle = '"' .. name .. '": "'
	local from, to = string.find(message, needle, properties, true)
	if not from or string.find(message, needle, to + 1, true) or string.find(message, needle, 1, true) ~= from then
		return nil
	end
	local close = string.find(message, '"', to + 1, true)
	if not close then
		return nil
	end
	local value = string.sub(message, to + 1, close - 1)
	if string.find(value, '\\', 1, true) then
		return nil
	end
	return value
end

-- The delivery tag, exchange and routing key, found without decoding the whole message where it is laid out
-- as kombu lays it out (decoding it was most of this script's time), else by cjson.
local function properties_of(message)
	local from, to = string.find(message, '"properties": {', 1, true)
	if from and not string.find(message, '"properties": {', to + 1, true) then
		local tag = field(message, to, 'delivery_tag')
		local exchange = field(message, to, 'exchange')
		local routing_key = field(message, to, 'routing_key')
		if tag and exchange and routing_key then
			return tag, exchange, routing_key
		end
	end
	local tag, exchange, routing_key
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
	return tag, exchange, routing_key
end

local function record(list, message)
	-- a message that is not JSON is still recorded (under a made-up tag), so the worker can dead-letter it
	local tag, exchange, routing_key = properties_of(message)
	tag = tag or (ARGV[2] .. ':' .. (#claimed / 3))
	exchange = exchange or ''
	routing_key = routing_key or ''
	redis.call('ZADD', KEYS[2], now, tag)
	redis.call('HSET', KEYS[1], tag, '[' .. message .. ', ' .. cjson.encode(exchange) .. ', ' .. cjson.encode(routing_key) .. ']')
	redis.call('ZADD', KEYS[3], now, #tag .. ':' .. tag .. list)
	claimed[#claimed + 1] = list
	claimed[#claimed + 1] = message
	claimed[#claimed + 1] = tag
end

-- kept intact with the reason, as reject.lua keeps a message; the envelope as a JSON string, which the worker
-- reads as the raw message (valid kombu JSON or not)
local refused = 0
local function dead_letter(index, list, message)
	refused = refused + 1
	local queue = ARGV[6 + index]
	local reason = 'message of ' .. #message .. ' bytes is above the maximum message size of ' .. ARGV[3]
		.. ' bytes (taskqueue.max-message-size)'
	redis.call('LPUSH', KEYS[3 + lists + index], '{"id": ' .. cjson.encode(ARGV[2] .. '.' .. refused) .. ', "queue": '
		.. cjson.encode(queue) .. ', "reason": ' .. cjson.encode(reason) .. ', "rejected_at": ' .. cjson.encode(ARGV[4])
		.. ', "envelope": ' .. cjson.encode(message) .. '}')
	redis.call('SADD', KEYS[4 + 2 * lists], queue)
	claimed[#claimed + 1] = list
	claimed[#claimed + 1] = tostring(#message)
	claimed[#claimed + 1] = ''
end

-- the list, never empty, tells whether BRPOP took one (the message itself may be anything, even empty)
if ARGV[6] ~= '' then
	record(ARGV[6], ARGV[5])
	return claimed
end
local wanted = tonumber(ARGV[1])
local limit = tonumber(ARGV[3])
for i = 1, lists do
	local list = KEYS[3 + i]
	while #claimed < wanted * 3 do
		local message = redis.call('RPOP', list)
		if not message then
			break
		end
		if #message > limit then
			dead_letter(i, list, message)
		else
			record(list, message)
		end
	end
	if #claimed >= wanted * 3 then
		break
	end
end
return claimed
