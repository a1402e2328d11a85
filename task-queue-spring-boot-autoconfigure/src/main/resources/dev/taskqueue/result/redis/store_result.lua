-- store_result: store a task's result document and tell those waiting, as Celery's Redis backend does
-- (SETEX + PUBLISH on the channel named after the key), except that a stored SUCCESS is final and is
-- neither overwritten nor published again.
--
-- KEYS[1] celery-task-meta-<task id>  string  Celery's JSON result document
-- ARGV[1] the document, ARGV[2] its time to live in seconds
--
-- Returns 1 if stored, 0 if a SUCCESS was there already.
local current = redis.call('GET', KEYS[1])
if current then
	local ok, document = pcall(cjson.decode, current)
	if ok and type(document) == 'table' and document.status == 'SUCCESS' then
		return 0
	end
end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
redis.call('PUBLISH', KEYS[1], ARGV[1])
return 1
