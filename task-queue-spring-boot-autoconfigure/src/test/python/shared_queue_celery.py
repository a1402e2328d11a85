"""Real Celery 5.2 consuming one Redis queue together with the Java worker (CeleryRedisSharedQueueIT).

    python3 shared_queue_celery.py worker <queue> <node name>   run a Celery worker on a queue

The Redis server is 127.0.0.1:SHARED_REDIS_PORT, database 0, broker and results both, no key prefix: Celery's
layout, which the Java worker shares. Celery does not refresh its claims: its visibility timeout
(SHARED_VISIBILITY_TIMEOUT seconds) is longer than its tasks, while the Java worker's tasks outlast it and
are kept from Celery's restore by the Java worker's claim refreshes.
"""
import os
import sys
import time

import redis
from celery import Celery

URL = 'redis://127.0.0.1:%d/0' % int(os.environ['SHARED_REDIS_PORT'])

app = Celery('shared', broker=URL, backend=URL)
app.conf.update(
    broker_transport_options={'visibility_timeout': int(os.environ['SHARED_VISIBILITY_TIMEOUT'])},
    worker_prefetch_multiplier=1,
    task_acks_late=True,
    broker_connection_retry_on_startup=True,
)


@app.task(name='shared.slow')
def slow(label, python_seconds, java_seconds):
    # every run is counted, by label, so that the test sees a task run twice
    client = redis.Redis.from_url(URL)
    client.incr('shared:runs:' + label)
    client.rpush('shared:ran-by', 'celery:' + label)
    time.sleep(python_seconds)
    return 'celery:' + label


def worker(queue, name):
    app.worker_main(['worker', '-Q', queue, '-c', '1', '-P', 'solo', '-n', name, '-l', 'INFO',
                     '--without-mingle', '--without-gossip', '--without-heartbeat'])


if __name__ == '__main__':
    command = sys.argv[1]
    if command == 'worker':
        worker(sys.argv[2], sys.argv[3])
    else:
        sys.exit('unknown command ' + command)
