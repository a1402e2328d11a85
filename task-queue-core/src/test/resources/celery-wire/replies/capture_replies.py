"""Captures what a real Celery 5.2.6 worker replies to each remote-control command: worker_replies.json.

Run against a Redis of your own (the default is 127.0.0.1:6399, databases 0 and 1, flushed first):
    redis-server --port 6399 --save '' &
    /usr/bin/python3 -m celery -A capture_replies worker -c 1 -n w1@capture --without-gossip &
    /usr/bin/python3 capture_replies.py
The replies hold volatile values (ids, pids, clocks, times); the tests compare shapes, keys and texts.
"""
import json
import os
import time

from celery import Celery

BROKER = os.environ.get('CAPTURE_BROKER', 'redis://127.0.0.1:6399/0')
app = Celery('capture_replies', broker=BROKER, backend=BROKER[:-1] + '1')
app.conf.worker_prefetch_multiplier = 4


@app.task(name='capture.add')
def add(x, y):
    return x + y


@app.task(name='capture.sleep')
def sleep(seconds):
    time.sleep(seconds)
    return seconds


def main():
    replies = {}

    def call(key, method, **arguments):
        reply = app.control.broadcast(method, arguments=arguments, reply=True, timeout=1.5)
        replies[key] = {'method': method, 'arguments': arguments, 'reply': reply[0]['w1@capture'] if reply else None}

    call('ping', 'ping')
    call('clock', 'clock')
    call('unknown', 'nosuch')
    call('hello', 'hello', from_node='other@capture', revoked={'revoked-by-other': time.time()})
    call('hello_self', 'hello', from_node='w1@capture', revoked={})
    call('revoked', 'revoked')
    running = [sleep.apply_async((4,), kwargs={}) for _ in range(3)]
    later = add.apply_async((1, 2), countdown=60)
    time.sleep(1)
    call('active', 'active', safe=None)
    call('active_safe', 'active', safe=True)
    call('reserved', 'reserved')
    call('scheduled', 'scheduled')
    call('query_task', 'query_task', ids=[running[0].id, running[1].id, 'unknown-id'])
    call('registered', 'registered', taskinfoitems=[])
    call('stats', 'stats')
    call('active_queues', 'active_queues')
    call('rate_limit', 'rate_limit', task_name='capture.add', rate_limit='10/s')
    call('registered_rate_limited', 'registered', taskinfoitems=[])
    call('rate_limit_unknown_task', 'rate_limit', task_name='capture.nosuch', rate_limit='10/s')
    call('rate_limit_invalid', 'rate_limit', task_name='capture.add', rate_limit='x/s')
    call('rate_limit_disabled', 'rate_limit', task_name='capture.add', rate_limit='')
    call('time_limit', 'time_limit', task_name='capture.add', soft=10.0, hard=20.0)
    call('time_limit_unknown_task', 'time_limit', task_name='capture.nosuch', soft=10.0, hard=20.0)
    call('add_consumer', 'add_consumer', queue='capture-extra')
    call('cancel_consumer', 'cancel_consumer', queue='capture-extra')
    call('pool_grow', 'pool_grow', n=1)
    call('pool_shrink', 'pool_shrink', n=1)
    call('revoke', 'revoke', task_id=later.id, terminate=False, signal='SIGTERM')
    call('terminate_unknown', 'revoke', task_id='not-held', terminate=True, signal='SIGTERM')
    call('terminate_running', 'revoke', task_id=running[0].id, terminate=True, signal='SIGTERM')
    call('conf', 'conf', with_defaults=False)
    call('report', 'report')
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'worker_replies.json'), 'w') as out:
        json.dump(replies, out, indent=1, sort_keys=True)
        out.write('\n')


if __name__ == '__main__':
    main()
