"""Real Celery 5.2 on the other side of the Redis interop test (CeleryRedisInteropIT).

    python3 interop_celery.py worker <queue> <node name>   run a Celery worker on a queue
    python3 interop_celery.py client                       send tasks to the Java worker, print what came back
    python3 interop_celery.py publish-priorities <queue>   send it.record tasks with priorities 9, 5, 0
    python3 interop_celery.py serializers                  send it.add as msgpack, yaml and compressed, print results
    python3 interop_celery.py semantics                    eta, expires and retries of Celery-sent tasks on the Java worker
    python3 interop_celery.py revocation                   app.control.revoke of a Celery-sent task the Java worker holds

The Redis database is INTEROP_REDIS_DB (broker and results both). The client prints one JSON document.
"""
import json
import os
import sys
import time

import redis
from celery import Celery

DB = int(os.environ.get('INTEROP_REDIS_DB', '7'))
URL = 'redis://127.0.0.1:6379/%d' % DB

app = Celery('interop', broker=URL, backend=URL)
app.conf.update(
    task_default_queue='interop-py',
    # the Java side sends msgpack and YAML too (the interop test of issue 5)
    accept_content=['json', 'msgpack', 'yaml'],
    worker_prefetch_multiplier=1,
    broker_connection_retry_on_startup=True,
)


@app.task(name='interop.py.add')
def add(x, y):
    return x + y


@app.task(name='interop.py.greet')
def greet(name, greeting='Hello'):
    return '%s, %s!' % (greeting, name)


@app.task(name='interop.py.fail')
def fail(message):
    raise ValueError(message)


@app.task(name='interop.py.flaky', bind=True, autoretry_for=(ValueError,), max_retries=5,
          default_retry_delay=0.2, retry_backoff=False)
def flaky(self, failures):
    # fails until it has been retried `failures` times: Celery's own retry of a task the Java side sent
    if self.request.retries < failures:
        raise ValueError('run %d fails' % self.request.retries)
    return self.request.retries


@app.task(name='interop.py.record')
def record(label):
    redis.Redis.from_url(URL).rpush('interop:order', label)
    return label


@app.task(name='interop.py.note')
def note(label):
    redis.Redis.from_url(URL).rpush('interop:notes', label)
    return label


@app.task(name='interop.py.progress', bind=True)
def progress(self, label):
    # reports PROGRESS with its meta, as a long task does, then waits for the Java test to have seen it
    self.update_state(state='PROGRESS', meta={'current': 3, 'total': 10})
    client = redis.Redis.from_url(URL)
    deadline = time.time() + 30
    while time.time() < deadline and not client.exists('interop:progress-seen:' + label):
        time.sleep(0.05)
    return 10


def worker(queue, name):
    app.worker_main(['worker', '-Q', queue, '-c', '1', '-P', 'solo', '-n', name, '-l', 'INFO',
                     '--without-mingle', '--without-gossip', '--without-heartbeat'])


def client():
    seen = {}
    seen['add'] = app.send_task('it.add', args=[2, 3], queue='interop-java').get(timeout=30)
    seen['greet'] = app.send_task('it.greet', kwargs={'name': 'Ada', 'greeting': 'Hi'},
                                  queue='interop-java').get(timeout=30)
    failed = app.send_task('it.fail', args=['nope'], queue='interop-java')
    failed.get(timeout=30, propagate=False)
    seen['fail_state'] = failed.state
    seen['fail_type'] = type(failed.result).__name__
    seen['fail_message'] = str(failed.result)
    sent = time.time()
    seen['countdown'] = app.send_task('it.add', args=[40, 2], countdown=2, queue='interop-java').get(timeout=30)
    seen['countdown_elapsed'] = time.time() - sent
    print(json.dumps(seen))


def serializers():
    seen = {}
    for label, options in (('msgpack', {'serializer': 'msgpack'}),
                           ('yaml', {'serializer': 'yaml'}),
                           ('zlib', {'compression': 'zlib'}),
                           ('bzip2', {'compression': 'bzip2'}),
                           ('lzma', {'compression': 'lzma'}),
                           ('msgpack_zlib', {'serializer': 'msgpack', 'compression': 'zlib'})):
        seen[label] = app.send_task('it.add', args=[20, 22], queue='interop-java', **options).get(timeout=30)
    print(json.dumps(seen))


def semantics():
    from datetime import datetime, timedelta, timezone
    seen = {}
    sent = time.time()
    eta = datetime.now(timezone.utc) + timedelta(seconds=2)
    seen['eta'] = app.send_task('it.add', args=[1, 2], eta=eta, queue='interop-java').get(timeout=30)
    seen['eta_elapsed'] = time.time() - sent
    expired = app.send_task('it.add', args=[1, 2], expires=datetime.now(timezone.utc) - timedelta(seconds=5),
                            queue='interop-java')
    try:
        expired.get(timeout=30)
        seen['expired_state'] = 'ran'
    except Exception as error:  # TaskRevokedError, rebuilt from our REVOKED document
        seen['expired_state'] = expired.state
        seen['expired_error'] = type(error).__name__
    flaky = app.send_task('it.flaky', args=[2], queue='interop-java')
    seen['retried'] = flaky.get(timeout=30)
    print(json.dumps(seen))


def revocation():
    seen = {}
    revoked = app.send_task('it.add', args=[1, 2], countdown=3, queue='interop-java')
    # the Java workers answer as Celery workers do, over celery.pidbox
    seen['replies'] = app.control.revoke(revoked.id, reply=True, timeout=2)
    try:
        revoked.get(timeout=30)
        seen['state'] = 'ran'
    except Exception as error:  # TaskRevokedError, from the Java worker's REVOKED document
        seen['state'] = revoked.state
        seen['error'] = type(error).__name__
    print(json.dumps(seen))


def publish_priorities(queue):
    for priority in (9, 5, 0):
        app.send_task('it.record', args=['c%d' % priority], queue=queue, priority=priority)


if __name__ == '__main__':
    command = sys.argv[1]
    if command == 'worker':
        worker(sys.argv[2], sys.argv[3])
    elif command == 'client':
        client()
    elif command == 'semantics':
        semantics()
    elif command == 'revocation':
        revocation()
    elif command == 'serializers':
        serializers()
    elif command == 'publish-priorities':
        publish_priorities(sys.argv[2])
    else:
        sys.exit('unknown command ' + command)
