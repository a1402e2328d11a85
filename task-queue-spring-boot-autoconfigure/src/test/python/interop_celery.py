"""Real Celery 5.2 on the other side of the Redis interop test (CeleryRedisInteropIT).

    python3 interop_celery.py worker <queue> <node name>   run a Celery worker on a queue
    python3 interop_celery.py client                       send tasks to the Java worker, print what came back
    python3 interop_celery.py publish-priorities <queue>   send it.record tasks with priorities 9, 5, 0
    python3 interop_celery.py serializers                  send it.add as msgpack, yaml and compressed, print results
    python3 interop_celery.py semantics                    eta, expires and retries of Celery-sent tasks on the Java worker
    python3 interop_celery.py revocation                   app.control.revoke of a Celery-sent task the Java worker holds
    python3 interop_celery.py typed                        kombu 5.3's typed JSON values, to and from the Java workers

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


def typed(marker, value):
    # kombu 5.3+ writes datetime, date, time, Decimal, UUID and bytes as these objects; Celery 5.2 writes a dict
    # of the same keys byte for byte, so 5.2 stands in for a 5.3+ peer here
    return {'__type__': marker, '__value__': value}


TYPED_ID = {'hex': '6f1c2a4e8b3d4c5f9a7e1d2b3c4d5e6f', 'version': 4}


@app.task(name='interop.py.typed')
def typed_values():
    return {'when': typed('datetime', '2026-12-02T10:11:12.123456+00:00'),
            'naive': typed('datetime', '2026-12-02T10:11:12'),
            'day': typed('date', '2026-12-02'),
            'at': typed('time', '10:11:12.000500'),
            'amount': typed('decimal', '1.10'),
            'id': typed('uuid', TYPED_ID),
            'text': typed('bytes', 'caf\u00e9'),
            'binary': typed('base64', '/wAB'),
            'list': [typed('date', '2026-12-03')]}


@app.task(name='interop.py.echo')
def echo(*args):
    # what Celery 5.2 made of each argument, and the arguments as it writes them back
    return {'types': [type(arg).__name__ for arg in args], 'args': list(args)}


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


def typed_client():
    seen = {}
    bound = app.send_task('it.kombu53.bind', queue='interop-java',
                          args=[typed('datetime', '2026-12-02T10:11:12.123456+00:00'), typed('date', '2026-12-02'),
                                typed('decimal', '1.10'), typed('uuid', TYPED_ID), typed('bytes', 'caf\u00e9'),
                                typed('base64', '/wAB')],
                          kwargs={'naive': typed('datetime', '2026-12-02T10:11:12'),
                                  'at': typed('time', '10:11:12.000500')})
    seen['bound'] = bound.get(timeout=30)
    # a Java worker with taskqueue.json.typed-values=kombu53: Celery 5.2 sees its typed values as dicts
    stored = app.send_task('it.kombu53.values', queue='interop-java-kombu53')
    seen['typed_result'] = stored.get(timeout=30)
    unknown = app.send_task('it.kombu53.bind', queue='interop-java', args=[typed('complex', '1+2j')])
    unknown.get(timeout=30, propagate=False)
    seen['unknown_state'] = unknown.state
    seen['unknown_message'] = str(unknown.result)
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
    elif command == 'typed':
        typed_client()
    elif command == 'serializers':
        serializers()
    elif command == 'publish-priorities':
        publish_priorities(sys.argv[2])
    else:
        sys.exit('unknown command ' + command)
