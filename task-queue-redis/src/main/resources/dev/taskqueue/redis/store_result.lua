-- store_result: store tasks' result documents and tell those waiting, as Celery's Redis backend does
-- (SETEX + PUBLISH on the channel named after the key), except that a stored SUCCESS is final and is
-- neither overwritten nor published again.
--
-- KEYS celery-task-meta-<task id>, one or many  string  Celery's JSON result document
-- ARGV[1] their time to live in seconds, ARGV[1 + i] the document for KEYS[i]
--
-- Returns, for each key, 1 if stored, 0 if a SUCCESS was there already.
local stored = {}
for i, key in ipairs(KEYS) do
	local final = false
	local current = redis.call('GET', key)
	if current then
		local ok, document = pcall(cjson.decode, current)
		final = ok and type(document) == 'table' and document.status == 'SUCCESS'
	end
	if final then
		stored[i] = 0
	else
		redis.call('SET', key, ARGV[i + 1], 'EX', ARGV[1])
		redis.call('PUBLISH', key, ARGV[i + 1])
		stored[i] = 1
	end
end
return stored
