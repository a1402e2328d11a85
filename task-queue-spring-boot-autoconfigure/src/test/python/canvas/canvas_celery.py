"""Real Celery 5.2 on the other side of the canvas interop tests (CeleryCanvasRedisInteropIT,
RabbitCeleryCanvasInteropIT): chains, chords, groups and link_error that cross between Celery and the Java workers.

    python3 canvas_celery.py worker <node name>      run a Celery worker on queue canvas-py
    python3 canvas_celery.py <scenario> [args...]    run one client scenario, print one JSON document last

Configured by the environment: CANVAS_BROKER (broker URL), CANVAS_BACKEND (result backend URL) and CANVAS_REDIS
(the Redis where the errbacks leave their traces). The Java tasks are canvas.java.*, on queue canvas-java.
"""
import json
import os
import sys

import redis
from celery import Celery, chain, chord, group
from celery.result import GroupResult

app = Celery('canvas', broker=os.environ['CANVAS_BROKER'], backend=os.environ['CANVAS_BACKEND'])
app.conf.update(
    task_default_queue='canvas-py',
    task_routes={'canvas.java.*': {'queue': 'canvas-java'}},
    worker_prefetch_multiplier=1,
    broker_connection_retry_on_startup=True,
)
TIMEOUT = 60
traces = redis.Redis.from_url(os.environ['CANVAS_REDIS'])


@app.task(name='canvas.py.add')
def add(x, y):
    return x + y


@app.task(name='canvas.py.mul')
def mul(x, y):
    return x * y


@app.task(name='canvas.py.square')
def square(x):
    return x * x


@app.task(name='canvas.py.tsum')
def tsum(values):
    return sum(values)


@app.task(name='canvas.py.fail')
def fail(message):
    raise ValueError(message)


@app.task(name='canvas.py.on_error_old')
def on_error_old(task_id):
    # an old-style errback: sent as a task with the failed task's id
    traces.rpush('canvas:errors', 'py-old:' + task_id)


@app.task(name='canvas.py.on_error')
def on_error(request, exc, traceback):
    # a new-style errback: called in the failing Celery worker
    traces.rpush('canvas:errors', 'py-new:%s:%s' % (request.id, type(exc).__name__))


def java(name, *args, **options):
    return app.signature(name, args=args, **options)


def worker(node):
    # prefork: Debian's Celery 5.2 with the solo pool on Redis picks up a message only every few seconds
    app.worker_main(['worker', '-Q', 'canvas-py', '-c', '2', '-P', 'prefork', '-n', node, '-l', 'INFO',
                     '--without-mingle', '--without-gossip', '--without-heartbeat'])


def python_chain():
    # py -> java -> py: ((1 + 2) * 10) + 5
    result = chain(add.s(1, 2), java('canvas.java.mul', 10), add.s(5)).apply_async()
    return {'result': result.get(timeout=TIMEOUT), 'parent': result.parent.get(timeout=TIMEOUT)}


def python_chord():
    # a Python header, a Java body; then a mixed header, whose parts both kinds of worker join
    python_header = chord([square.s(i) for i in range(1, 6)], java('canvas.java.tsum')).apply_async()
    mixed = chord([square.s(i) for i in range(1, 6)] + [java('canvas.java.square', i) for i in range(6, 11)],
                  java('canvas.java.tsum')).apply_async()
    return {'python_header': python_header.get(timeout=TIMEOUT), 'mixed': mixed.get(timeout=TIMEOUT)}


def link_error():
    # a Java task fails: an old-style Python errback is sent with its id, a new-style Java one runs in the Java worker
    old = java('canvas.java.fail', 'boom').apply_async(link_error=on_error_old.s())
    new = java('canvas.java.fail', 'bang').apply_async(link_error=java('canvas.java.on_error'))
    for result in (old, new):
        result.get(timeout=TIMEOUT, propagate=False)
    return {'old': old.id, 'new': new.id, 'state': old.state, 'type': type(old.result).__name__}


def python_group(size, save='save'):
    size = int(size)
    tasks = [add.s(i, i) if i % 2 == 0 else java('canvas.java.add', i, i) for i in range(size)]
    result = group(tasks).apply_async()
    if save == 'save':
        result.save()
    values = result.get(timeout=TIMEOUT)
    return {'id': result.id, 'count': len(values), 'sum': sum(values)}


def chord_refused():
    # Celery's rpc backend refuses chords before anything is sent
    try:
        chord([add.s(1, 1)], java('canvas.java.tsum')).apply_async()
        return {'refused': False}
    except NotImplementedError as error:
        return {'refused': True, 'message': str(error)}


def java_map():
    # xmap and chunks of a Java task, run by the Java worker's celery.map / celery.starmap; Celery routes an xmap as
    # the task it calls, but not the starmaps of chunks (they go to the default queue): those get their queue here
    from celery.canvas import chunks, xmap
    mapped = xmap(java('canvas.java.square'), [1, 2, 3]).apply_async()
    chunked = chunks(java('canvas.java.add'), [[1, 1], [2, 2], [3, 3]], 2).apply_async(queue='canvas-java')
    return {'map': mapped.get(timeout=TIMEOUT), 'chunks': chunked.get(timeout=TIMEOUT)}


def restore_group(group_id):
    result = GroupResult.restore(group_id, app=app)
    values = result.get(timeout=TIMEOUT)
    return {'count': len(values), 'sum': sum(values), 'completed': result.completed_count(),
            'first': values[:4]}


def read_chain(task_id):
    # a chain's last result the Java client sent, and its parents as Celery follows them
    result = app.AsyncResult(task_id)
    value = result.get(timeout=TIMEOUT)
    parent = result.backend.get_task_meta(task_id).get('parent_id')
    return {'result': value, 'parent_id': parent}


SCENARIOS = {'python-chain': python_chain, 'python-chord': python_chord, 'link-error': link_error,
             'python-group': python_group, 'restore-group': restore_group, 'read-chain': read_chain,
             'chord-refused': chord_refused, 'java-map': java_map}

if __name__ == '__main__':
    command = sys.argv[1]
    if command == 'worker':
        worker(sys.argv[2])
    else:
        print(json.dumps(SCENARIOS[command](*sys.argv[2:])))
