-- pidbox_reply: push a remote-control reply onto a client's reply queue, only while the queue is bound to kombu's
-- direct exchange reply.celery.pidbox. A client deletes its queue and binding once it has collected its replies,
-- so a reply that comes later is dropped instead of leaving a list nobody reads (kombu's worker finds the queue
-- through the same binding).
--
-- KEYS[1] _kombu.binding.reply.celery.pidbox, KEYS[2] the reply queue, <oid>.reply.celery.pidbox
-- ARGV[1] the queue's binding, "<oid>\x06\x16\x06\x16<oid>.reply.celery.pidbox"
-- ARGV[2] the reply's kombu envelope
-- ARGV[3] LPUSH (a worker's reply, as kombu sends it) or RPUSH (a reply handed back to the head of the queue,
--         taken by a consumer that was closing)
--
-- Returns 1 if pushed, 0 if dropped.
if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 0 then
	return 0
end
redis.call(ARGV[3], KEYS[2], ARGV[2])
return 1
